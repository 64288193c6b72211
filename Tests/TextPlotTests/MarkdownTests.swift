import Foundation
import Testing
@testable import TextPlot

@Suite struct MarkdownTests {
    func lines(_ markdown: String, width: Int, capabilities: RenderCapabilities = .full) -> [String] {
        MarkdownText(markdown).layout(width: width, capabilities: capabilities).lines.map(\.plainText)
    }

    static let prose = """
        Gradient descent walks downhill: at every step it computes the gradient of the loss with \
        respect to each parameter and moves the parameter a small step against it. The size of that \
        step is the learning rate, and choosing it well is most of the art. Supercalifragilisticexpialidocious.
        """

    @Test(arguments: [10, 17, 23, 40, 79])
    func wrappingNeverExceedsWidthAndKeepsWords(width: Int) {
        let wrapped = lines(MarkdownTests.prose, width: width)
        for line in wrapped { #expect(line.count <= width, "\(line.count) > \(width): \(line)") }
        // Same words in the same order; only a word longer than the line may be split.
        let original = MarkdownTests.prose.split(separator: " ").map(String.init)
        let rejoined = wrapped.joined(separator: " ").split(separator: " ").map(String.init)
        if width >= 34 {
            #expect(rejoined == original)
        } else {
            // The one long word is cut, and every cut ends in the continuation mark.
            #expect(rejoined.joined().replacingOccurrences(of: "↩", with: "") == original.joined())
            let cutLines = wrapped.filter { $0.hasSuffix("↩") }
            #expect(!cutLines.isEmpty)
            #expect(cutLines.allSatisfy { $0.contains("Supercal") || !$0.contains(" ") })
        }
        // Lines are filled greedily: the next line's first word would not have fitted.
        for (line, next) in zip(wrapped, wrapped.dropFirst()) {
            if let word = next.split(separator: " ").first, word.count < width {
                #expect(line.count + 1 + word.count > width)
            }
        }
    }

    @Test func headingsAndInlineStyles() {
        let text = MarkdownText("# Title\n\nSome **bold**, *italic* and `code`.").layout(width: 40, capabilities: .full)
        #expect(text.lines.map(\.plainText) == ["Title", "", "Some bold, italic and code."])
        let runs = text.lines[2].runs
        let bold = runs.first { $0.text == "bold" }
        #expect(bold?.style.attributes.contains(.bold) == true)
        #expect(runs.first { $0.text == "italic" }?.style.attributes.contains(.italic) == true)
        #expect(runs.first { $0.text == "code" }?.style.foreground == .indexed(180))
        #expect(text.lines[0].runs[0].style.attributes.contains(.bold))
    }

    @Test func unmatchedMarkersStayText() {
        let text = MarkdownText("2 * 3 and a ** b").layout(width: 40, capabilities: .full)
        #expect(text.lines[0].plainText == "2 * 3 and a ** b")
        #expect(text.lines[0].runs.allSatisfy { $0.style.attributes.isEmpty })
    }

    @Test func monoUnderlinesCodeInsteadOfShowingBackticks() {
        for capabilities in [RenderCapabilities.asciiMono, .unicodeMono] {
            let text = MarkdownText("Use `lr` here.").layout(width: 40, capabilities: capabilities)
            #expect(text.lines.map(\.plainText) == ["Use lr here."])
            #expect(text.lines[0].runs.first { $0.text == "lr" }?.style.attributes.contains(.underline) == true)
            #expect(text.lines[0].runs.first { $0.text.hasPrefix("Use") }?.style.attributes.isEmpty == true)
        }
    }

    @Test func linksShowTheUrlDimmed() {
        let text = MarkdownText("See [the docs](https://x.org).").layout(width: 60, capabilities: .unicodeMono)
        #expect(text.lines[0].plainText == "See the docs (https://x.org).")
        let url = text.lines[0].runs.first { $0.text.contains("https") }
        #expect(url?.style.attributes.contains(.dim) == true)
    }

    @Test func snakeCaseIsNotItalic() {
        let text = MarkdownText("call max_pool_2d now").layout(width: 40, capabilities: .full)
        #expect(text.lines[0].plainText == "call max_pool_2d now")
        #expect(text.lines[0].runs.allSatisfy { !$0.style.attributes.contains(.italic) })
    }

    @Test func nestedListsIndentAndHang() {
        let markdown = """
            - first item wraps onto a second line
              - nested
            - second
            1. one
            2. two
            """
        #expect(lines(markdown, width: 24, capabilities: .asciiMono) == [
            "* first item wraps onto",
            "  a second line",
            "  - nested",
            "* second",
            "",
            "1. one",
            "2. two",
        ])
    }

    @Test func quotesCodeAndRules() {
        let markdown = "> quoted text\n\n```\nlet x  = 1\n```\n\n---"
        #expect(lines(markdown, width: 12, capabilities: .asciiMono) == [
            "> quoted", "> text", "", "  let x  = 1", "", "------------",
        ])
    }

    @Test func tablesAlignColumns() {
        let markdown = "| name | value |\n|---|---:|\n| lr | 0.01 |\n| batch | 32 |"
        #expect(lines(markdown, width: 30, capabilities: .asciiMono) == [
            "name  | value", "------+------", "lr    | 0.01", "batch | 32",
        ])
    }

    @Test func renderScrollsFromAGivenLine() {
        let text = StyledText(lines: (0..<10).map { StyledLine([StyledRun("line \($0)")]) })
        var canvas = Canvas(width: 8, height: 2)
        text.render(into: &canvas, in: canvas.bounds, from: 7)
        #expect(canvas.text == "line 7  \nline 8  ")
        #expect(text.lineCount == 10)
    }
}
