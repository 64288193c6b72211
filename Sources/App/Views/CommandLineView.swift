import TextPlot

/// The `:` prompt with its cursor.
enum CommandLineView {
    static func draw(into canvas: inout Canvas, in rect: Rect, editor: CommandLineEditor, capabilities: RenderCapabilities) {
        guard !rect.isEmpty else { return }
        canvas.fill(rect)
        let characters = Array(editor.text)
        // Keep the cursor in view on a long line.
        let room = rect.width - 2
        let start = max(0, editor.cursor - room + 1)
        let visible = String(characters[min(start, characters.count)...].prefix(room))
        let x = canvas.write(":", x: rect.x, y: rect.y, style: Theme.title(capabilities.colors), clip: rect)
        canvas.write(visible, x: x, y: rect.y, clip: rect)
        let cursorX = x + editor.cursor - start
        let under = cursorX - x < visible.count ? Array(visible)[cursorX - x] : " "
        canvas.write(String(under), x: cursorX, y: rect.y, style: CellStyle(attributes: .reverse), clip: rect)
    }
}
