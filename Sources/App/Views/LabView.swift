import TextPlot

/// The lab's panels in a grid (`PanelGrid`), each drawn by TextPlot.
enum LabView {
    static func draw(into canvas: inout Canvas, in rect: Rect, title: String, panels: [Panel], focused: Bool,
                     capabilities: RenderCapabilities) {
        guard !rect.isEmpty else { return }
        guard !panels.isEmpty else {
            canvas.drawBox(rect, style: Theme.border(capabilities.colors), glyphs: capabilities.glyphs)
            canvas.writeCentered("\(title): nothing to show yet", x: rect.x, y: rect.y + rect.height / 2, width: rect.width,
                                 style: Theme.muted(capabilities.colors), glyphs: capabilities.glyphs)
            return
        }
        for (panel, cell) in zip(panels, PanelGrid.cells(count: panels.count, in: rect)) {
            panel.render(into: &canvas, in: cell, capabilities: capabilities)
        }
    }
}
