/// One curve of a line chart.
public struct LineSeries: Sendable {
    public var name: String
    /// The y values, in order.
    public var values: [Double]
    /// The x value of each y value; nil means 0, 1, 2, ... (the step index).
    public var x: [Double]?
    /// A fixed colour; nil takes the series colour by position.
    public var color: TerminalColor?

    public init(name: String, values: [Double], x: [Double]? = nil, color: TerminalColor? = nil) {
        self.name = name
        self.values = values
        self.x = x
        self.color = color
    }
}

/// A horizontal dashed line marking a goal, such as an accuracy of 0.95.
public struct TargetLine: Sendable, Hashable {
    public var value: Double
    public var label: String
    public init(_ value: Double, label: String = "target") {
        self.value = value
        self.label = label
    }
}

/// A line chart: braille curves (2x4 dots a cell), several series with a legend, nice axis
/// ticks, optional log y axis, optional EMA smoothing drawn over the faint raw curve, and an
/// optional target line. Long series are reduced to the plot width by keeping the minimum and
/// maximum of each dot column, so a single spike is never lost.
public struct LineChartSpec: Widget {
    public var series: [LineSeries]
    public var yScale: AxisScale
    /// EMA factor beta in 0..<1 (0.9 is typical, higher is smoother); nil draws raw values only.
    public var smoothing: Double?
    public var target: TargetLine?
    /// A fixed y range; nil fits the data (and the target) with nice round ends.
    public var yRange: ClosedRange<Double>?
    public var showLegend: Bool

    public init(series: [LineSeries], yScale: AxisScale = .linear, smoothing: Double? = nil,
                target: TargetLine? = nil, yRange: ClosedRange<Double>? = nil, showLegend: Bool = true) {
        self.series = series
        self.yScale = yScale
        self.smoothing = smoothing
        self.target = target
        self.yRange = yRange
        self.showLegend = showLegend
    }

    /// A description of what is wrong with the spec, or nil when it can be drawn.
    public var problem: String? {
        for line in series {
            if let x = line.x, x.count != line.values.count {
                return "series '\(line.name)' has \(x.count) x values for \(line.values.count) y values"
            }
        }
        if let smoothing, !(smoothing >= 0 && smoothing < 1) { return "smoothing must lie in 0..<1, got \(smoothing)" }
        if series.count > 100 { return "at most 100 series, got \(series.count)" }
        return nil
    }

    public func render(into canvas: inout Canvas, in rect: Rect, capabilities: RenderCapabilities) {
        let rect = rect.intersection(canvas.bounds)
        guard !rect.isEmpty, !renderProblem(problem, of: "line chart", into: &canvas, in: rect, capabilities: capabilities) else { return }
        let glyphs = capabilities.glyphs
        let logarithmic = yScale == .logarithmic
        // Data extent over finite (and, on a log axis, positive) values.
        var xLow = Double.infinity, xHigh = -Double.infinity, yLow = Double.infinity, yHigh = -Double.infinity
        for line in series {
            for (index, value) in line.values.enumerated() where value.isFinite && (!logarithmic || value > 0) {
                let x = line.x?[index] ?? Double(index)
                guard x.isFinite else { continue }
                xLow = min(xLow, x); xHigh = max(xHigh, x)
                yLow = min(yLow, value); yHigh = max(yHigh, value)
            }
        }
        let hasData = xLow <= xHigh
        if let target, target.value.isFinite, !logarithmic || target.value > 0, hasData {
            yLow = min(yLow, target.value); yHigh = max(yHigh, target.value)
        }
        if let yRange { yLow = yRange.lowerBound; yHigh = yRange.upperBound }
        if !hasData {
            xLow = 0; xHigh = 1
            if yRange == nil { (yLow, yHigh) = logarithmic ? (0.01, 1) : (0, 1) }
        }
        if xHigh == xLow { xHigh = xLow + 1 }

        var legend: [LegendEntry] = []
        var styles: [CellStyle] = []
        // In ASCII or without colour each curve is drawn with its own mark, shown in the legend,
        // whenever there are curves to tell apart (a smoothed curve is told from its raw one);
        // a lone curve keeps the finer dots.
        let marksSeries = capabilities.marksSeries && (series.count > 1 || smoothing != nil)
        func mark(_ index: Int) -> Character { glyphs.seriesMarks[index % glyphs.seriesMarks.count] }
        var marks: [Character?] = []
        for (index, line) in series.enumerated() {
            let style = Theme.seriesStyle(index, colors: capabilities.colors, override: line.color)
            legend.append(LegendEntry(swatch: marksSeries ? mark(index) : glyphs.legendLine, label: line.name, style: style))
        }
        if let target {
            legend.append(LegendEntry(swatch: glyphs.dash, label: "\(target.label) \(NumberFormat.compact(target.value))",
                                      style: Theme.target(capabilities.colors)))
        }
        if let smoothing {
            legend.append(LegendEntry(swatch: " ", label: "(EMA \(NumberFormat.compact(smoothing)))", style: .plain,
                                      optional: true))
        }
        guard var frame = PlotFrame(rect: rect, xLow: xLow, xHigh: xHigh, widenX: false, yLow: yLow, yHigh: yHigh,
                                    yScale: yScale, widenY: yRange == nil, hasLegend: showLegend && !legend.isEmpty,
                                    unicode: capabilities.unicode) else {
            renderMessage("(too small)", into: &canvas, in: rect, style: Theme.muted(capabilities.colors), glyphs: glyphs)
            return
        }
        frame.drawDecorations(into: &canvas, rect: rect, legend: showLegend ? legend : [], capabilities: capabilities)

        // The target goes in first so curves are drawn over it.
        if let target, let row = frame.row(forY: target.value) {
            let style = Theme.target(capabilities.colors)
            for column in stride(from: 0, to: frame.plot.width, by: 2) {
                canvas.put(glyphs.dash, x: frame.plot.x + column, y: frame.plot.y + row, style: style, clip: frame.plot)
            }
        }
        if !hasData {
            renderMessage("no data yet", into: &canvas, in: frame.plot, style: Theme.muted(capabilities.colors), glyphs: glyphs)
            return
        }
        for (index, line) in series.enumerated() {
            if let smoothing {
                // The faint raw curve keeps plain dots: the marks belong to the smoothed one.
                styles.append(Theme.seriesStyle(index, colors: capabilities.colors, faint: true, override: line.color))
                marks.append(nil)
                plot(line.values, x: line.x, frame: &frame, layer: UInt8(styles.count - 1))
                styles.append(Theme.seriesStyle(index, colors: capabilities.colors, override: line.color))
                marks.append(marksSeries ? mark(index) : nil)
                plot(exponentialMovingAverage(line.values, beta: smoothing), x: line.x, frame: &frame,
                     layer: UInt8(styles.count - 1))
            } else {
                styles.append(Theme.seriesStyle(index, colors: capabilities.colors, override: line.color))
                marks.append(marksSeries ? mark(index) : nil)
                plot(line.values, x: line.x, frame: &frame, layer: UInt8(styles.count - 1))
            }
        }
        frame.raster.draw(into: &canvas, x: frame.plot.x, y: frame.plot.y, styles: styles, marks: marks)
    }

    /// Draws one curve. Points sharing a dot column are reduced to that column's min..max
    /// (drawn as a vertical run), and consecutive columns are joined by a straight line from
    /// the last point of one to the first point of the next.
    private func plot(_ values: [Double], x xs: [Double]?, frame: inout PlotFrame, layer: UInt8) {
        var column = Int.min, first = 0, last = 0, low = 0, high = 0
        var previous: (Int, Int)? = nil
        func flush(_ frame: inout PlotFrame) {
            guard column != Int.min else { return }
            if let (px, py) = previous { frame.raster.line(px, py, column, first, layer: layer) }
            frame.raster.line(column, low, column, high, layer: layer)
            previous = (column, last)
        }
        for index in values.indices {
            let x = xs?[index] ?? Double(index)
            guard let (px, py) = frame.pixel(x: x, y: values[index]) else {
                // A gap (NaN, or <= 0 on a log axis) breaks the curve.
                flush(&frame); column = Int.min; previous = nil
                continue
            }
            if px == column {
                last = py; low = min(low, py); high = max(high, py)
            } else {
                flush(&frame)
                column = px; first = py; last = py; low = py; high = py
            }
        }
        flush(&frame)
    }
}
