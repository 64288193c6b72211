import Testing
import TextPlot
@testable import Terminal

@Suite("Colour pairs and depth")
struct ColorTests {
    let red = ColorPairKey(foreground: .indexed(196), background: .default)
    let blue = ColorPairKey(foreground: .indexed(21), background: .default)

    @Test("the default pair is pair 0 and never allocated")
    func defaultPair() {
        var cache = ColorPairCache(capacity: 10)
        #expect(cache.lookup(ColorPairKey(foreground: .default, background: .default)) == .existing(0))
        #expect(cache.count == 0)
    }

    @Test("a new combination gets the next number once, then is reused")
    func allocatesOnceThenCaches() {
        var cache = ColorPairCache(capacity: 10)
        #expect(cache.lookup(red) == .new(1))
        #expect(cache.lookup(blue) == .new(2))
        #expect(cache.lookup(red) == .existing(1))
        #expect(cache.count == 2)
    }

    @Test("pairs beyond 255 are handed out (extended pairs)")
    func beyondEightBits() {
        var cache = ColorPairCache(capacity: 65536)
        var last = 0
        for fg in 0..<20 { for bg in 0..<20 {
            if case .new(let n) = cache.lookup(ColorPairKey(foreground: .indexed(UInt8(fg)), background: .indexed(UInt8(bg)))) { last = n }
        } }
        #expect(last == 400)
    }

    @Test("when numbers run out the cache says full, and starts again after removeAll")
    func fullThenReset() {
        var cache = ColorPairCache(capacity: 3)   // pairs 1 and 2 usable
        _ = cache.lookup(red); _ = cache.lookup(blue)
        #expect(cache.lookup(ColorPairKey(foreground: .indexed(46), background: .default)) == .full)
        #expect(cache.lookup(red) == .existing(1))
        cache.removeAll()
        #expect(cache.lookup(blue) == .new(1))
    }

    @Test("256 colours reduce to the nearest of 16 or 8")
    func reduction() {
        // 196 is pure red (255,0,0): bright red (9) in 16 colours, red (1) in 8.
        #expect(ColorDepth.basic16.reduce(.indexed(196)) == .indexed(9))
        #expect(ColorDepth.basic8.reduce(.indexed(196)) == .indexed(1))
        // 231 is white; 16 is black.
        #expect(ColorDepth.basic16.reduce(.indexed(231)) == .indexed(15))
        #expect(ColorDepth.basic8.reduce(.indexed(16)) == .indexed(0))
        #expect(ColorDepth.full256.reduce(.indexed(123)) == .indexed(123))
        #expect(ColorDepth.none.reduce(.indexed(123)) == .default)
        #expect(ColorDepth.basic8.reduce(.default) == .default)
    }

    @Test("the xterm cube and grey ramp have their documented values")
    func palette() {
        #expect(XtermPalette.rgb(16) == (0, 0, 0))
        #expect(XtermPalette.rgb(21) == (0, 0, 255))
        #expect(XtermPalette.rgb(196) == (255, 0, 0))
        #expect(XtermPalette.rgb(232) == (8, 8, 8))
        #expect(XtermPalette.rgb(255) == (238, 238, 238))
    }

    @Test("capabilities: NO_COLOR and monochrome switch colour off; locale decides Unicode")
    func capabilities() {
        let color = TerminalCapabilities.detect(localeIsUTF8: true, hasColors: true, colors: 256, environment: [:])
        #expect(color == TerminalCapabilities(unicode: true, colorDepth: .full256))
        let noColor = TerminalCapabilities.detect(localeIsUTF8: true, hasColors: true, colors: 256, environment: ["NO_COLOR": "1"])
        #expect(noColor.colorDepth == .none)
        let emptyNoColor = TerminalCapabilities.detect(localeIsUTF8: true, hasColors: true, colors: 256, environment: ["NO_COLOR": ""])
        #expect(emptyNoColor.colorDepth == .full256)
        let vt100 = TerminalCapabilities.detect(localeIsUTF8: false, hasColors: false, colors: 0, environment: [:])
        #expect(vt100 == .plain)
        #expect(TerminalCapabilities.detect(localeIsUTF8: true, hasColors: true, colors: 8, environment: [:]).colorDepth == .basic8)
    }
}
