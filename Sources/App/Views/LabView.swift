import TextPlot

/// The lab's panels in a grid (`PanelGrid`), each drawn by TextPlot. When more panels come
/// than fit at a readable size, they are shown a page at a time (`>` and `<` turn the page).
enum LabView {
    /// Draws the panels of page `page`; returns the number of panel pages (at least 1).
    @discardableResult
    static func draw(into canvas: inout Canvas, in rect: Rect, title: String, panels: [Panel], page: Int, focused: Bool,
                     capabilities: RenderCapabilities) -> Int {
        guard !rect.isEmpty else { return 1 }
        guard !panels.isEmpty else {
            canvas.drawBox(rect, style: Theme.border(capabilities.colors), glyphs: capabilities.glyphs)
            canvas.writeCentered("\(title): nothing to show yet", x: rect.x, y: rect.y + rect.height / 2, width: rect.width,
                                 style: Theme.muted(capabilities.colors), glyphs: capabilities.glyphs)
            return 1
        }
        guard panels.count > PanelGrid.capacity(of: rect) else {
            draw(panels, in: rect, into: &canvas, capabilities: capabilities)
            return 1
        }
        // One row at the bottom says which panels are shown and how to see the others.
        let grid = Rect(x: rect.x, y: rect.y, width: rect.width, height: rect.height - 1)
        let perPage = PanelGrid.capacity(of: grid)
        let pages = (panels.count + perPage - 1) / perPage
        let current = min(max(0, page), pages - 1)
        let shown = Array(panels[(current * perPage)..<min(panels.count, (current + 1) * perPage)])
        draw(shown, in: grid, into: &canvas, capabilities: capabilities)
        let first = current * perPage + 1, last = first + shown.count - 1
        let note = "panels \(first)-\(last) of \(panels.count):  > next  < previous  (a larger terminal shows more)"
        canvas.write(note, x: rect.x + 1, y: rect.maxY - 1, maxWidth: rect.width - 2, style: Theme.muted(capabilities.colors),
                     glyphs: capabilities.glyphs)
        return pages
    }

    /// Draws `panels` in a grid over `rect`; a panel that needs a height (a table) asks for it.
    private static func draw(_ panels: [Panel], in rect: Rect, into canvas: inout Canvas, capabilities: RenderCapabilities) {
        let cells = PanelGrid.cells(count: panels.count, in: rect, naturalHeights: panels.map(\.naturalHeight))
        for (panel, cell) in zip(panels, cells) {
            panel.render(into: &canvas, in: cell, capabilities: capabilities)
        }
    }
}
