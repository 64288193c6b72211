import TextPlot

/// The row above the status line: the last command's result or a note.
enum MessageView {
    static func draw(into canvas: inout Canvas, in rect: Rect, text: String, isError: Bool, capabilities: RenderCapabilities) {
        guard !rect.isEmpty else { return }
        let style = isError ? Theme.error(capabilities.colors) : .plain
        let firstLine = String(text.prefix { $0 != "\n" })
        canvas.write(firstLine, x: rect.x + 1, y: rect.y, maxWidth: rect.width - 2, style: style, glyphs: capabilities.glyphs)
    }
}
