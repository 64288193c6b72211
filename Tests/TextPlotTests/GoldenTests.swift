import Foundation
import Testing
@testable import TextPlot

/// Golden files for every widget at two sizes, each in the four capability combinations
/// (UTF-8/ASCII x colour/mono). `UPDATE_GOLDEN=1 swift test --filter GoldenTests` rewrites them.
@Suite struct GoldenTests {
    static let sizes = [(40, 12), (80, 24)]

    static let scenarios: [(String, any Widget)] = [
        ("line-loss", LineChartSpec(series: [LineSeries(name: "train", values: Fixtures.loss()),
                                             LineSeries(name: "val", values: Fixtures.validation())],
                                    smoothing: 0.9)),
        ("line-log", LineChartSpec(series: [LineSeries(name: "loss", values: Fixtures.loss())], yScale: .logarithmic)),
        ("line-target", LineChartSpec(series: [LineSeries(name: "accuracy", values: Fixtures.accuracy())],
                                      target: TargetLine(0.95, label: "goal"), yRange: 0...1)),
        ("heatmap-weights", HeatmapSpec(rows: 8, columns: 12, values: Fixtures.weights(), palette: .diverging,
                                        rowLabels: (0..<8).map { "h\($0)" })),
        ("heatmap-confusion", HeatmapSpec(rows: 4, columns: 4, values: Fixtures.confusion, rowLabels: Fixtures.digits,
                                          columnLabels: Fixtures.digits, showValues: true)),
        ("heatmap-surface", HeatmapSpec(rows: 21, columns: 21, values: Fixtures.surface(), range: 0...8,
                                        markers: [HeatmapMarker(column: 10, row: 10, glyph: "+")],
                                        paths: [HeatmapPath(name: "sgd", points: Fixtures.path(0), head: "●"),
                                                HeatmapPath(name: "adam", points: Fixtures.path(1), head: "◆")])),
        ("scatter-regions", ScatterSpec(points: Fixtures.moons(), classNames: ["red", "blue"],
                                        regions: .function { x, y in y > 0.25 - 0.3 * x ? 0 : 1 },
                                        lines: [OverlayLine(name: "boundary", slope: -0.3, intercept: 0.25)])),
        ("scatter-regression", ScatterSpec(points: Fixtures.regression(), lines: [
            OverlayLine(name: "gradient descent", slope: 1.6, intercept: 0.9),
            OverlayLine(name: "OLS", slope: 2.0, intercept: 0.5)])),
        ("bars-horizontal", BarChartSpec(bars: Fixtures.probabilities(), maxValue: 1, highlighted: 2)),
        ("bars-vertical", BarChartSpec(bars: Fixtures.probabilities(), orientation: .vertical, maxValue: 1, highlighted: 2)),
        ("table", TableSpec(headers: ["ch", "lesson", "model", "acc"], rows: Fixtures.chapters,
                            alignments: [.right, .left, .left, .right], highlightedRows: [2])),
        ("markdown", MarkdownText(Fixtures.lesson)),
    ]

    @Test(arguments: scenarios.map(\.0))
    func widget(named name: String) {
        let widget = GoldenTests.scenarios.first { $0.0 == name }!.1
        for (width, height) in GoldenTests.sizes {
            let text = Golden.matrix(width: width, height: height) { canvas, rect, capabilities in
                widget.render(into: &canvas, in: rect, capabilities: capabilities)
            }
            Golden.check(text, named: "\(name)-\(width)x\(height)")
        }
    }

    @Test func sparklinesAndGauges() {
        for (width, height) in GoldenTests.sizes {
            let text = Golden.matrix(width: width, height: 4) { canvas, rect, capabilities in
                SparklineSpec(label: "loss", values: Fixtures.validation())
                    .render(into: &canvas, in: Rect(x: 0, y: 0, width: rect.width, height: 1), capabilities: capabilities)
                SparklineSpec(label: "acc ", values: Fixtures.accuracy(), range: 0...1)
                    .render(into: &canvas, in: Rect(x: 0, y: 1, width: rect.width, height: 1), capabilities: capabilities)
                GaugeSpec(label: "epoch", value: 0.43)
                    .render(into: &canvas, in: Rect(x: 0, y: 2, width: rect.width, height: 1), capabilities: capabilities)
                GaugeSpec(label: "steps", value: 3150, range: 0...5000, caption: "3150/5000")
                    .render(into: &canvas, in: Rect(x: 0, y: 3, width: rect.width, height: 1), capabilities: capabilities)
            }
            _ = height
            Golden.check(text, named: "sparkline-gauge-\(width)")
        }
    }

    @Test func panelsInAGrid() {
        let panels = [
            Panel(title: "Loss", content: .lineChart(LineChartSpec(series: [LineSeries(name: "train", values: Fixtures.loss())],
                                                                   yScale: .logarithmic, smoothing: 0.9))),
            Panel(title: "Prediction", content: .bars(BarChartSpec(bars: Fixtures.probabilities(), maxValue: 1, highlighted: 2))),
        ]
        let text = Golden.matrix(width: 80, height: 12) { canvas, rect, capabilities in
            panels[0].render(into: &canvas, in: Rect(x: 0, y: 0, width: 40, height: 12), capabilities: capabilities)
            panels[1].render(into: &canvas, in: Rect(x: 40, y: 0, width: 40, height: 12), capabilities: capabilities)
        }
        Golden.check(text, named: "panels-80x12")
    }
}
