/// One bar: a label and a non-negative value.
public struct Bar: Sendable, Hashable {
    public var label: String
    public var value: Double
    public var color: TerminalColor?
    public init(label: String, value: Double, color: TerminalColor? = nil) {
        self.label = label
        self.value = value
        self.color = color
    }
}

/// A bar chart with eighth-block resolution (a bar can end 1/8 of a cell into its last
/// cell), horizontal or vertical: class probabilities, feature importances.
public struct BarChartSpec: Widget {
    public enum Orientation: Sendable, Hashable { case horizontal, vertical }

    public var bars: [Bar]
    public var orientation: Orientation
    /// The value of a full-length bar; nil uses the largest value. 1 suits probabilities.
    public var maxValue: Double?
    public var showValues: Bool
    /// A bar to emphasise (the predicted class, the true label).
    public var highlighted: Int?

    public init(bars: [Bar], orientation: Orientation = .horizontal, maxValue: Double? = nil, showValues: Bool = true,
                highlighted: Int? = nil) {
        self.bars = bars
        self.orientation = orientation
        self.maxValue = maxValue
        self.showValues = showValues
        self.highlighted = highlighted
    }

    /// A description of what is wrong with the spec, or nil when it can be drawn.
    public var problem: String? {
        if let bad = bars.first(where: { !($0.value >= 0) || !$0.value.isFinite }) {
            return "bar '\(bad.label)' has value \(bad.value); bars need finite values >= 0"
        }
        if let maxValue, !(maxValue > 0) { return "maxValue must be > 0, got \(maxValue)" }
        return nil
    }

    /// The length of a bar in eighths of a cell: `value / maxValue` of `cells` cells, rounded
    /// to the nearest eighth and clamped to the available length.
    public static func eighths(value: Double, maxValue: Double, cells: Int) -> Int {
        guard maxValue > 0, value > 0, cells > 0 else { return 0 }
        return min(cells * 8, Int((value / maxValue * Double(cells * 8)).rounded()))
    }

    public func render(into canvas: inout Canvas, in rect: Rect, capabilities: RenderCapabilities) {
        let rect = rect.intersection(canvas.bounds)
        guard !rect.isEmpty, !renderProblem(problem, of: "bars", into: &canvas, in: rect, capabilities: capabilities) else { return }
        let glyphs = capabilities.glyphs
        guard !bars.isEmpty else {
            renderMessage("no data yet", into: &canvas, in: rect, style: Theme.muted(capabilities.colors), glyphs: glyphs)
            return
        }
        let top = maxValue ?? max(bars.map(\.value).max() ?? 1, Double.leastNonzeroMagnitude)
        let texts = showValues ? bars.map { NumberFormat.compact($0.value) } : []
        switch orientation {
        case .horizontal: renderHorizontal(into: &canvas, rect: rect, top: top, texts: texts, capabilities: capabilities)
        case .vertical: renderVertical(into: &canvas, rect: rect, top: top, texts: texts, capabilities: capabilities)
        }
    }

    private func barStyle(_ index: Int, capabilities: RenderCapabilities) -> CellStyle {
        if index == highlighted {
            var style = Theme.highlight(capabilities.colors)
            style.attributes.remove(.reverse)
            return style
        }
        switch capabilities.colors {
        case .none: return .plain
        case .basic8: return CellStyle(foreground: bars[index].color ?? .indexed(6))
        case .indexed256: return CellStyle(foreground: bars[index].color ?? .indexed(75))
        }
    }

    private func labelStyle(_ index: Int, capabilities: RenderCapabilities) -> CellStyle {
        index == highlighted ? Theme.highlight(capabilities.colors) : .plain
    }

    private func renderHorizontal(into canvas: inout Canvas, rect: Rect, top: Double, texts: [String],
                                  capabilities: RenderCapabilities) {
        let glyphs = capabilities.glyphs
        let labelWidth = min(bars.map(\.label.count).max() ?? 0, max(1, rect.width / 3))
        let valueWidth = texts.map(\.count).max() ?? 0
        let barCells = rect.width - labelWidth - 1 - (valueWidth > 0 ? valueWidth + 1 : 0)
        // Too narrow for the numbers too: the bars alone still say which class leads.
        if barCells < 1, !texts.isEmpty, rect.width - labelWidth - 1 >= 1 {
            renderHorizontal(into: &canvas, rect: rect, top: top, texts: [], capabilities: capabilities)
            return
        }
        guard barCells >= 1 else {
            renderMessage("(too small)", into: &canvas, in: rect, style: Theme.muted(capabilities.colors), glyphs: glyphs)
            return
        }
        let barX = rect.x + labelWidth + 1
        for (index, bar) in bars.enumerated() {
            let y = rect.y + index
            guard y < rect.maxY else { break }
            let label = bar.label
            let shown = label.count > labelWidth ? label : String(repeating: " ", count: labelWidth - label.count) + label
            canvas.write(shown, x: rect.x, y: y, maxWidth: labelWidth, style: labelStyle(index, capabilities: capabilities),
                         glyphs: glyphs, clip: rect)
            let length = BarChartSpec.eighths(value: bar.value, maxValue: top, cells: barCells)
            let style = barStyle(index, capabilities: capabilities)
            let full = length / 8, remainder = length % 8
            for column in 0..<full { canvas.put(glyphs.horizontalEighths[8], x: barX + column, y: y, style: style, clip: rect) }
            var end = barX + full
            if remainder > 0, glyphs.horizontalEighths[remainder] != " " {
                canvas.put(glyphs.horizontalEighths[remainder], x: end, y: y, style: style, clip: rect)
                end += 1
            }
            if !texts.isEmpty {
                canvas.write(texts[index], x: end + 1, y: y, style: Theme.muted(capabilities.colors), clip: rect)
            }
        }
    }

    private func renderVertical(into canvas: inout Canvas, rect: Rect, top: Double, texts: [String],
                                capabilities: RenderCapabilities) {
        let glyphs = capabilities.glyphs
        let count = bars.count
        // Bars share the width with one-cell gaps; each bar at least one cell wide.
        let barWidth = max(1, min(8, (rect.width + 1) / count - 1))
        let step = barWidth + 1
        let valueRows = texts.isEmpty ? 0 : 1
        let barRows = rect.height - 1 - valueRows
        guard barRows >= 1 else {
            renderMessage("(too small)", into: &canvas, in: rect, style: Theme.muted(capabilities.colors), glyphs: glyphs)
            return
        }
        let baseline = rect.maxY - 2  // last bar row; the label row is under it
        for (index, bar) in bars.enumerated() {
            let x = rect.x + index * step
            guard x < rect.maxX else { break }
            let length = BarChartSpec.eighths(value: bar.value, maxValue: top, cells: barRows)
            let style = barStyle(index, capabilities: capabilities)
            let full = length / 8, remainder = length % 8
            for row in 0..<full {
                for dx in 0..<barWidth { canvas.put(glyphs.verticalEighths[8], x: x + dx, y: baseline - row, style: style, clip: rect) }
            }
            var topRow = baseline - full + 1
            if remainder > 0, glyphs.verticalEighths[remainder] != " " {
                for dx in 0..<barWidth {
                    canvas.put(glyphs.verticalEighths[remainder], x: x + dx, y: baseline - full, style: style, clip: rect)
                }
                topRow -= 1
            }
            canvas.write(bar.label, x: x, y: rect.maxY - 1, maxWidth: barWidth, style: labelStyle(index, capabilities: capabilities),
                         glyphs: glyphs, clip: rect)
            if !texts.isEmpty, texts[index].count <= barWidth {
                // The value sits just above its bar.
                canvas.write(texts[index], x: x, y: topRow - 1, style: Theme.muted(capabilities.colors), clip: rect)
            }
        }
    }
}
