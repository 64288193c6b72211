import Testing
@testable import TextPlot

@Suite struct PaletteTests {
    @Test func divergingPutsZeroAtNeutral() throws {
        // An asymmetric range: zero must still map to the middle colour.
        let scale = ColorScale(palette: .diverging, range: -0.2...1.5)
        #expect(scale.lower == -1.5 && scale.upper == 1.5)
        #expect(scale.position(0) == 0.5)
        for colors in [ColorSupport.basic8, .indexed256] {
            let neutral = try #require(ColorScale.neutral(colors: colors))
            #expect(scale.color(for: 0, colors: colors) == neutral)
            #expect(scale.color(for: 1.5, colors: colors) != neutral)
            #expect(scale.color(for: -1.5, colors: colors) != scale.color(for: 1.5, colors: colors))
        }
        #expect(scale.level(for: 0, levels: 4) == 0)
        #expect(scale.level(for: -1.5, levels: 4) == 3)
    }

    @Test func sequentialRunsFromFirstToLastColour() {
        let scale = ColorScale(palette: .sequential, range: 0...10)
        let table = ColorScale.table(.sequential, .indexed256)
        #expect(scale.color(for: 0, colors: .indexed256) == table.first)
        #expect(scale.color(for: 10, colors: .indexed256) == table.last)
        #expect(scale.color(for: 99, colors: .indexed256) == table.last)  // clamped
        #expect(scale.level(for: 10, levels: 10) == 9)
        // Dark start, light end: text on them must switch colour.
        #expect(table.first?.isLight == false && table.last?.isLight == true)
    }

    @Test func paletteColoursAreValidCubeIndices() {
        for entry in ColorScale.sequential256 + ColorScale.diverging256 {
            guard case .indexed(let index) = entry.color else { Issue.record("not indexed"); continue }
            #expect(index >= 16 && index <= 231)
        }
    }
}
