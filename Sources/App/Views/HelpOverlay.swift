import TextPlot

/// The `?` overlay: every key and what it does, drawn from `KeyBindings.all`.
enum HelpOverlay {
    static let title = " Keys (any key closes) "

    static func draw(into canvas: inout Canvas, capabilities: RenderCapabilities) {
        let colors = capabilities.colors, glyphs = capabilities.glyphs
        let bindings = KeyBindings.all
        let labelWidth = (bindings.map(\.label.count).max() ?? 4) + 2
        let helpWidth = bindings.map(\.help.count).max() ?? 10
        let width = min(canvas.width - 2, labelWidth + helpWidth + 4)
        let height = min(canvas.height - 2, bindings.count + 2)
        let box = Rect(x: (canvas.width - width) / 2, y: (canvas.height - height) / 2, width: width, height: height)
        canvas.fill(box)
        canvas.drawBox(box, style: Theme.highlight(colors), glyphs: glyphs)
        canvas.writeCentered(title, x: box.x, y: box.y, width: box.width, style: Theme.title(colors), glyphs: glyphs)
        let inner = Rect(x: box.x + 2, y: box.y + 1, width: box.width - 4, height: box.height - 2)
        for (row, binding) in bindings.prefix(inner.height).enumerated() {
            let y = inner.y + row
            canvas.write(binding.label, x: inner.x, y: y, maxWidth: labelWidth, style: Theme.title(colors), glyphs: glyphs, clip: inner)
            canvas.write(binding.help, x: inner.x + labelWidth, y: y, maxWidth: inner.width - labelWidth, glyphs: glyphs, clip: inner)
        }
    }
}
