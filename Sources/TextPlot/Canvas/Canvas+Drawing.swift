/// Small drawing helpers every widget shares: single cells, styles, boxes, clipped and
/// truncated text. They all clip to the canvas, so a widget never writes outside it.
extension Canvas {
    /// Writes one character at (x, y) when that lies inside `clip` (and the canvas).
    @inline(__always)
    public mutating func put(_ character: Character, x: Int, y: Int, style: CellStyle, clip: Rect) {
        guard x >= clip.x, x < clip.maxX, y >= clip.y, y < clip.maxY, contains(x, y) else { return }
        cells[y * width + x] = Cell(character, style: style)
    }

    /// Changes only the style of the cell at (x, y), keeping its character.
    @inline(__always)
    public mutating func setStyle(_ style: CellStyle, x: Int, y: Int) {
        guard contains(x, y) else { return }
        cells[y * width + x].style = style
    }

    /// Writes `text` into at most `maxWidth` columns; when it does not fit, the last visible
    /// column shows the ellipsis glyph so the reader knows something was cut.
    @discardableResult
    public mutating func write(_ text: String, x: Int, y: Int, maxWidth: Int, style: CellStyle = .plain,
                               glyphs: Glyphs, clip: Rect? = nil) -> Int {
        guard maxWidth > 0 else { return x }
        let count = text.count
        if count <= maxWidth { return write(text, x: x, y: y, style: style, clip: clip) }
        let end = write(String(text.prefix(maxWidth - 1)), x: x, y: y, style: style, clip: clip)
        return write(String(glyphs.ellipsis), x: end, y: y, style: style, clip: clip)
    }

    /// Draws a one-cell frame around `rect` (the frame occupies the rect's outer ring).
    public mutating func drawBox(_ rect: Rect, style: CellStyle = .plain, glyphs: Glyphs) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let clip = bounds
        let right = rect.maxX - 1, bottom = rect.maxY - 1
        for x in (rect.x + 1)..<right {
            put(glyphs.horizontal, x: x, y: rect.y, style: style, clip: clip)
            put(glyphs.horizontal, x: x, y: bottom, style: style, clip: clip)
        }
        for y in (rect.y + 1)..<bottom {
            put(glyphs.vertical, x: rect.x, y: y, style: style, clip: clip)
            put(glyphs.vertical, x: right, y: y, style: style, clip: clip)
        }
        put(glyphs.topLeft, x: rect.x, y: rect.y, style: style, clip: clip)
        put(glyphs.topRight, x: right, y: rect.y, style: style, clip: clip)
        put(glyphs.bottomLeft, x: rect.x, y: bottom, style: style, clip: clip)
        put(glyphs.bottomRight, x: right, y: bottom, style: style, clip: clip)
    }

    /// Writes `text` centred in `width` columns starting at `x`.
    public mutating func writeCentered(_ text: String, x: Int, y: Int, width: Int, style: CellStyle = .plain,
                                       glyphs: Glyphs, clip: Rect? = nil) {
        let count = min(text.count, width)
        write(text, x: x + (width - count) / 2, y: y, maxWidth: width, style: style, glyphs: glyphs, clip: clip)
    }
}

extension Rect {
    /// The rect shrunk by `amount` cells on every side.
    public func inset(by amount: Int) -> Rect {
        Rect(x: x + amount, y: y + amount, width: width - 2 * amount, height: height - 2 * amount)
    }

    /// The part of this rect that also lies in `other`.
    public func intersection(_ other: Rect) -> Rect {
        let left = max(x, other.x), top = max(y, other.y)
        return Rect(x: left, y: top, width: min(maxX, other.maxX) - left, height: min(maxY, other.maxY) - top)
    }
}
