import Testing
@testable import TextPlot

/// The label strips under a segmented signal: one cell per column, lined up with the plot.
@Suite struct LabelStripTests {
    static let classes = [SegmentedSignalSpec.ClassBand(letter: ".", name: "background"),
                          .init(letter: "P", name: "P wave"), .init(letter: "Q", name: "QRS"), .init(letter: "T", name: "T wave")]

    /// 100 samples: background, then a P wave on 20-29, a QRS on 40-49 and a T wave on 70-89.
    static let truth: [Int] = (0..<100).map { t in (20..<30).contains(t) ? 1 : (40..<50).contains(t) ? 2 : (70..<90).contains(t) ? 3 : 0 }

    func strips(_ capabilities: RenderCapabilities, width: Int = 60, height: Int = 12) -> [String] {
        var canvas = Canvas(width: width, height: height)
        let signal = (0..<100).map { Double(Self.truth[$0]) }
        SegmentedSignalSpec(signal: signal, strips: [.init(name: "true", labels: Self.truth), .init(name: "net", labels: Array(repeating: 0, count: 100))],
                            classes: Self.classes).render(into: &canvas, in: canvas.bounds, capabilities: capabilities)
        return canvas.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    @Test func inASCIIEachClassIsItsLetterInOrderAlongTheSignal() throws {
        let lines = strips(.asciiMono)
        let truthRow = try #require(lines.first { $0.hasPrefix("true") })
        let netRow = try #require(lines.first { $0.hasPrefix("net") })
        // The letters come in the order of the waves, each run about a tenth (or a fifth) of the width.
        let letters = truthRow.dropFirst(4).filter { "PQT".contains($0) }
        #expect(letters.first == "P" && letters.last == "T", "\(truthRow)")
        let (tCount, pCount) = (letters.count(where: { $0 == "T" }), letters.count(where: { $0 == "P" }))
        #expect(tCount > pCount, "the T wave is twice as long: \(truthRow)")
        #expect(!netRow.contains("P") && !netRow.contains("Q") && netRow.contains("."), "\(netRow)")
        let key = lines.contains(where: { $0.contains("P P wave") && $0.contains(". background") })
        #expect(key, "the key: \(lines)")
        let ascii = lines.allSatisfy { line in line.unicodeScalars.allSatisfy(\.isASCII) }
        #expect(ascii)
    }

    @Test func stripsStartWhereThePlotStarts() throws {
        let lines = strips(.asciiMono, width: 50)
        let truthRow = try #require(lines.first { $0.hasPrefix("true") })
        // The first strip cell is the plot's first column: the one right of the y axis.
        let axisRow = try #require(lines.first { $0.contains("+") || $0.contains("|") })
        let axis = try #require(axisRow.firstIndex { $0 == "|" || $0 == "+" })
        let firstCell = try #require(truthRow.firstIndex { $0 == "." || $0 == "P" })
        #expect(axisRow.distance(from: axisRow.startIndex, to: axis) + 1 == truthRow.distance(from: truthRow.startIndex, to: firstCell),
                "\(lines.joined(separator: "\n"))")
    }

    @Test func withColourTheWavesAreBlocks() {
        let lines = strips(.full)
        let blocks = lines.contains(where: { $0.hasPrefix("true") && $0.contains("█") && $0.contains("·") })
        #expect(blocks, "\(lines)")
    }

    @Test func mismatchedLengthsAreReportedNotDrawn() {
        var canvas = Canvas(width: 40, height: 8)
        SegmentedSignalSpec(signal: [0, 1, 2], strips: [.init(name: "true", labels: [0, 1])], classes: Self.classes)
            .render(into: &canvas, in: canvas.bounds, capabilities: .asciiMono)
        #expect(canvas.text.contains("2 labels for 3 samples") || canvas.text.contains("label strips"), "\(canvas.text)")
    }

    @Test func withoutRoomForAPlotTheSignalIsARowOfBlocksAboveTheStrips() throws {
        let lines = strips(.asciiMono, width: 60, height: 4)
        let truthIndex = try #require(lines.firstIndex { $0.hasPrefix("true") })
        #expect(truthIndex >= 1)
        let signalRow = lines[truthIndex - 1]
        #expect(signalRow.contains { $0 != " " }, "the signal row above the strips: \(lines)")
    }
}
