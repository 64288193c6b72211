/// What the terminal can draw, so widgets pick their fallbacks (DESIGN.md, "Terminal").
public struct TerminalCapabilities: Hashable, Sendable {
    /// The locale is UTF-8: braille, half and eighth blocks may be used. Otherwise ASCII only.
    public var unicode: Bool
    /// How many colours may be used (`.none` for a monochrome terminal or `NO_COLOR`).
    public var colorDepth: ColorDepth

    public init(unicode: Bool, colorDepth: ColorDepth) {
        self.unicode = unicode
        self.colorDepth = colorDepth
    }

    /// Decides from what the terminal reports and the environment. `NO_COLOR` set to any
    /// non-empty value switches colour off (https://no-color.org).
    public static func detect(localeIsUTF8: Bool, hasColors: Bool, colors: Int,
                              environment: [String: String]) -> TerminalCapabilities {
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        let depth = (noColor || !hasColors) ? ColorDepth.none : ColorDepth(colors: colors)
        return TerminalCapabilities(unicode: localeIsUTF8, colorDepth: depth)
    }

    /// Full Unicode and 256 colours: what tests and benchmarks draw with.
    public static let full = TerminalCapabilities(unicode: true, colorDepth: .full256)
    /// ASCII and no colour: the most limited terminal.
    public static let plain = TerminalCapabilities(unicode: false, colorDepth: .none)
}
