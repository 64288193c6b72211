import TextPlot

/// The `?` overlay: every key and what it does, drawn from `KeyBindings.all`. When the list is
/// taller than the screen it flows into two columns (help texts then cut with an ellipsis), so
/// every key stays listed even at the minimum size.
enum HelpOverlay {
    static let title = " Keys (any key closes) "

    static func draw(into canvas: inout Canvas, capabilities: RenderCapabilities) {
        let colors = capabilities.colors, glyphs = capabilities.glyphs
        let bindings = KeyBindings.all
        let labelWidth = (bindings.map(\.label.count).max() ?? 4) + 2
        let helpWidth = bindings.map(\.help.count).max() ?? 10
        let columns = bindings.count + 2 <= canvas.height - 2 ? 1 : 2
        let rows = (bindings.count + columns - 1) / columns
        let columnWidth = min((canvas.width - 4 - 2 * (columns - 1)) / columns, labelWidth + helpWidth)
        let width = min(canvas.width - 2, columns * columnWidth + 2 * (columns - 1) + 4)
        let height = min(canvas.height - 2, rows + 2)
        let box = Rect(x: (canvas.width - width) / 2, y: (canvas.height - height) / 2, width: width, height: height)
        canvas.fill(box)
        canvas.drawBox(box, style: Theme.highlight(colors), glyphs: glyphs)
        canvas.writeCentered(title, x: box.x, y: box.y, width: box.width, style: Theme.title(colors), glyphs: glyphs)
        let inner = Rect(x: box.x + 2, y: box.y + 1, width: box.width - 4, height: box.height - 2)
        for (index, binding) in bindings.enumerated() {
            let column = index / rows, row = index % rows
            guard row < inner.height else { continue }
            let x = inner.x + column * (columnWidth + 2), y = inner.y + row
            canvas.write(binding.label, x: x, y: y, maxWidth: labelWidth, style: Theme.title(colors), glyphs: glyphs, clip: inner)
            canvas.write(binding.help, x: x + labelWidth, y: y, maxWidth: columnWidth - labelWidth, glyphs: glyphs, clip: inner)
        }
    }
}
