/// A table of text: a bold header, a rule, and rows.
///
/// Too narrow for every column, it degrades in steps rather than cutting everything: text
/// columns shrink (with an ellipsis) to half their width at most, numbers (right-aligned
/// columns) never shrink, because a number cut short reads as a different number; when that is
/// not enough, the least important column is dropped and the rest get their room back.
/// Too low for every row, the last line says how many rows are not shown.
public struct TableSpec: Widget {
    public enum Alignment: Sendable, Hashable { case left, right }

    public var headers: [String]
    public var rows: [[String]]
    /// Per-column alignment; missing entries are left-aligned.
    public var alignments: [Alignment]
    /// Rows to emphasise (the current chapter, the best model).
    public var highlightedRows: Set<Int>
    /// Per-column importance when the table is too narrow: the lowest is dropped first. Empty
    /// (the default): the first column (what a row is) matters most, then the last (often the
    /// verdict), then the others from left to right.
    public var importance: [Int]

    public init(headers: [String], rows: [[String]], alignments: [Alignment] = [], highlightedRows: Set<Int> = [],
                importance: [Int] = []) {
        self.headers = headers
        self.rows = rows
        self.alignments = alignments
        self.highlightedRows = highlightedRows
        self.importance = importance
    }

    /// The lines the whole table takes: header and rule (when there are headers), then the rows.
    public var naturalHeight: Int { rows.count + (headers.isEmpty ? 0 : 2) }

    private var columnCount: Int { max(headers.count, rows.map(\.count).max() ?? 0) }

    private func alignment(_ column: Int) -> Alignment { column < alignments.count ? alignments[column] : .left }

    /// Columns in the order they are dropped, least important first.
    private var dropOrder: [Int] {
        let count = columnCount
        let rank: (Int) -> Int = { column in
            if column < importance.count { return importance[column] }
            // Default: first, then last, then left to right.
            return column == 0 ? 3 * count : (column == count - 1 ? 2 * count : count - column)
        }
        return (0..<count).sorted { (rank($0), -$0) < (rank($1), -$1) }
    }

    /// Column widths for a total width (one space between shown columns); 0 marks a dropped
    /// column. Natural widths when they fit; otherwise text columns shrink, the widest first,
    /// down to half their width (at least 6 cells); when that is not enough, the least
    /// important column goes. A single column left shrinks to whatever there is.
    public func columnWidths(fitting width: Int) -> [Int] {
        let count = columnCount
        var natural = [Int](repeating: 0, count: count)
        for row in [headers] + rows {
            for (index, text) in row.enumerated() { natural[index] = max(natural[index], text.count) }
        }
        var shown = Set(0..<count)
        var order = dropOrder
        while true {
            var widths = natural.indices.map { shown.contains($0) ? natural[$0] : 0 }
            let available = width - max(0, shown.count - 1)
            let floors = widths.indices.map { column -> Int in
                let w = widths[column]
                if shown.count == 1 { return 1 }
                return alignment(column) == .right ? w : min(w, max(6, (w + 1) / 2))
            }
            if floors.reduce(0, +) <= available || shown.count <= 1 {
                while widths.reduce(0, +) > available,
                      let widest = widths.indices.filter({ widths[$0] > max(1, floors[$0]) })
                          .max(by: { widths[$0] < widths[$1] }) {
                    widths[widest] -= 1
                }
                return widths
            }
            guard let next = order.first else { return widths }
            order.removeFirst()
            shown.remove(next)
        }
    }

    public func render(into canvas: inout Canvas, in rect: Rect, capabilities: RenderCapabilities) {
        let rect = rect.intersection(canvas.bounds)
        guard !rect.isEmpty else { return }
        let glyphs = capabilities.glyphs
        let widths = columnWidths(fitting: rect.width)
        var y = rect.y
        func drawRow(_ cells: [String], style: CellStyle) {
            var x = rect.x
            for (index, width) in widths.enumerated() where width > 0 {
                let text = index < cells.count ? cells[index] : ""
                let pad = alignment(index) == .right ? max(0, width - text.count) : 0
                canvas.write(text, x: x + pad, y: y, maxWidth: width, style: style, glyphs: glyphs, clip: rect)
                x += width + 1
            }
        }
        if !headers.isEmpty {
            drawRow(headers, style: Theme.title(capabilities.colors))
            y += 1
            let shownWidths = widths.filter { $0 > 0 }
            let ruleWidth = min(rect.width, shownWidths.reduce(0, +) + max(0, shownWidths.count - 1))
            for x in rect.x..<(rect.x + ruleWidth) { canvas.put(glyphs.horizontal, x: x, y: y, style: Theme.axis(capabilities.colors), clip: rect) }
            y += 1
        }
        // When the rows do not all fit, the last line says how many are missing.
        let room = rect.maxY - y
        let visible = rows.count <= room ? rows.count : max(0, room - 1)
        for (index, row) in rows.prefix(visible).enumerated() {
            drawRow(row, style: highlightedRows.contains(index) ? Theme.highlight(capabilities.colors) : .plain)
            y += 1
        }
        if visible < rows.count, y < rect.maxY {
            let hidden = rows.count - visible
            let marker = (capabilities.unicode ? "…" : "...") + " \(hidden) more row" + (hidden == 1 ? "" : "s")
            canvas.write(marker, x: rect.x, y: y, maxWidth: rect.width, style: Theme.muted(capabilities.colors),
                         glyphs: glyphs, clip: rect)
        }
    }
}
