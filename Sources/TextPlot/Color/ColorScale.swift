/// How values map to colours in a heatmap.
public enum ColorPalette: Sendable, Hashable {
    /// Low to high: dark blue through green to yellow (viridis-like). For counts, probabilities,
    /// losses.
    case sequential
    /// Negative blue, zero the neutral colour, positive red; the range is made symmetric around
    /// zero so zero always lands on the neutral colour. For signed weights and gradients.
    case diverging
}

/// A colour resolved for one value: what to paint and whether text on it should be dark.
public struct ScaleColor: Sendable, Hashable {
    public var color: TerminalColor
    /// True when the colour is light enough that dark text reads better on it.
    public var isLight: Bool
}

/// Maps values to palette colours or, without colour, to density-ramp levels.
public struct ColorScale: Sendable {
    public let palette: ColorPalette
    public let lower: Double
    public let upper: Double

    /// A scale over `range`. For `.diverging` the range is widened to `-m...m` with `m` the
    /// larger magnitude, which is what puts zero at the neutral colour.
    public init(palette: ColorPalette, range: ClosedRange<Double>) {
        self.palette = palette
        var low = range.lowerBound.isFinite ? range.lowerBound : 0
        var high = range.upperBound.isFinite ? range.upperBound : 1
        if palette == .diverging {
            let magnitude = max(abs(low), abs(high))
            low = -magnitude
            high = magnitude
        }
        if high <= low { high = low + 1; if palette == .diverging { low = -1; high = 1 } }
        lower = low
        upper = high
    }

    /// The position of `value` in the scale, clamped to 0...1 (NaN gives 0.5 diverging, 0 sequential).
    @inline(__always)
    public func position(_ value: Double) -> Double {
        guard value.isFinite else { return palette == .diverging ? 0.5 : 0 }
        return min(1, max(0, (value - lower) / (upper - lower)))
    }

    /// The colour for `value` under the given colour support (`.default` when there is none).
    @inline(__always)
    public func color(for value: Double, colors: ColorSupport) -> ScaleColor {
        let table = ColorScale.table(palette, colors)
        guard !table.isEmpty else { return ScaleColor(color: .default, isLight: false) }
        let index = Int((position(value) * Double(table.count - 1)).rounded())
        return table[index]
    }

    /// The neutral colour of the diverging palette (what zero maps to).
    public static func neutral(colors: ColorSupport) -> ScaleColor? {
        let table = ColorScale.table(.diverging, colors)
        return table.isEmpty ? nil : table[table.count / 2]
    }

    /// The density-ramp level (0 = empty, `levels - 1` = dense) for `value`. For the diverging
    /// palette it is the magnitude from zero, so the caller adds the sign by glyph choice.
    @inline(__always)
    public func level(for value: Double, levels: Int) -> Int {
        let t = position(value)
        let amount = palette == .diverging ? abs(t - 0.5) * 2 : t
        return min(levels - 1, Int((amount * Double(levels - 1)).rounded()))
    }

    static func table(_ palette: ColorPalette, _ colors: ColorSupport) -> [ScaleColor] {
        switch (palette, colors) {
        case (_, .none): return []
        case (.sequential, .basic8): return sequential8
        case (.diverging, .basic8): return diverging8
        case (.sequential, .indexed256): return sequential256
        case (.diverging, .indexed256): return diverging256
        }
    }

    // Colour tables are computed once from RGB anchors and snapped to the xterm 6x6x6 cube.
    static let sequential256: [ScaleColor] = ramp(anchors: [(0.27, 0.00, 0.33), (0.23, 0.32, 0.55), (0.13, 0.57, 0.55),
                                                             (0.37, 0.79, 0.38), (0.99, 0.91, 0.14)], steps: 17)
    // An odd number of steps so the middle entry is exactly the neutral anchor.
    static let diverging256: [ScaleColor] = ramp(anchors: [(0.02, 0.35, 0.85), (0.40, 0.62, 0.95), (0.20, 0.20, 0.22),
                                                            (0.95, 0.55, 0.40), (0.90, 0.10, 0.10)], steps: 17)
    static let sequential8: [ScaleColor] = [ScaleColor(color: .indexed(4), isLight: false),
                                            ScaleColor(color: .indexed(6), isLight: true),
                                            ScaleColor(color: .indexed(2), isLight: true),
                                            ScaleColor(color: .indexed(3), isLight: true),
                                            ScaleColor(color: .indexed(7), isLight: true)]
    static let diverging8: [ScaleColor] = [ScaleColor(color: .indexed(4), isLight: false),
                                           ScaleColor(color: .indexed(6), isLight: true),
                                           ScaleColor(color: .indexed(0), isLight: false),
                                           ScaleColor(color: .indexed(3), isLight: true),
                                           ScaleColor(color: .indexed(1), isLight: false)]

    static func ramp(anchors: [(Double, Double, Double)], steps: Int) -> [ScaleColor] {
        (0..<steps).map { step in
            let t = Double(step) / Double(steps - 1) * Double(anchors.count - 1)
            let i = min(anchors.count - 2, Int(t))
            let f = t - Double(i)
            let a = anchors[i], b = anchors[i + 1]
            let r = a.0 + (b.0 - a.0) * f, g = a.1 + (b.1 - a.1) * f, bl = a.2 + (b.2 - a.2) * f
            let level = { (v: Double) in Int((v * 5).rounded()) }
            let index = 16 + 36 * level(r) + 6 * level(g) + level(bl)
            let luminance = 0.2126 * r + 0.7152 * g + 0.0722 * bl
            return ScaleColor(color: .indexed(UInt8(index)), isLight: luminance > 0.5)
        }
    }
}
