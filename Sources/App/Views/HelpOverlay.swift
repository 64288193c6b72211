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
        // The box (2 border + 2 margin columns) and the gaps between columns must fit the screen.
        let columnWidth = min((canvas.width - 6 - 2 * (columns - 1)) / columns, labelWidth + helpWidth)
        let width = min(canvas.width - 2, columns * columnWidth + 2 * (columns - 1) + 4)
        let height = min(canvas.height - 2, rows + 2)
        let box = Rect(x: (canvas.width - width) / 2, y: (canvas.height - height) / 2, width: width, height: height)
        canvas.fill(box)
        canvas.drawBox(box, style: Theme.highlight(colors), glyphs: glyphs)
        canvas.writeCentered(title, x: box.x, y: box.y, width: box.width, style: Theme.title(colors), glyphs: glyphs)
        let inner = Rect(x: box.x + 2, y: box.y + 1, width: box.width - 4, height: box.height - 2)
        for column in 0..<columns {
            let members = Array(bindings.dropFirst(column * rows).prefix(rows))
            // Each column sizes its key labels to its own longest, leaving the rest for the help.
            let keyWidth = (members.map(\.label.count).max() ?? 4) + 2
            let x = inner.x + column * (columnWidth + 2)
            for (row, binding) in members.enumerated() where row < inner.height {
                canvas.write(binding.label, x: x, y: inner.y + row, maxWidth: keyWidth, style: Theme.title(colors),
                             glyphs: glyphs, clip: inner)
                canvas.write(binding.help, x: x + keyWidth, y: inner.y + row, maxWidth: columnWidth - keyWidth,
                             glyphs: glyphs, clip: inner)
            }
        }
    }
}
