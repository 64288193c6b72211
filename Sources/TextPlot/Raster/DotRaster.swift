/// A grid of sub-cell dots for line charts and scatter plots. With UTF-8 each cell is a
/// braille character holding 2x4 dots; in ASCII each cell holds 1x2 dots drawn as `'`, `.`
/// or `:`. Each cell remembers the last layer that set a dot in it, and that layer's style
/// colours the whole cell (a terminal cell has one foreground colour).
struct DotRaster {
    let columns: Int, rows: Int
    let dotsAcross: Int, dotsDown: Int
    var masks: [UInt8]
    var layers: [UInt8]

    init(columns: Int, rows: Int, unicode: Bool) {
        self.columns = max(0, columns)
        self.rows = max(0, rows)
        dotsAcross = unicode ? 2 : 1
        dotsDown = unicode ? 4 : 2
        masks = [UInt8](repeating: 0, count: self.columns * self.rows)
        layers = [UInt8](repeating: 0, count: self.columns * self.rows)
    }

    var pixelWidth: Int { columns * dotsAcross }
    var pixelHeight: Int { rows * dotsDown }

    // Braille dot bits: dots 1-3 and 7 down the left column, 4-6 and 8 down the right.
    static let brailleBits: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]
    static let brailleCharacters: [Character] = (0..<256).map { Character(Unicode.Scalar(0x2800 + $0)!) }
    static let asciiCharacters: [Character] = [" ", "'", ".", ":"]

    /// Sets the dot at pixel (px, py), py counted from the top; outside dots are ignored.
    @inline(__always)
    mutating func set(_ px: Int, _ py: Int, layer: UInt8) {
        guard px >= 0, py >= 0, px < pixelWidth, py < pixelHeight else { return }
        let column = px / dotsAcross, row = py / dotsDown
        let bit: UInt8 = dotsAcross == 2 ? DotRaster.brailleBits[px & 1][py & 3] : (py & 1 == 0 ? 1 : 2)
        let index = row * columns + column
        masks[index] |= bit
        layers[index] = layer
    }

    /// Sets the dots of a straight line between two pixels (Bresenham).
    mutating func line(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, layer: UInt8) {
        var x = x0, y = y0
        let dx = abs(x1 - x0), dy = -abs(y1 - y0)
        let sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var error = dx + dy
        while true {
            set(x, y, layer: layer)
            if x == x1 && y == y1 { break }
            let doubled = 2 * error
            if doubled >= dy { error += dy; x += sx }
            if doubled <= dx { error += dx; y += sy }
        }
    }

    /// Whether any dot is set in cell (column, row).
    @inline(__always)
    func isSet(column: Int, row: Int) -> Bool { masks[row * columns + column] != 0 }

    /// Copies the set cells onto the canvas with origin (x, y), styling each by its layer. A
    /// layer with a mark in `marks` draws that character in each of its cells instead of dots.
    func draw(into canvas: inout Canvas, x: Int, y: Int, styles: [CellStyle], keepBackground: Bool = false,
              marks: [Character?] = []) {
        let characters = dotsAcross == 2 ? DotRaster.brailleCharacters : DotRaster.asciiCharacters
        for row in 0..<rows {
            let cy = y + row
            guard cy >= 0, cy < canvas.height else { continue }
            for column in 0..<columns {
                let mask = masks[row * columns + column]
                guard mask != 0 else { continue }
                let cx = x + column
                guard cx >= 0, cx < canvas.width else { continue }
                let layer = Int(layers[row * columns + column])
                var style = styles[layer]
                let index = cy * canvas.width + cx
                if keepBackground { style.background = canvas.cells[index].style.background }
                let mark = layer < marks.count ? marks[layer] : nil
                canvas.cells[index] = Cell(mark ?? characters[Int(mask)], style: style)
            }
        }
    }
}
