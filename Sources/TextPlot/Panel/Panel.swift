/// What a panel shows. Labs build these from their data; TextPlot decides how they look.
public enum PanelContent: Sendable {
    case lineChart(LineChartSpec)
    case heatmap(HeatmapSpec)
    case scatter(ScatterSpec)
    case bars(BarChartSpec)
    case table(TableSpec)
    /// Markdown text, drawn from its first line.
    case text(String)
    /// One sparkline a row.
    case sparklines([SparklineSpec])
    /// One gauge a row.
    case gauges([GaugeSpec])
    /// A signal with label strips under it (segmentation: the true and predicted class of
    /// every sample).
    case segmentedSignal(SegmentedSignalSpec)
    /// Several widgets in one panel, side by side or stacked (see `PanelSplit`): a beat and its
    /// class probabilities, a curve and its legend table.
    case split([PanelPart], direction: SplitDirection = .automatic)
}

/// A titled, bordered box holding one widget: the unit a lab hands to the app.
public struct Panel: Sendable {
    public var title: String
    public var content: PanelContent
    /// Rows (border included) the panel asks for when its content has no natural height of
    /// its own: a composite view (a trace over bands over words) that is unreadable at the
    /// grid's even share. Nil: whatever the grid gives.
    public var preferredHeight: Int?

    public init(title: String, content: PanelContent, preferredHeight: Int? = nil) {
        self.title = title
        self.content = content
        self.preferredHeight = preferredHeight
    }

    /// Draws the border with the title in its top edge, and the content inside it.
    public func render(into canvas: inout Canvas, in rect: Rect, capabilities: RenderCapabilities) {
        let rect = rect.intersection(canvas.bounds)
        guard rect.width >= 3, rect.height >= 3 else { return }
        let glyphs = capabilities.glyphs
        canvas.fill(rect)
        canvas.drawBox(rect, style: Theme.border(capabilities.colors), glyphs: glyphs)
        if !title.isEmpty, rect.width >= 6 {
            let end = canvas.write(" ", x: rect.x + 2, y: rect.y, clip: rect)
            let titleEnd = canvas.write(title, x: end, y: rect.y, maxWidth: rect.width - 6, style: Theme.title(capabilities.colors),
                                        glyphs: glyphs, clip: rect)
            canvas.write(" ", x: titleEnd, y: rect.y, clip: rect)
        }
        let inner = rect.inset(by: 1)
        renderContent(into: &canvas, in: inner, capabilities: capabilities)
    }

    /// The rows the panel needs to show everything it holds, border included, when its content
    /// has such a height (a table: header, rule and rows); nil when any height suits it.
    public var naturalHeight: Int? {
        switch content {
        case .table(let table): return table.naturalHeight + 2
        // A matrix with its numbers in the cells (a confusion matrix) reads best at one row per
        // matrix row; more height would only spread the numbers apart.
        case .heatmap(let map) where map.showValues: return map.rows + (map.columnLabels.isEmpty ? 0 : 1) + 2
        // One row per gauge: more height would only leave blank rows under them.
        case .gauges(let specs): return specs.count + 2
        default: return preferredHeight
        }
    }

    /// Draws only the content (no border) into `rect`.
    public func renderContent(into canvas: inout Canvas, in rect: Rect, capabilities: RenderCapabilities) {
        content.render(into: &canvas, in: rect, capabilities: capabilities)
    }
}

extension PanelContent {
    /// Draws the widget(s) into `rect`, never outside it.
    public func render(into canvas: inout Canvas, in rect: Rect, capabilities: RenderCapabilities) {
        guard !rect.isEmpty else { return }
        switch self {
        case .lineChart(let spec): spec.render(into: &canvas, in: rect, capabilities: capabilities)
        case .heatmap(let spec): spec.render(into: &canvas, in: rect, capabilities: capabilities)
        case .scatter(let spec): spec.render(into: &canvas, in: rect, capabilities: capabilities)
        case .bars(let spec): spec.render(into: &canvas, in: rect, capabilities: capabilities)
        case .table(let spec): spec.render(into: &canvas, in: rect, capabilities: capabilities)
        case .text(let markdown): MarkdownText(markdown).render(into: &canvas, in: rect, capabilities: capabilities)
        case .sparklines(let specs):
            for (index, spec) in specs.enumerated() where index < rect.height {
                spec.render(into: &canvas, in: Rect(x: rect.x, y: rect.y + index, width: rect.width, height: 1),
                            capabilities: capabilities)
            }
        case .gauges(let specs):
            for (index, spec) in specs.enumerated() where index < rect.height {
                spec.render(into: &canvas, in: Rect(x: rect.x, y: rect.y + index, width: rect.width, height: 1),
                            capabilities: capabilities)
            }
        case .segmentedSignal(let spec): spec.render(into: &canvas, in: rect, capabilities: capabilities)
        case .split(let parts, let direction):
            PanelSplit.render(parts, direction: direction, into: &canvas, in: rect, capabilities: capabilities)
        }
    }
}
