import TextPlot

/// Shown instead of the layout when the terminal is below the minimum size: plain words,
/// wrapped to fit, never a squashed screen.
enum TooSmallView {
    static func message(width: Int, height: Int) -> [String] {
        ["Please enlarge the terminal:", "mlcourse needs at least",
         "\(ScreenLayout.minimumWidth) x \(ScreenLayout.minimumHeight) (now \(width) x \(height)).", "q quits."]
    }

    static func draw(into canvas: inout Canvas, capabilities: RenderCapabilities) {
        var lines: [String] = []
        for line in message(width: canvas.width, height: canvas.height) {
            lines.append(contentsOf: wrap(line, width: max(1, canvas.width)))
        }
        let top = max(0, (canvas.height - lines.count) / 2)
        for (row, line) in lines.enumerated() {
            canvas.writeCentered(line, x: 0, y: top + row, width: canvas.width,
                                 style: row == 0 ? CellStyle(attributes: .bold) : .plain, glyphs: capabilities.glyphs)
        }
    }

    /// Greedy word wrap; words longer than the width are cut.
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = [], current = ""
        for word in text.split(separator: " ") {
            if current.isEmpty { current = String(word.prefix(width)) }
            else if current.count + 1 + word.count <= width { current += " " + word }
            else { lines.append(current); current = String(word.prefix(width)) }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
