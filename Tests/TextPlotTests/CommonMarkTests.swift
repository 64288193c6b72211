import Testing
@testable import TextPlot

/// The CommonMark rules the lessons lean on, each checked on its own (the whole lessons are
/// compared with cmark-gfm in AppTests' CommonMarkReferenceTests).
@Suite struct CommonMarkTests {
    func parse(_ markdown: String) -> [MarkdownBlock] { MarkdownParser.parse(markdown) }
    func text(_ string: String) -> [MarkdownInline] { [MarkdownInline(text: string)] }

    @Test func aNumberAndADotInsideAParagraphContinueIt() {
        // 00-prologue page 4 and 01-neuron page 4: neither line starts a list.
        #expect(parse("the error is -2 and its square is\n4. A second patient") ==
                [.paragraph(text("the error is -2 and its square is 4. A second patient"))])
        #expect(parse("the truth is\n80. The error is -8") == [.paragraph(text("the truth is 80. The error is -8"))])
        #expect(parse("a bullet needs a blank line\n- or does it") != [.paragraph(text("a bullet needs a blank line - or does it"))])
    }

    @Test func onlyAListStartingAtOneInterruptsAParagraph() {
        #expect(parse("steps:\n1. guess\n2. score") == [
            .paragraph(text("steps:")),
            .list(ordered: true, start: 1, tight: true, items: [[.paragraph(text("guess"))], [.paragraph(text("score"))]]),
        ])
        // After a blank line any start number begins a list, and the number is kept.
        #expect(parse("steps:\n\n4. repeat") == [
            .paragraph(text("steps:")),
            .list(ordered: true, start: 4, tight: true, items: [[.paragraph(text("repeat"))]]),
        ])
        // An empty item cannot interrupt a paragraph either.
        #expect(parse("text\n-") == [.heading(level: 2, text("text"))])  // a setext underline
        #expect(parse("text\n*") == [.paragraph(text("text *"))])
    }

    @Test func listItemsOwnTheirIndentedLinesAndLazyContinuations() {
        let markdown = """
            1. *Guess.* Feed an input
               through the model.
            2. *Score.* Compare
            the guess (a lazy line).
               - nested
                 more nested text

            After the list.
            """
        #expect(parse(markdown) == [
            .list(ordered: true, start: 1, tight: true, items: [
                [.paragraph([MarkdownInline(text: "Guess.", italic: true), MarkdownInline(text: " Feed an input through the model.")])],
                [.paragraph([MarkdownInline(text: "Score.", italic: true), MarkdownInline(text: " Compare the guess (a lazy line).")]),
                 .list(ordered: false, start: 0, tight: true, items: [[.paragraph(text("nested more nested text"))]])],
            ]),
            .paragraph(text("After the list.")),
        ])
    }

    @Test func blankLinesMakeAListLoose() {
        let loose = parse("- one\n\n- two")
        #expect(loose == [.list(ordered: false, start: 0, tight: false,
                                items: [[.paragraph(text("one"))], [.paragraph(text("two"))]])])
        // A different bullet starts a new list.
        #expect(parse("- one\n* two").count == 2)
        // A loose list is drawn with a blank line between items; a tight one without.
        let wide = MarkdownText("- one\n\n- two").layout(width: 20, capabilities: .asciiMono).lines.map(\.plainText)
        #expect(wide == ["* one", "", "* two"])
        let tight = MarkdownText("- one\n- two").layout(width: 20, capabilities: .asciiMono).lines.map(\.plainText)
        #expect(tight == ["* one", "* two"])
    }

    @Test func fencesCloseOnlyOnAMatchingFence() {
        let markdown = "````\n```\ncode\n````\n~~~ python\nx = 1\n~~~"
        #expect(parse(markdown) == [.code(lines: ["```", "code"]), .code(lines: ["x = 1"])])
        // A fence inside a list item keeps the item's indentation out of the code.
        #expect(parse("- run:\n\n  ```\n  mlcourse\n  ```") == [
            .list(ordered: false, start: 0, tight: false, items: [[.paragraph(text("run:")), .code(lines: ["mlcourse"])]]),
        ])
        // "## " inside a fence is code, not a heading.
        #expect(parse("```\n## not a heading\n```") == [.code(lines: ["## not a heading"])])
    }

    @Test func indentedCodeNeedsABlankLineBeforeIt() {
        #expect(parse("para\n    still para") == [.paragraph(text("para still para"))])
        #expect(parse("para\n\n    code  here\n      more") == [.paragraph(text("para")), .code(lines: ["code  here", "  more"])])
    }

    @Test func headingsQuotesAndRules() {
        #expect(parse("# One #\n## Two\n#NoSpace") == [.heading(level: 1, text("One")), .heading(level: 2, text("Two")),
                                                     .paragraph(text("#NoSpace"))])
        #expect(parse("Title\n===\n\n---\n* * *") == [.heading(level: 1, text("Title")), .rule, .rule])
        #expect(parse("> quoted\nlazy\n> - item") == [
            .quote([.paragraph(text("quoted lazy")), .list(ordered: false, start: 0, tight: true, items: [[.paragraph(text("item"))]])]),
        ])
    }

    @Test func hardBreaksEndALine() {
        #expect(parse("first  \nsecond\\\nthird") == [.paragraph([
            MarkdownInline(text: "first"), MarkdownInline(text: "", kind: .lineBreak), MarkdownInline(text: "second"),
            MarkdownInline(text: "", kind: .lineBreak), MarkdownInline(text: "third"),
        ])])
        let lines = MarkdownText("first  \nsecond").layout(width: 40, capabilities: .asciiMono).lines.map(\.plainText)
        #expect(lines == ["first", "second"])
    }

    @Test func emphasisFollowsTheDelimiterRules() {
        // A "*" with spaces around it is multiplication, not emphasis.
        #expect(parse("2 * 3 * 4") == [.paragraph(text("2 * 3 * 4"))])
        #expect(parse("snake_case_name and 2*3*4") == [.paragraph([
            MarkdownInline(text: "snake_case_name and 2"), MarkdownInline(text: "3", italic: true), MarkdownInline(text: "4"),
        ])])
        #expect(parse("***both*** and **b *i* b**") == [.paragraph([
            MarkdownInline(text: "both", bold: true, italic: true), MarkdownInline(text: " and "),
            MarkdownInline(text: "b ", bold: true), MarkdownInline(text: "i", bold: true, italic: true),
            MarkdownInline(text: " b", bold: true),
        ])])
        #expect(parse("**unclosed and *unclosed") == [.paragraph(text("**unclosed and *unclosed"))])
    }

    @Test func codeSpansEscapesEntitiesAndLinks() {
        #expect(parse("`` a`b `` and `*not em*` and \\*lit\\* &amp; &#955;") == [.paragraph([
            MarkdownInline(text: "a`b", kind: .code), MarkdownInline(text: " and "),
            MarkdownInline(text: "*not em*", kind: .code), MarkdownInline(text: " and *lit* & λ"),
        ])])
        #expect(parse("an `unclosed span") == [.paragraph(text("an `unclosed span"))])
        #expect(parse("see [the *docs*](https://x.org/a_(b) \"title\") now") == [.paragraph([
            MarkdownInline(text: "see "), MarkdownInline(text: "the ", kind: .link),
            MarkdownInline(text: "docs", kind: .link, italic: true), MarkdownInline(text: "https://x.org/a_(b)", kind: .url),
            MarkdownInline(text: " now"),
        ])])
        #expect(parse("[not a link] (x)") == [.paragraph(text("[not a link] (x)"))])
    }

    @Test func pipeTablesNeedADelimiterRowOfTheSameWidth() {
        #expect(parse("| a | b |\n|---|:-:|\n| 1 | `2` |\n| 3 |") ==
                [.table(header: ["a", "b"], rows: [["1", "2"], ["3", ""]])])
        #expect(parse("| a | b |\n|---|") == [.paragraph(text("| a | b | |---|"))])
    }
}
