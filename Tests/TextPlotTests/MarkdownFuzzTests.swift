import Testing
@testable import TextPlot

/// Random Markdown built from the characters that start and end blocks and spans: parsing and
/// laying out must never trap, and no laid-out line may be wider than the width (these
/// documents nest at most a few levels, so a prefix never fills the line alone).
@Suite struct MarkdownFuzzTests {
    static let pieces = ["- ", "* ", "+ ", "1. ", "4) ", "> ", "```", "~~~", "    ", "  ", "# ", "## ", "---", "***",
                         "| a | b |", "|---|---|", "`", "``", "*", "**", "_", "__", "[", "](", ")", "\\", "&amp;", "&#",
                         "word", "longerwordthatgoeson", "x", "2", " ", " ", " ", "\n", "\n", "\n\n", "é", "\t"]

    @Test func randomDocumentsParseAndStayWithinTheWidth() {
        var state: UInt64 = 0x9E3779B97F4A7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        for _ in 0..<500 {
            let document = (0..<next(60)).map { _ in Self.pieces[next(Self.pieces.count)] }.joined()
            _ = MarkdownParser.parse(document)
            for width in [1, 7, 30] {
                for capabilities in [RenderCapabilities.full, .asciiMono] {
                    let lines = MarkdownText(document).layout(width: width, capabilities: capabilities).lines
                    if width >= 30 {
                        for line in lines { #expect(line.width <= width, "\(line.plainText) in \(document.debugDescription)") }
                    }
                }
            }
        }
    }
}
