import Testing
@testable import TextPlot

@Suite struct CapabilitiesTests {
    @Test func utf8LocaleAnd256Colours() {
        let caps = RenderCapabilities.detect(environment: ["LANG": "en_US.UTF-8", "TERM": "xterm-256color"], colorCount: 256)
        #expect(caps == RenderCapabilities(unicode: true, colors: .indexed256))
    }

    @Test func lcAllOverridesLang() {
        let caps = RenderCapabilities.detect(environment: ["LANG": "en_US.UTF-8", "LC_ALL": "C", "TERM": "xterm"], colorCount: 8)
        #expect(caps == RenderCapabilities(unicode: false, colors: .basic8))
        let ctype = RenderCapabilities.detect(environment: ["LC_CTYPE": "C.utf8", "TERM": "xterm"], colorCount: 8)
        #expect(ctype.unicode)
    }

    @Test func noColorWinsOverTheTerminal() {
        let caps = RenderCapabilities.detect(environment: ["LANG": "C.UTF-8", "TERM": "xterm-256color", "NO_COLOR": "1"],
                                             colorCount: 256)
        #expect(caps.colors == .none)
        // An empty NO_COLOR does not count (no-color.org).
        let empty = RenderCapabilities.detect(environment: ["TERM": "xterm-256color", "NO_COLOR": ""], colorCount: 256)
        #expect(empty.colors == .indexed256)
    }

    @Test func dumbOrMissingTermHasNoColour() {
        #expect(RenderCapabilities.detect(environment: ["TERM": "dumb"], colorCount: 256).colors == .none)
        #expect(RenderCapabilities.detect(environment: [:], colorCount: 256).colors == .none)
        #expect(RenderCapabilities.detect(environment: ["TERM": "vt100"], colorCount: 0).colors == .none)
    }
}
