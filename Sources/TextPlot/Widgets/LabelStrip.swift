/// A signal with label strips under it: one row per labelling (the truth, a network's answer),
/// one cell per column, each cell showing the class of the sample under that column. The strips
/// use the same columns as the signal's plot area, so a wave on the curve sits right above its
/// band. With colour each class is a coloured block; without colour, or in ASCII, its letter.
public struct SegmentedSignalSpec: Widget {
    /// One class: the letter it is written with and the name in the key. Class 0 is the
    /// background, drawn as a faint dot so the waves stand out.
    public struct ClassBand: Sendable {
        public var letter: Character
        public var name: String
        public init(letter: Character, name: String) {
            self.letter = letter
            self.name = name
        }
    }

    /// One row of labels, one class index per sample of the signal.
    public struct Strip: Sendable {
        public var name: String
        public var labels: [Int]
        public init(name: String, labels: [Int]) {
            self.name = name
            self.labels = labels
        }
    }

    public var signal: [Double]
    public var strips: [Strip]
    public var classes: [ClassBand]

    public init(signal: [Double], strips: [Strip], classes: [ClassBand]) {
        self.signal = signal
        self.strips = strips
        self.classes = classes
    }

    public var problem: String? {
        if let bad = strips.first(where: { $0.labels.count != signal.count }) {
            return "strip '\(bad.name)' has \(bad.labels.count) labels for \(signal.count) samples"
        }
        if strips.contains(where: { $0.labels.contains { $0 < 0 || $0 >= classes.count } }) { return "a label is not one of the \(classes.count) classes" }
        return nil
    }

    /// The class shown in column `column` of `width`: the sample at the column's centre.
    public static func sample(forColumn column: Int, width: Int, count: Int) -> Int {
        min(count - 1, max(0, Int((Double(column) + 0.5) / Double(width) * Double(count))))
    }

    public func render(into canvas: inout Canvas, in rect: Rect, capabilities: RenderCapabilities) {
        let rect = rect.intersection(canvas.bounds)
        guard !rect.isEmpty, !renderProblem(problem, of: "label strips", into: &canvas, in: rect, capabilities: capabilities) else { return }
        let finite = signal.filter(\.isFinite)
        let low = finite.min() ?? 0
        var high = finite.max() ?? 1
        if high <= low { high = low + 1 }
        // Strips and the key take the bottom rows; the signal gets the rest: a plot if there is
        // room for one, else one row of block heights (still aligned with the strips).
        let keyRows = rect.height >= strips.count + 6 ? 1 : 0
        let chartHeight = rect.height - strips.count - keyRows
        // The strips' names ("true", "net") sit left of the plot area, so the chart is moved
        // right when its own y labels leave less room than the longest name.
        let nameWidth = (strips.map(\.name.count).max() ?? 0) + 1
        var chartRect = Rect(x: rect.x, y: rect.y, width: rect.width, height: max(0, chartHeight))
        func frame(in r: Rect) -> PlotFrame? {
            PlotFrame(rect: r, xLow: 0, xHigh: Double(max(signal.count - 1, 1)), widenX: false, yLow: low, yHigh: high,
                      yScale: .linear, widenY: false, hasLegend: false, unicode: capabilities.unicode)
        }
        if let first = frame(in: chartRect), first.plot.x - rect.x < nameWidth {
            let shift = nameWidth - (first.plot.x - rect.x)
            chartRect = Rect(x: rect.x + shift, y: rect.y, width: max(0, rect.width - shift), height: chartRect.height)
        }
        var plotX = rect.x + nameWidth, plotWidth = rect.width - nameWidth
        if chartHeight >= 4, let frame = frame(in: chartRect) {
            LineChartSpec(series: [LineSeries(name: "signal", values: signal)], yRange: low...high, showLegend: false)
                .render(into: &canvas, in: chartRect, capabilities: capabilities)
            (plotX, plotWidth) = (frame.plot.x, frame.plot.width)
        }
        guard plotWidth >= 1, !signal.isEmpty else { return }
        let stripTop = rect.y + max(0, chartHeight)
        if chartHeight >= 1 && chartHeight < 4 {
            // No room for a plot (80x24): the signal as one row of block heights right above the
            // strips, column for column, so the waves still sit over their bands.
            let ramp = capabilities.glyphs.sparkRamp
            for column in 0..<plotWidth {
                let value = signal[Self.sample(forColumn: column, width: plotWidth, count: signal.count)]
                guard value.isFinite else { continue }
                let level = Int(((value - low) / (high - low) * Double(ramp.count - 1)).rounded())
                canvas.put(ramp[min(ramp.count - 1, max(0, level))], x: plotX + column, y: stripTop - 1, style: .plain, clip: rect)
            }
        }
        let colour = capabilities.hasColor
        for (row, strip) in strips.enumerated() {
            let y = stripTop + row
            canvas.write(strip.name, x: rect.x, y: y, maxWidth: max(0, plotX - rect.x - 1), style: .plain,
                         glyphs: capabilities.glyphs, clip: rect)
            for column in 0..<plotWidth {
                let k = strip.labels[Self.sample(forColumn: column, width: plotWidth, count: signal.count)]
                let (glyph, style) = cell(k, colour: colour, capabilities: capabilities)
                canvas.put(glyph, x: plotX + column, y: y, style: style, clip: rect)
            }
        }
        if keyRows == 1 {
            var x = plotX
            for (k, band) in classes.enumerated() where k > 0 {
                let (glyph, style) = cell(k, colour: colour, capabilities: capabilities)
                canvas.put(glyph, x: x, y: stripTop + strips.count, style: style, clip: rect)
                x = canvas.write(" \(band.name)  ", x: x + 1, y: stripTop + strips.count, style: .plain, clip: rect)
            }
            let (dot, dotStyle) = cell(0, colour: colour, capabilities: capabilities)
            canvas.put(dot, x: x, y: stripTop + strips.count, style: dotStyle, clip: rect)
            canvas.write(" \(classes.first?.name ?? "background")", x: x + 1, y: stripTop + strips.count, style: .plain, clip: rect)
        }
    }

    /// Class k's cell: a faint dot for the background; a coloured block (Unicode with colour),
    /// or the class letter (ASCII or no colour; coloured too when colour exists).
    private func cell(_ k: Int, colour: Bool, capabilities: RenderCapabilities) -> (Character, CellStyle) {
        if k == 0 { return (capabilities.unicode ? "·" : ".", Theme.muted(capabilities.colors)) }
        let letter = classes[k].letter
        guard colour else { return (letter, CellStyle(attributes: .bold)) }
        let style = CellStyle(foreground: Theme.seriesColor(k, colors: capabilities.colors), attributes: .bold)
        return (capabilities.unicode ? "█" : letter, style)
    }
}
