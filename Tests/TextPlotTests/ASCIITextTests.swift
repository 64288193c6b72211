import Testing
@testable import TextPlot

@Suite struct ASCIITextTests {
    @Test func formulasKeepTheirMeaningInASCII() {
        #expect(ASCIIText.transliterate("new = old − lr × gradient") == "new = old - lr * gradient")
        #expect(ASCIIText.transliterate("accuracy ≥ 0.95 → done…") == "accuracy >= 0.95 -> done...")
        #expect(ASCIIText.transliterate("x² ≈ 4") == "x^2 ~ 4")
        #expect(ASCIIText.transliterate("plain ascii stays") == "plain ascii stays")
        // Anything without a spelling becomes one visible question mark, never vanishes.
        #expect(ASCIIText.transliterate("a ☃ b") == "a ? b")
        #expect(ASCIIText.transliterate("a ☃ b").unicodeScalars.allSatisfy { $0.isASCII })
    }
}
