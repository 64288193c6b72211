import TextPlot

/// A message of several lines (`:help`, `:help set`) in a box above the status line: the message
/// line has room for one. Any key closes it.
enum LongMessageView {
    static let title = " (any key closes) "

    static func draw(into canvas: inout Canvas, text: String, capabilities: RenderCapabilities) {
        let colors = capabilities.colors, glyphs = capabilities.glyphs
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let width = min(canvas.width - 2, (lines.map(\.count).max() ?? 10) + 4)
        // Above the message and status rows, below the header.
        let height = min(canvas.height - 4, lines.count + 2)
        guard width >= 10, height >= 3 else { return }
        let box = Rect(x: 1, y: canvas.height - 2 - height, width: width, height: height)
        canvas.fill(box)
        canvas.drawBox(box, style: Theme.highlight(colors), glyphs: glyphs)
        canvas.write(title, x: box.x + 2, y: box.y, maxWidth: box.width - 4, style: Theme.title(colors), glyphs: glyphs)
        let inner = Rect(x: box.x + 2, y: box.y + 1, width: box.width - 4, height: box.height - 2)
        let shown = lines.count <= inner.height ? lines : Array(lines.prefix(inner.height - 1)) + ["... (\(lines.count - inner.height + 1) more lines)"]
        for (row, line) in shown.enumerated() {
            canvas.write(line, x: inner.x, y: inner.y + row, maxWidth: inner.width, glyphs: glyphs, clip: inner)
        }
    }
}
