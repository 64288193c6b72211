import Testing
@testable import TextPlot

/// A split panel: several widgets in one bordered box, sized by weight, laid out by aspect.
@Suite struct PanelSplitTests {
    static func beatPanel(direction: SplitDirection = .automatic) -> Panel {
        Panel(title: "Test beat 17 (V)", content: .split([
            PanelPart(.lineChart(LineChartSpec(series: [LineSeries(name: "beat", values: Fixtures.beat())], showLegend: false)),
                      weight: 3, caption: "input"),
            PanelPart(.bars(BarChartSpec(bars: Fixtures.probabilities(), maxValue: 1, highlighted: 2)), weight: 2,
                      caption: "predicted"),
        ], direction: direction))
    }

    /// Wide (columns: beat left, bars right) and tall (rows: beat on top, bars under it).
    @Test(arguments: [(40, 12), (32, 24)])
    func golden(width: Int, height: Int) {
        let panel = PanelSplitTests.beatPanel()
        let text = Golden.matrix(width: width, height: height) { canvas, rect, capabilities in
            panel.render(into: &canvas, in: rect, capabilities: capabilities)
        }
        Golden.check(text, named: "split-\(width)x\(height)")
    }

    @Test func automaticDirectionFollowsTheAspect() {
        #expect(PanelSplit.direction(.automatic, for: Rect(x: 0, y: 0, width: 78, height: 10)) == .columns)
        #expect(PanelSplit.direction(.automatic, for: Rect(x: 0, y: 0, width: 30, height: 22)) == .rows)
        // A cell is twice as tall as wide: 40x20 cells look like 40x40 pixels, not wide enough.
        #expect(PanelSplit.direction(.automatic, for: Rect(x: 0, y: 0, width: 40, height: 20)) == .rows)
        #expect(PanelSplit.direction(.rows, for: Rect(x: 0, y: 0, width: 200, height: 5)) == .rows)
    }

    @Test func sizesFollowTheWeightsAndAddUp() {
        let rect = Rect(x: 5, y: 3, width: 41, height: 10)
        let columns = PanelSplit.layout(rect, weights: [3, 2], direction: .columns)
        // 41 cells less a one-cell gap: 40 shared 3:2.
        #expect(columns == [Rect(x: 5, y: 3, width: 24, height: 10), Rect(x: 30, y: 3, width: 16, height: 10)])
        let rows = PanelSplit.layout(rect, weights: [1, 1, 1], direction: .rows)
        #expect(rows.map(\.height) == [4, 3, 3])
        #expect(rows.map(\.y) == [3, 7, 10])
        #expect(rows.allSatisfy { $0.x == 5 && $0.width == 41 })
        #expect(PanelSplit.layout(Rect(x: 0, y: 0, width: 1, height: 1), weights: [1, 1], direction: .columns)
            .map(\.width) == [0, 0])
    }

    @Test func badWeightsGiveAMessageNotACrash() {
        let content = PanelContent.split([PanelPart(.text("a"), weight: 0), PanelPart(.text("b"))], direction: .columns)
        var canvas = Canvas(width: 60, height: 3)
        content.render(into: &canvas, in: canvas.bounds, capabilities: .full)
        #expect(canvas.text.contains("part 1 has weight 0"))
    }

    /// Each part draws only in its own share: the gap column between columns stays untouched,
    /// and nothing is written outside the rectangle, whatever its size or position.
    @Test func partsStayInsideTheirShares() {
        let sentinel = Cell("?")
        let content = PanelSplitTests.beatPanel(direction: .columns).content
        let rect = Rect(x: 2, y: 1, width: 41, height: 8)
        for capabilities in Golden.capabilityMatrix {
            var canvas = Canvas(width: 50, height: 12, fill: sentinel)
            content.render(into: &canvas, in: rect, capabilities: capabilities)
            let shares = PanelSplit.layout(rect, weights: [3, 2], direction: .columns)
            let gap = shares[0].maxX
            for y in 0..<canvas.height {
                #expect(canvas[gap, y] == sentinel, "gap column written at row \(y) (\(capabilities))")
                for x in 0..<canvas.width where !(x >= rect.x && x < rect.maxX && y >= rect.y && y < rect.maxY) {
                    #expect(canvas[x, y] == sentinel, "wrote outside at (\(x), \(y)) (\(capabilities))")
                }
            }
        }
        for direction in [SplitDirection.columns, .rows, .automatic] {
            for clip in ClippingTests.rects {
                var canvas = Canvas(width: 40, height: 16, fill: sentinel)
                PanelSplitTests.beatPanel(direction: direction).render(into: &canvas, in: clip, capabilities: .full)
                for y in 0..<canvas.height {
                    for x in 0..<canvas.width where !(x >= clip.x && x < clip.maxX && y >= clip.y && y < clip.maxY) {
                        #expect(canvas[x, y] == sentinel, "\(direction) in \(clip) wrote at (\(x), \(y))")
                    }
                }
            }
        }
    }
}
