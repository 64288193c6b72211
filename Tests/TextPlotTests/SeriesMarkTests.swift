import Foundation
import Testing
@testable import TextPlot

/// In ASCII and without colour every series is drawn with a mark of its own, and its legend
/// entry shows that mark: four optimizers' loss curves can be told apart on a vt100.
@Suite struct SeriesMarkTests {
    static let racers = ["sgd", "momentum", "adam", "adamw"]

    /// Four decaying curves that stay apart: racer r falls at its own rate.
    static func raceChart() -> LineChartSpec {
        LineChartSpec(series: racers.indices.map { r in
            LineSeries(name: racers[r], values: (0..<60).map { 4 * Double(r + 1) * exp(-Double($0) / Double(10 * (r + 1))) + Double(r) })
        })
    }

    /// The cells inside the axes: right of the y axis, between the legend and the x axis.
    func interior(_ canvas: Canvas, _ capabilities: RenderCapabilities) -> [(x: Int, y: Int, cell: Cell)] {
        let glyphs = capabilities.glyphs
        let rows = canvas.text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
        let axisRow = rows.lastIndex { row in row.filter { $0 == glyphs.horizontal }.count >= 5 } ?? canvas.height
        let axisColumn = rows[2].firstIndex { $0 == glyphs.vertical || $0 == glyphs.axisTickLeft } ?? 0
        var cells: [(x: Int, y: Int, cell: Cell)] = []
        for y in 1..<axisRow { for x in (axisColumn + 1)..<canvas.width { cells.append((x, y, canvas[x, y])) } }
        return cells
    }

    func canvas(_ widget: any Widget, _ capabilities: RenderCapabilities, width: Int = 60, height: Int = 16) -> Canvas {
        var canvas = Canvas(width: width, height: height)
        widget.render(into: &canvas, in: canvas.bounds, capabilities: capabilities)
        return canvas
    }

    @Test(arguments: [RenderCapabilities.asciiMono, .unicodeMono, .asciiColor])
    func eachCurveHasItsOwnMarkMatchedInTheLegend(capabilities: RenderCapabilities) {
        let canvas = canvas(Self.raceChart(), capabilities)
        let rows = canvas.text.split(separator: "\n").map(String.init)
        let marks = Array(capabilities.glyphs.seriesMarks.prefix(4))
        #expect(marks == ["*", "+", "o", "#"])
        #expect(rows[0].hasPrefix(" * sgd  + momentum  o adam  # adamw"), "legend: \(rows[0])")
        // Each mark is drawn inside the axes, in its series' style, and nothing else is.
        let inside = interior(canvas, capabilities).filter { $0.cell.character != " " }
        for (index, mark) in marks.enumerated() {
            let cells = inside.filter { $0.cell.character == mark }
            #expect(cells.count >= 10, "series \(index) mark \(mark): \(cells.count) cells")
            #expect(cells.allSatisfy { $0.cell.style == Theme.seriesStyle(index, colors: capabilities.colors) })
        }
        #expect(inside.allSatisfy { marks.contains($0.cell.character) }, "\(Set(inside.map(\.cell.character)))")
    }

    @Test func withUnicodeAndColourCurvesStayBrailleWithLineSwatches() {
        let rows = canvas(Self.raceChart(), .full).text.split(separator: "\n").map(String.init)
        #expect(rows[0].hasPrefix(" ━ sgd  ━ momentum  ━ adam  ━ adamw"))
        #expect(rows.dropFirst().joined().unicodeScalars.contains { $0.value > 0x2800 && $0.value <= 0x28FF })
    }

    @Test func aLoneCurveKeepsItsDotsButASmoothedOneIsMarked() {
        let lone = LineChartSpec(series: [LineSeries(name: "beat", values: (0..<40).map { sin(Double($0) / 4) })])
        let loneText = canvas(lone, .asciiMono).text
        #expect(loneText.contains("'") || loneText.contains(":"))
        #expect(!loneText.dropFirst(60).contains("*"))
        var smoothed = lone
        smoothed.smoothing = 0.8
        let rows = canvas(smoothed, .asciiMono).text.split(separator: "\n").map(String.init)
        #expect(rows[0].hasPrefix(" * beat"))
        #expect(rows.dropFirst().joined().contains("*"))
    }

    @Test func scatterOverlayLinesGetMarksNoClassUses() {
        let points = (0..<20).map { ScatterPoint(x: Double($0) / 10, y: 2 * Double($0) / 10 + 0.5, label: 0) }
        let spec = ScatterSpec(points: points, lines: [OverlayLine(name: "gradient descent", slope: 1.6, intercept: 0.9),
                                                       OverlayLine(name: "OLS", slope: 2.0, intercept: 0.5)])
        for capabilities in [RenderCapabilities.asciiMono, .unicodeMono] {
            let drawn = canvas(spec, capabilities)
            let rows = drawn.text.split(separator: "\n").map(String.init)
            // Points are "o" (class 0), so the lines take "*" and "+".
            #expect(rows[0].hasPrefix(" * gradient descent  + OLS"), "\(rows[0])")
            let inside = interior(drawn, capabilities).map(\.cell.character)
            for mark in ["*", "+", "o"] as [Character] { #expect(inside.filter { $0 == mark }.count >= 5, "\(mark)") }
            #expect(inside.allSatisfy { " *+o".contains($0) })
        }
    }
}
