/// How many colours the terminal can show.
public enum ColorSupport: Int, Comparable, Sendable, CaseIterable {
    /// No colours (or the user asked for none with `NO_COLOR`): attributes and glyphs only.
    case none = 0
    /// The eight ANSI colours 0-7.
    case basic8 = 1
    /// The 256 xterm colours.
    case indexed256 = 2

    public static func < (lhs: ColorSupport, rhs: ColorSupport) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// What the terminal can draw. Widgets take this as a value, so tests can render every
/// combination without touching the environment, and the same plot stays readable over a
/// plain ASCII, colourless SSH session.
public struct RenderCapabilities: Hashable, Sendable, CustomStringConvertible {
    /// Whether the locale is UTF-8: braille, half blocks, eighth blocks and box lines are usable.
    public var unicode: Bool
    public var colors: ColorSupport

    public init(unicode: Bool = true, colors: ColorSupport = .indexed256) {
        self.unicode = unicode
        self.colors = colors
    }

    /// UTF-8 and 256 colours: the richest rendering.
    public static let full = RenderCapabilities(unicode: true, colors: .indexed256)
    /// ASCII glyphs with 256 colours.
    public static let asciiColor = RenderCapabilities(unicode: false, colors: .indexed256)
    /// UTF-8 glyphs, no colour.
    public static let unicodeMono = RenderCapabilities(unicode: true, colors: .none)
    /// ASCII glyphs, no colour: the most basic terminal.
    public static let asciiMono = RenderCapabilities(unicode: false, colors: .none)

    /// The glyph set for these capabilities.
    public var glyphs: Glyphs { unicode ? .unicode : .ascii }

    /// Whether any colour may be used.
    public var hasColor: Bool { colors != .none }

    /// Whether chart series are drawn with a mark of their own (`Glyphs.seriesMarks`: `*`,
    /// `+`, `o`, `#`...) instead of fine dots: in ASCII the dots are too coarse to follow a
    /// curve through a crossing, and without colour every series' dots look the same.
    public var marksSeries: Bool { !unicode || colors == .none }

    public var description: String {
        (unicode ? "utf8" : "ascii") + "-" + ["mono", "8", "256"][colors.rawValue]
    }

    /// Derives capabilities from environment variables the way terminals programs usually do:
    /// the effective locale is the first non-empty of `LC_ALL`, `LC_CTYPE`, `LANG`, and it is
    /// UTF-8 when its name says so; `NO_COLOR` set to anything non-empty turns colour off
    /// (no-color.org); `TERM` unset or `dumb` means no colour; otherwise the colour count the
    /// caller read from the terminal (ncurses' `COLORS`) decides.
    public static func detect(environment: [String: String], colorCount: Int) -> RenderCapabilities {
        let locale = ["LC_ALL", "LC_CTYPE", "LANG"].lazy
            .compactMap { environment[$0] }.first { !$0.isEmpty } ?? ""
        let upper = locale.uppercased()
        let unicode = upper.contains("UTF-8") || upper.contains("UTF8")
        let colors: ColorSupport
        let term = environment["TERM"] ?? ""
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty {
            colors = .none
        } else if term.isEmpty || term == "dumb" {
            colors = .none
        } else if colorCount >= 256 {
            colors = .indexed256
        } else if colorCount >= 8 {
            colors = .basic8
        } else {
            colors = .none
        }
        return RenderCapabilities(unicode: unicode, colors: colors)
    }
}
