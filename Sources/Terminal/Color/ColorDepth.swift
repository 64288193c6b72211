import TextPlot

/// How many colours the terminal can show, and how to fit the 256 xterm colours into fewer.
public enum ColorDepth: Int, Sendable, Comparable {
    /// No colour at all: monochrome terminal, or `NO_COLOR` set.
    case none = 0
    /// The eight ANSI colours.
    case basic8 = 8
    /// The eight ANSI colours and their bright forms.
    case basic16 = 16
    /// The xterm 256-colour palette.
    case full256 = 256

    /// The depth for a terminal reporting `colors` (ncurses' `COLORS`).
    public init(colors: Int) {
        switch colors {
        case 256...: self = .full256
        case 16..<256: self = .basic16
        case 8..<16: self = .basic8
        default: self = .none
        }
    }

    public static func < (a: ColorDepth, b: ColorDepth) -> Bool { a.rawValue < b.rawValue }

    /// `color` as this depth can show it: the nearest palette entry by RGB distance.
    /// At `.none` every colour becomes the default.
    public func reduce(_ color: TerminalColor) -> TerminalColor {
        guard case .indexed(let index) = color else { return color }
        switch self {
        case .full256: return color
        case .none: return .default
        case .basic8, .basic16:
            let limit = self == .basic8 ? 8 : 16
            if Int(index) < limit { return color }
            let target = XtermPalette.rgb(index)
            var best = 0, bestDistance = Int.max
            for candidate in 0..<limit {
                let rgb = XtermPalette.rgb(UInt8(candidate))
                let distance = (rgb.r - target.r) * (rgb.r - target.r) + (rgb.g - target.g) * (rgb.g - target.g)
                    + (rgb.b - target.b) * (rgb.b - target.b)
                if distance < bestDistance { bestDistance = distance; best = candidate }
            }
            return .indexed(UInt8(best))
        }
    }
}

/// The RGB values xterm uses for its 256 colours.
public enum XtermPalette {
    private static let system: [(Int, Int, Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    public static func rgb(_ index: UInt8) -> (r: Int, g: Int, b: Int) {
        let i = Int(index)
        if i < 16 { let c = system[i]; return (c.0, c.1, c.2) }
        if i >= 232 { let level = 8 + (i - 232) * 10; return (level, level, level) }
        let cube = i - 16
        func level(_ step: Int) -> Int { step == 0 ? 0 : 55 + step * 40 }
        return (level(cube / 36), level((cube / 6) % 6), level(cube % 6))
    }
}
