import Foundation
import Testing
@testable import TextPlot

/// Code and formulas never break inside a token: code lines break at spaces or operators
/// with a continuation mark, prose (and the code spans in it) at spaces; only a token wider
/// than the whole line is cut, and the cut is marked too. Checked on every code line and
/// every paragraph with a code span in Lessons/.
@Suite struct CodeWrapTests {
    static let lessonsFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Lessons")

    /// The terminal widths the issue names, and the lesson pane's text widths at 120 columns
    /// (beside the lab), at 60 and at 80 (stacked), with a sweep of narrower widths.
    static let widths = [120, 80, 60, 33, 56, 76] + Array(stride(from: 14, to: 60, by: 3))

    static func lessonBlocks() throws -> [MarkdownBlock] {
        let files = try FileManager.default.contentsOfDirectory(at: lessonsFolder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "md" }
        #expect(files.count >= 11)
        return try files.flatMap { MarkdownParser.parse(try String(contentsOf: $0, encoding: .utf8)) }
    }

    /// Every code line and every paragraph of the lessons, nested ones included.
    static func collect(_ blocks: [MarkdownBlock], code: inout [String], paragraphs: inout [[MarkdownInline]]) {
        for block in blocks {
            switch block {
            case .code(let lines): code += lines
            case .paragraph(let inlines): paragraphs.append(inlines)
            case .list(_, _, _, let items): for item in items { collect(item, code: &code, paragraphs: &paragraphs) }
            case .quote(let inner): collect(inner, code: &code, paragraphs: &paragraphs)
            default: break
            }
        }
    }

    static func isTokenCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" || c == "." }

    /// Lays out one code line in a fenced block and checks the rules; returns the pieces.
    @discardableResult
    static func checkCodeLine(_ line: String, width: Int, capabilities: RenderCapabilities,
                              sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
        let mark = String(capabilities.glyphs.continuation)
        let rows = MarkdownText("```\n\(line)\n```").layout(width: width, capabilities: capabilities).lines.map(\.plainText)
        let room = width - 2
        let (_, hang) = MarkdownLayout.breakCode(line, width: room)
        var pieces: [String] = []
        for (index, row) in rows.enumerated() {
            #expect(row.count <= width, "\(row.count) > \(width): '\(row)'", sourceLocation: sourceLocation)
            var text = String(row.dropFirst(2 + (index > 0 ? hang : 0)))
            let continues = index < rows.count - 1
            #expect(text.hasSuffix(mark) == continues, "width \(width): '\(row)' of '\(line)'", sourceLocation: sourceLocation)
            if continues { text.removeLast() }
            pieces.append(text)
        }
        // Nothing is lost or reordered (spaces at a break may shrink to one).
        #expect(pieces.joined().filter { !$0.isWhitespace } == line.filter { !$0.isWhitespace }, sourceLocation: sourceLocation)
        // A break inside a token only where the token is wider than a whole line.
        for (piece, next) in zip(pieces, pieces.dropFirst()) {
            guard let last = piece.last, let first = next.first, isTokenCharacter(last), isTokenCharacter(first) else { continue }
            let token = String(piece.reversed().prefix { $0 != " " }.reversed()) + next.prefix { $0 != " " }
            #expect(token.count >= room - hang - 1, "'\(line)' broken inside '\(token)' at width \(width): '\(piece)' / '\(next)'",
                    sourceLocation: sourceLocation)
        }
        return pieces
    }

    @Test func theLinesFromTheIssueBreakBetweenTokens() {
        // The lesson pane at 120x40 leaves 31 columns for code; each of these was cut mid-word.
        let pieces = Self.checkCodeLine("new weight = weight - lr x gradient", width: 33, capabilities: .full)
        #expect(pieces == ["new weight = weight - lr x ", "gradient"])
        for line in ["e^2 = 7.39    e^1 = 2.72    e^0 = 1.00    total 11.11",
                     "loss = -ln(probability of the correct class)",
                     "250 samples -> 256 ReLU units -> 5 outputs -> softmax",
                     "new = new - learning_rate x weight_decay x old"] {
            let pieces = Self.checkCodeLine(line, width: 33, capabilities: .asciiMono)
            #expect(pieces.count >= 2)
            // No piece ends or starts inside "e^0 = 1.00", "->", "correct" or "weight_decay".
            for (piece, next) in zip(pieces, pieces.dropFirst()) {
                #expect(piece.hasSuffix(" "), "'\(piece)' / '\(next)'")
                #expect(!next.hasPrefix("=") && !next.hasPrefix(">"), "'\(piece)' / '\(next)'")
            }
        }
    }

    @Test func continuationLinesHangAndCarryTheMark() {
        let rows = MarkdownText("```\n    total = first_term + second_term + third_term\n```")
            .layout(width: 30, capabilities: .asciiMono).lines.map(\.plainText)
        // Continuation lines hang two columns deeper than the line's own indentation.
        #expect(rows == ["      total = first_term + \\", "        second_term + \\", "        third_term"])
        let unicode = MarkdownText("```\nx = alpha + beta\n```").layout(width: 14, capabilities: .full).lines.map(\.plainText)
        #expect(unicode == ["  x = alpha ↩", "    + beta"])
    }

    @Test func withoutSpacesCodeBreaksAtOperatorsAndCutsOnlyAWordTooLong() {
        #expect(MarkdownLayout.breakCode("weight_decay=0.01,momentum=0.9", width: 20).pieces == ["weight_decay=0.01,", "momentum=0.9"])
        #expect(MarkdownLayout.breakCode("lr=1e-3+x", width: 8).pieces == ["lr=1e-3", "+x"])
        #expect(MarkdownLayout.breakCode("a->b->c->d", width: 6).pieces == ["a->b", "->c", "->d"])
        // A single token wider than the room is cut (its mark follows in the layout).
        #expect(MarkdownLayout.breakCode("abcdefghijklmnop", width: 8).pieces == ["abcdefg", "hijkl", "mnop"])
    }

    @Test(arguments: [RenderCapabilities.full, .asciiMono])
    func everyLessonCodeLineWrapsBetweenTokens(capabilities: RenderCapabilities) throws {
        var code: [String] = [], paragraphs: [[MarkdownInline]] = []
        Self.collect(try Self.lessonBlocks(), code: &code, paragraphs: &paragraphs)
        #expect(code.count > 100)
        for line in code {
            for width in Self.widths { Self.checkCodeLine(line, width: width, capabilities: capabilities) }
        }
    }

    /// Paragraphs with code spans: every line is whole words of the text, so a formula such
    /// as `lr x gradient` breaks only at its spaces.
    @Test(arguments: [RenderCapabilities.full, .asciiMono])
    func everyLessonCodeSpanWrapsAtSpaces(capabilities: RenderCapabilities) throws {
        var code: [String] = [], paragraphs: [[MarkdownInline]] = []
        Self.collect(try Self.lessonBlocks(), code: &code, paragraphs: &paragraphs)
        let withCode = paragraphs.filter { $0.contains { $0.kind == .code } }
        #expect(withCode.count > 50)
        let mark = String(capabilities.glyphs.continuation)
        for inlines in withCode {
            let plain = MarkdownParser.plainText(inlines.filter { $0.kind != .url })
            let words = plain.split(separator: " ").map(String.init)
            for width in Self.widths {
                var layout = MarkdownLayout(width: width, capabilities: capabilities)
                layout.block(.paragraph(inlines.filter { $0.kind != .url }), first: [], rest: [], depth: 0)
                let rows = layout.lines.map(\.plainText)
                for row in rows { #expect(row.count <= width, "\(row) > \(width)") }
                if words.allSatisfy({ $0.count <= width }) {
                    #expect(rows.joined(separator: " ").split(separator: " ").map(String.init) == words, "at width \(width): \(rows)")
                } else {
                    let rejoined = rows.map { $0.hasSuffix(mark) ? String($0.dropLast()) + "\u{0}" : $0 + " " }.joined()
                        .replacingOccurrences(of: "\u{0}", with: "")
                    #expect(rejoined.split(separator: " ").map(String.init) == words, "at width \(width): \(rows)")
                }
            }
        }
    }
}
