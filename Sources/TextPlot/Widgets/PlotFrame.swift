import Foundation

/// One axis of a plot: its range (in log10 units for a log axis), ticks and labels.
struct AxisMapping {
    let lower: Double, upper: Double
    let logarithmic: Bool
    let ticks: [Double]
    let labels: [String]

    /// The value in axis units, or nil when it cannot be shown (NaN, or <= 0 on a log axis).
    @inline(__always)
    func transform(_ value: Double) -> Double? {
        guard value.isFinite else { return nil }
        if logarithmic { return value > 0 ? log10(value) : nil }
        return value
    }

    /// Where `value` falls along the axis, 0 at `lower` and 1 at `upper` (may lie outside).
    @inline(__always)
    func unit(_ value: Double) -> Double? {
        guard let t = transform(value) else { return nil }
        return (t - lower) / (upper - lower)
    }

    /// An axis over data running from `low` to `high` (raw values; both finite or the axis
    /// falls back to 0...1). `widen` rounds the ends out to whole tick steps.
    static func make(low: Double, high: Double, scale: AxisScale, tickCount: Int, widen: Bool) -> AxisMapping {
        if scale == .logarithmic {
            let ticks = Ticks.logarithmic(lower: low, upper: high, maxCount: tickCount)
            var lo = log10(ticks.lower), hi = log10(ticks.upper)
            if !widen, low > 0, high > low { lo = log10(low); hi = log10(high) }
            let visible = ticks.values.filter { log10($0) >= lo - 1e-9 && log10($0) <= hi + 1e-9 }
            return AxisMapping(lower: lo, upper: hi, logarithmic: true, ticks: visible,
                               labels: visible.map(NumberFormat.logTick))
        }
        if widen {
            let t = Ticks.linear(lower: low, upper: high, count: tickCount)
            return AxisMapping(lower: t.lower, upper: t.upper, logarithmic: false, ticks: t.values,
                               labels: t.values.map { NumberFormat.tick($0, step: t.step) })
        }
        var lo = low, hi = high
        if !(lo.isFinite && hi.isFinite) { lo = 0; hi = 1 }
        if hi <= lo { hi = lo + 1 }
        let t = Ticks.linear(lower: lo, upper: hi, count: tickCount)
        let inside = t.values.filter { $0 >= lo - t.step * 1e-9 && $0 <= hi + t.step * 1e-9 }
        return AxisMapping(lower: lo, upper: hi, logarithmic: false, ticks: inside,
                           labels: inside.map { NumberFormat.tick($0, step: t.step) })
    }
}

/// An entry of a plot legend: a coloured swatch and a name.
struct LegendEntry {
    var swatch: Character
    var label: String
    var style: CellStyle
    /// A note that is left out when the legend does not fit (the smoothing factor), so the
    /// entries that name the curves keep their room.
    var optional = false
}

/// The shared frame of x/y plots: legend row, y labels, axis lines, x labels, and the dot
/// raster for the plot area. Computes the layout first, then draws the decorations.
struct PlotFrame {
    let plot: Rect
    var raster: DotRaster
    let xAxis: AxisMapping, yAxis: AxisMapping

    /// Lays out a plot in `rect`. Returns nil when the rect is too small to hold one.
    init?(rect: Rect, xLow: Double, xHigh: Double, xScale: AxisScale = .linear, widenX: Bool,
          yLow: Double, yHigh: Double, yScale: AxisScale, widenY: Bool, hasLegend: Bool, unicode: Bool) {
        let legendRows = hasLegend && rect.height >= 6 ? 1 : 0
        let xLabelRows = rect.height >= 5 ? 1 : 0
        let plotRows = rect.height - legendRows - 1 - xLabelRows
        guard plotRows >= 2, rect.width >= 8 else { return nil }
        let yTickCount = max(2, min(7, plotRows / 2 + 1))
        let y = AxisMapping.make(low: yLow, high: yHigh, scale: yScale, tickCount: yTickCount, widen: widenY)
        let labelWidth = min(y.labels.map(\.count).max() ?? 1, max(1, rect.width / 3))
        let plotColumns = rect.width - labelWidth - 1
        guard plotColumns >= 4 else { return nil }
        let x = AxisMapping.make(low: xLow, high: xHigh, scale: xScale, tickCount: max(2, min(8, plotColumns / 10 + 1)),
                                 widen: widenX)
        plot = Rect(x: rect.x + labelWidth + 1, y: rect.y + legendRows, width: plotColumns, height: plotRows)
        raster = DotRaster(columns: plotColumns, rows: plotRows, unicode: unicode)
        xAxis = x
        yAxis = y
    }

    /// The dot for a data point, or nil when it cannot be placed (NaN, <= 0 on a log axis).
    /// Points outside the range map outside the raster and are clipped there.
    @inline(__always)
    func pixel(x: Double, y: Double) -> (Int, Int)? {
        guard let u = xAxis.unit(x), let v = yAxis.unit(y) else { return nil }
        let px = (u * Double(raster.pixelWidth - 1)).rounded()
        let py = ((1 - v) * Double(raster.pixelHeight - 1)).rounded()
        guard abs(px) < 1e6, abs(py) < 1e6 else { return nil }
        return (Int(px), Int(py))
    }

    /// The cell row of the plot where axis value `value` (raw) lands, if inside.
    func row(forY value: Double) -> Int? {
        guard let v = yAxis.unit(value), v >= -1e-9, v <= 1 + 1e-9 else { return nil }
        let py = Int(((1 - v) * Double(raster.pixelHeight - 1)).rounded())
        return py / raster.dotsDown
    }

    /// The cell column of the plot where x value `value` lands, if inside.
    func column(forX value: Double) -> Int? {
        guard let u = xAxis.unit(value), u >= -1e-9, u <= 1 + 1e-9 else { return nil }
        return Int((u * Double(raster.pixelWidth - 1)).rounded()) / raster.dotsAcross
    }

    /// Draws legend, y labels, axis lines and x labels around the plot area.
    func drawDecorations(into canvas: inout Canvas, rect: Rect, legend: [LegendEntry], capabilities: RenderCapabilities) {
        let glyphs = capabilities.glyphs
        let axisStyle = Theme.axis(capabilities.colors)
        let axisColumn = plot.x - 1
        // Legend along the top row.
        if plot.y > rect.y {
            var column = rect.x + 1
            // Each entry takes its swatch, a space, its label and two spaces.
            let needed = legend.map { $0.label.count + 4 }.reduce(0, +) - 2
            let entries = needed <= rect.width - 1 ? legend : legend.filter { !$0.optional }
            for entry in entries {
                guard column < rect.maxX else { break }
                canvas.put(entry.swatch, x: column, y: rect.y, style: entry.style, clip: rect)
                column = canvas.write(entry.label, x: column + 2, y: rect.y, style: .plain, clip: rect) + 2
            }
        }
        // Y axis with ticks and right-aligned labels.
        for row in plot.y..<plot.maxY { canvas.put(glyphs.vertical, x: axisColumn, y: row, style: axisStyle, clip: rect) }
        var usedRows = Set<Int>()
        for (value, label) in zip(yAxis.ticks, yAxis.labels) {
            guard let row = row(forY: value), !usedRows.contains(row) else { continue }
            usedRows.insert(row)
            let y = plot.y + row
            canvas.put(glyphs.axisTickLeft, x: axisColumn, y: y, style: axisStyle, clip: rect)
            let width = axisColumn - rect.x
            let text = label.count > width ? String(label.prefix(width)) : label
            canvas.write(text, x: axisColumn - text.count, y: y, style: axisStyle, clip: rect)
        }
        // X axis line, ticks and labels that do not overlap.
        let axisRow = plot.maxY
        canvas.put(glyphs.axisCorner, x: axisColumn, y: axisRow, style: axisStyle, clip: rect)
        for column in plot.x..<plot.maxX { canvas.put(glyphs.horizontal, x: column, y: axisRow, style: axisStyle, clip: rect) }
        var nextFree = rect.x
        for (value, label) in zip(xAxis.ticks, xAxis.labels) {
            guard let column = column(forX: value) else { continue }
            let x = plot.x + column
            canvas.put(glyphs.axisTickDown, x: x, y: axisRow, style: axisStyle, clip: rect)
            guard axisRow + 1 < rect.maxY else { continue }
            var start = x - label.count / 2
            start = min(start, rect.maxX - label.count)
            start = max(start, rect.x)
            guard start >= nextFree else { continue }
            canvas.write(label, x: start, y: axisRow + 1, style: axisStyle, clip: rect)
            nextFree = start + label.count + 1
        }
    }
}
