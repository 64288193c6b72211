/// A one-row trend: a label, the most recent values as block heights, and the last value.
public struct SparklineSpec: Widget {
    public var label: String
    public var values: [Double]
    /// A fixed range; nil uses the min...max of the values shown.
    public var range: ClosedRange<Double>?
    public var color: TerminalColor?

    public init(label: String, values: [Double], range: ClosedRange<Double>? = nil, color: TerminalColor? = nil) {
        self.label = label
        self.values = values
        self.range = range
        self.color = color
    }

    public func render(into canvas: inout Canvas, in rect: Rect, capabilities: RenderCapabilities) {
        let rect = rect.intersection(canvas.bounds)
        guard !rect.isEmpty else { return }
        let glyphs = capabilities.glyphs
        let last = values.last(where: { $0.isFinite }).map { NumberFormat.compact($0) } ?? "-"
        var x = rect.x
        if !label.isEmpty { x = canvas.write(label, x: x, y: rect.y, style: .plain, clip: rect) + 1 }
        let width = rect.maxX - x - last.count - 1
        if width >= 1 {
            // The newest values, one per column.
            let shown = values.suffix(width)
            let finite = shown.filter(\.isFinite)
            var low = range?.lowerBound ?? finite.min() ?? 0
            var high = range?.upperBound ?? finite.max() ?? 1
            if high <= low { low -= 0.5; high = low + 1 }
            let style: CellStyle = capabilities.hasColor
                ? CellStyle(foreground: color ?? Theme.seriesColor(0, colors: capabilities.colors)) : .plain
            let levels = glyphs.sparkRamp.count
            for (offset, value) in shown.enumerated() {
                guard value.isFinite else { continue }
                let t = min(1, max(0, (value - low) / (high - low)))
                canvas.put(glyphs.sparkRamp[Int((t * Double(levels - 1)).rounded())], x: x + offset, y: rect.y, style: style, clip: rect)
            }
            x += width + 1
        }
        canvas.write(last, x: x, y: rect.y, style: .init(attributes: .bold), clip: rect)
    }
}

/// A progress bar or gauge: a label, a bar filled to `value` of `range`, and a caption
/// (the percentage unless given).
public struct GaugeSpec: Widget {
    public var label: String
    public var value: Double
    public var range: ClosedRange<Double>
    public var caption: String?
    public var color: TerminalColor?

    public init(label: String, value: Double, range: ClosedRange<Double> = 0...1, caption: String? = nil,
                color: TerminalColor? = nil) {
        self.label = label
        self.value = value
        self.range = range
        self.caption = caption
        self.color = color
    }

    /// The filled fraction, clamped to 0...1 (0 for NaN or an empty range).
    public var fraction: Double {
        let span = range.upperBound - range.lowerBound
        guard span > 0, value.isFinite else { return 0 }
        return min(1, max(0, (value - range.lowerBound) / span))
    }

    public func render(into canvas: inout Canvas, in rect: Rect, capabilities: RenderCapabilities) {
        let rect = rect.intersection(canvas.bounds)
        guard !rect.isEmpty else { return }
        let glyphs = capabilities.glyphs
        let text = caption ?? "\(Int((fraction * 100).rounded()))%"
        var x = rect.x
        if !label.isEmpty { x = canvas.write(label, x: x, y: rect.y, maxWidth: rect.width / 3, glyphs: glyphs, clip: rect) + 1 }
        let cells = rect.maxX - x - text.count - 1
        if cells >= 1 {
            let filled: CellStyle, empty: CellStyle
            switch capabilities.colors {
            case .none: filled = .plain; empty = .plain
            case .basic8: filled = CellStyle(foreground: color ?? .indexed(2)); empty = CellStyle(attributes: .dim)
            case .indexed256: filled = CellStyle(foreground: color ?? .indexed(114)); empty = CellStyle(foreground: .indexed(238))
            }
            let length = BarChartSpec.eighths(value: fraction, maxValue: 1, cells: cells)
            let emptyGlyph: Character = capabilities.unicode ? "░" : "."
            for column in 0..<cells {
                let eighths = min(8, max(0, length - column * 8))
                let glyph = glyphs.horizontalEighths[eighths]
                if eighths == 0 || glyph == " " {
                    canvas.put(emptyGlyph, x: x + column, y: rect.y, style: empty, clip: rect)
                } else {
                    canvas.put(glyph, x: x + column, y: rect.y, style: filled, clip: rect)
                }
            }
            x += cells + 1
        }
        canvas.write(text, x: x, y: rect.y, style: .plain, clip: rect)
    }
}
