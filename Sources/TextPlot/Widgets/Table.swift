/// A table of text: a bold header, a rule, and rows; columns shrink (with an ellipsis) when
/// the table is wider than its rect.
public struct TableSpec: Widget {
    public enum Alignment: Sendable, Hashable { case left, right }

    public var headers: [String]
    public var rows: [[String]]
    /// Per-column alignment; missing entries are left-aligned.
    public var alignments: [Alignment]
    /// Rows to emphasise (the current chapter, the best model).
    public var highlightedRows: Set<Int>

    public init(headers: [String], rows: [[String]], alignments: [Alignment] = [], highlightedRows: Set<Int> = []) {
        self.headers = headers
        self.rows = rows
        self.alignments = alignments
        self.highlightedRows = highlightedRows
    }

    /// Column widths for a total width: natural widths, the widest shrunk first until they fit
    /// (one space between columns).
    public func columnWidths(fitting width: Int) -> [Int] {
        let count = max(headers.count, rows.map(\.count).max() ?? 0)
        var widths = [Int](repeating: 0, count: count)
        for row in [headers] + rows {
            for (index, text) in row.enumerated() { widths[index] = max(widths[index], text.count) }
        }
        let available = width - max(0, count - 1)
        while widths.reduce(0, +) > available, let widest = widths.indices.max(by: { widths[$0] < widths[$1] }),
              widths[widest] > 1 {
            widths[widest] -= 1
        }
        return widths
    }

    public func render(into canvas: inout Canvas, in rect: Rect, capabilities: RenderCapabilities) {
        let rect = rect.intersection(canvas.bounds)
        guard !rect.isEmpty else { return }
        let glyphs = capabilities.glyphs
        let widths = columnWidths(fitting: rect.width)
        var y = rect.y
        func drawRow(_ cells: [String], style: CellStyle) {
            var x = rect.x
            for (index, width) in widths.enumerated() {
                let text = index < cells.count ? cells[index] : ""
                let alignment = index < alignments.count ? alignments[index] : .left
                let pad = alignment == .right ? max(0, width - text.count) : 0
                canvas.write(text, x: x + pad, y: y, maxWidth: width, style: style, glyphs: glyphs, clip: rect)
                x += width + 1
            }
        }
        if !headers.isEmpty {
            drawRow(headers, style: Theme.title(capabilities.colors))
            y += 1
            let ruleWidth = min(rect.width, widths.reduce(0, +) + max(0, widths.count - 1))
            for x in rect.x..<(rect.x + ruleWidth) { canvas.put(glyphs.horizontal, x: x, y: y, style: Theme.axis(capabilities.colors), clip: rect) }
            y += 1
        }
        for (index, row) in rows.enumerated() {
            guard y < rect.maxY else { break }
            drawRow(row, style: highlightedRows.contains(index) ? Theme.highlight(capabilities.colors) : .plain)
            y += 1
        }
    }
}
