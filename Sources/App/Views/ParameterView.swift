import TextPlot

/// The lab's hyperparameters, one a row; the selected one highlighted with its value, range
/// and a line of help at the bottom.
enum ParameterView {
    static func draw(into canvas: inout Canvas, in rect: Rect, parameters: [HyperparameterInfo], selected: Int,
                     focused: Bool, capabilities: RenderCapabilities) {
        guard rect.width >= 10, rect.height >= 3 else { return }
        let colors = capabilities.colors, glyphs = capabilities.glyphs
        canvas.drawBox(rect, style: focused ? Theme.highlight(colors) : Theme.border(colors), glyphs: glyphs)
        canvas.write(" Hyperparameters  [ ] select  + - change ", x: rect.x + 2, y: rect.y, maxWidth: rect.width - 4,
                     style: Theme.title(colors), glyphs: glyphs)
        let inner = rect.inset(by: 1)
        guard !parameters.isEmpty else {
            canvas.write("no hyperparameters", x: inner.x, y: inner.y, maxWidth: inner.width, style: Theme.muted(colors), glyphs: glyphs)
            return
        }
        // The last inner row carries the help line when there is room for it and a parameter.
        let listRows = inner.height >= 2 ? inner.height - 1 : inner.height
        let first = max(0, min(selected - listRows / 2, parameters.count - listRows))
        let nameWidth = min(16, (parameters.map(\.name.count).max() ?? 4) + 1)
        let valueWidth = min(14, (parameters.map(\.value.count).max() ?? 4) + 2)
        for (offset, parameter) in parameters.dropFirst(first).prefix(listRows).enumerated() {
            let index = first + offset, y = inner.y + offset
            let isSelected = index == selected
            let rowStyle: CellStyle = isSelected ? Theme.highlight(colors) : .plain
            let pointer = isSelected ? (capabilities.unicode ? "▶ " : "> ") : "  "
            var x = canvas.write(pointer + parameter.name.padding(to: nameWidth), x: inner.x, y: y, style: rowStyle, clip: inner)
            var valueStyle = rowStyle
            if isSelected { valueStyle.attributes.insert(.reverse) }
            x = canvas.write(" " + parameter.value + " ", x: x, y: y, style: valueStyle, clip: inner)
            x = canvas.write(String(repeating: " ", count: max(1, valueWidth - parameter.value.count)), x: x, y: y, clip: inner)
            let when = parameter.appliesLive ? "live" : "on reset"
            canvas.write("\(parameter.range)  (\(when))", x: x, y: y, maxWidth: inner.maxX - x,
                         style: Theme.muted(colors), glyphs: glyphs)
        }
        if inner.height >= 2 {
            let parameter = parameters[min(selected, parameters.count - 1)]
            canvas.write("\(parameter.name): \(parameter.help)", x: inner.x, y: inner.maxY - 1, maxWidth: inner.width,
                         style: Theme.muted(colors), glyphs: glyphs)
        }
    }
}

extension String {
    /// Padded with spaces (or cut) to exactly `width` characters.
    func padding(to width: Int) -> String {
        count >= width ? String(prefix(width)) : self + String(repeating: " ", count: width - count)
    }
}
