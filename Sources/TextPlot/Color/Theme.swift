/// The colours and attributes widgets use for each role, chosen per colour support so that
/// information survives without colour: where colour is missing, attributes (bold, dim,
/// reverse) or glyph shapes carry the distinction instead.
public enum Theme {
    // Series/class colours in the 256-colour cube, chosen to stay apart on dark backgrounds:
    // blue, orange, green, pink, purple, yellow, teal, grey.
    static let series256: [UInt8] = [75, 215, 114, 204, 141, 222, 80, 250]
    // A dimmed twin of each, for raw (unsmoothed) curves drawn behind the smoothed ones.
    static let faint256: [UInt8] = [24, 130, 28, 125, 61, 136, 30, 242]
    // Very dark twins for filling decision regions behind points.
    static let region256: [UInt8] = [17, 52, 22, 53, 54, 58, 23, 236]
    // ANSI colours in an order that keeps the first few series distinct and legible.
    static let series8: [UInt8] = [6, 3, 2, 1, 5, 4, 7]
    // In mono, series are told apart by attributes.
    static let monoSeries: [CellAttributes] = [[], .bold, .underline, .italic, .reverse]

    /// The colour of series (or class) `index`.
    public static func seriesColor(_ index: Int, colors: ColorSupport) -> TerminalColor {
        switch colors {
        case .none: return .default
        case .basic8: return .indexed(series8[index % series8.count])
        case .indexed256: return .indexed(series256[index % series256.count])
        }
    }

    /// The style of series `index`; `faint` gives the background version drawn under a smoothed curve.
    public static func seriesStyle(_ index: Int, colors: ColorSupport, faint: Bool = false,
                                   override: TerminalColor? = nil) -> CellStyle {
        switch colors {
        case .none:
            var attributes = monoSeries[index % monoSeries.count]
            if faint { attributes = .dim }
            return CellStyle(attributes: attributes)
        case .basic8:
            return CellStyle(foreground: override ?? seriesColor(index, colors: colors),
                             attributes: faint ? .dim : [])
        case .indexed256:
            if faint {
                if case .indexed(let value)? = override { return CellStyle(foreground: .indexed(value), attributes: .dim) }
                return CellStyle(foreground: .indexed(faint256[index % faint256.count]))
            }
            return CellStyle(foreground: override ?? seriesColor(index, colors: colors))
        }
    }

    /// The background of a decision region of class `index` (256 colours only).
    public static func regionBackground(_ index: Int) -> TerminalColor {
        .indexed(region256[index % region256.count])
    }

    /// Axis lines and tick labels.
    public static func axis(_ colors: ColorSupport) -> CellStyle {
        colors == .indexed256 ? CellStyle(foreground: .indexed(244)) : (colors == .basic8 ? CellStyle(attributes: .dim) : .plain)
    }

    /// Panel borders.
    public static func border(_ colors: ColorSupport) -> CellStyle {
        colors == .indexed256 ? CellStyle(foreground: .indexed(240)) : .plain
    }

    /// Panel titles and headings.
    public static func title(_ colors: ColorSupport) -> CellStyle {
        switch colors {
        case .none: return CellStyle(attributes: .bold)
        case .basic8: return CellStyle(foreground: .indexed(6), attributes: .bold)
        case .indexed256: return CellStyle(foreground: .indexed(117), attributes: .bold)
        }
    }

    /// Target/goal lines.
    public static func target(_ colors: ColorSupport) -> CellStyle {
        switch colors {
        case .none: return CellStyle(attributes: .dim)
        case .basic8: return CellStyle(foreground: .indexed(3))
        case .indexed256: return CellStyle(foreground: .indexed(178))
        }
    }

    /// Secondary text: URLs, captions, units.
    public static func muted(_ colors: ColorSupport) -> CellStyle {
        colors == .indexed256 ? CellStyle(foreground: .indexed(245)) : CellStyle(attributes: .dim)
    }

    /// Error or warning text shown instead of a widget that got bad input.
    public static func error(_ colors: ColorSupport) -> CellStyle {
        switch colors {
        case .none: return CellStyle(attributes: .reverse)
        case .basic8: return CellStyle(foreground: .indexed(1), attributes: .bold)
        case .indexed256: return CellStyle(foreground: .indexed(203), attributes: .bold)
        }
    }

    /// Highlighted items (the predicted class, the selected row).
    public static func highlight(_ colors: ColorSupport) -> CellStyle {
        switch colors {
        case .none: return CellStyle(attributes: [.bold, .reverse])
        case .basic8: return CellStyle(foreground: .indexed(3), attributes: .bold)
        case .indexed256: return CellStyle(foreground: .indexed(220), attributes: .bold)
        }
    }
}
