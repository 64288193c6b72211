import TextPlot

/// The row above the status line: the last command's result or a note. A message longer than
/// the row wraps onto up to two more rows above it (over the bottom of the body), so a reason
/// or a glossary entry is read whole, not cut at "too high for".
enum MessageView {
    static let maximumRows = 3

    static func draw(into canvas: inout Canvas, in rect: Rect, text: String, isError: Bool, capabilities: RenderCapabilities) {
        guard !rect.isEmpty else { return }
        let style = isError ? Theme.error(capabilities.colors) : .plain
        let firstLine = String(text.prefix { $0 != "\n" })
        let lines = wrap(firstLine, width: rect.width - 2)
        let shown = Array(lines.prefix(maximumRows))
        let top = max(0, rect.y - (shown.count - 1))
        for (offset, line) in shown.enumerated() {
            let y = top + offset
            canvas.fill(Rect(x: rect.x, y: y, width: rect.width, height: 1))
            let cut = offset == shown.count - 1 && lines.count > shown.count
            // The last row of a cut message ends in the ellipsis glyph (write's maxWidth adds it).
            canvas.write(cut ? line + " " + lines[shown.count...].joined(separator: " ") : line, x: rect.x + 1, y: y, maxWidth: rect.width - 2,
                         style: style, glyphs: capabilities.glyphs)
        }
    }

    /// Words into lines of at most `width` cells; a word longer than a line is cut into pieces.
    static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = [], current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            var piece = word
            while piece.count > width {
                if !current.isEmpty { lines.append(current); current = "" }
                lines.append(String(piece.prefix(width)))
                piece = String(piece.dropFirst(width))
            }
            if current.isEmpty { current = piece }
            else if current.count + 1 + piece.count <= width { current += " " + piece }
            else { lines.append(current); current = piece }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }
}
