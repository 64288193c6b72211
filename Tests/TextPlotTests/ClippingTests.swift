import Testing
@testable import TextPlot

/// Every widget, in every capability combination, must leave cells outside its rect alone,
/// including when the rect hangs off the canvas.
@Suite struct ClippingTests {
    static var widgets: [(String, any Widget)] {
        [
            ("line", LineChartSpec(series: [LineSeries(name: "loss", values: Fixtures.loss())], smoothing: 0.9,
                                   target: TargetLine(0.5))),
            ("log", LineChartSpec(series: [LineSeries(name: "loss", values: Fixtures.loss())], yScale: .logarithmic)),
            ("heatmap", HeatmapSpec(rows: 8, columns: 12, values: Fixtures.weights(), palette: .diverging,
                                    rowLabels: (0..<8).map { "row\($0)" }, columnLabels: (0..<12).map { "c\($0)" },
                                    markers: [HeatmapMarker(column: 11, row: 7)],
                                    paths: [HeatmapPath(name: "sgd", points: [PlotPoint(x: 0, y: 0), PlotPoint(x: 30, y: 30)])])),
            ("confusion", HeatmapSpec(rows: 4, columns: 4, values: Fixtures.confusion, rowLabels: Fixtures.digits,
                                      columnLabels: Fixtures.digits, showValues: true)),
            ("scatter", ScatterSpec(points: Fixtures.moons() + [ScatterPoint(x: 100, y: -100, label: 1)], classNames: ["a", "b"],
                                    regions: .function { x, _ in x > 0.5 ? 1 : 0 },
                                    lines: [OverlayLine(name: "fit", slope: 3, intercept: 0)])),
            ("bars", BarChartSpec(bars: [Bar(label: "a very long label", value: 3), Bar(label: "b", value: 1)])),
            ("columns", BarChartSpec(bars: [Bar(label: "a", value: 3), Bar(label: "b", value: 1)], orientation: .vertical)),
            ("spark", SparklineSpec(label: "loss", values: Fixtures.loss())),
            ("gauge", GaugeSpec(label: "epoch", value: 0.4)),
            ("table", TableSpec(headers: ["a", "b"], rows: [["1", "a long cell that will not fit"]])),
            ("text", MarkdownText("# Heading\n\nA paragraph with **bold** words that wraps.\n\n- item\n\n| a | b |\n|-|-|\n| 1 | 2 |")),
        ]
    }

    static let rects = [Rect(x: 3, y: 2, width: 20, height: 9), Rect(x: 3, y: 2, width: 5, height: 2),
                        Rect(x: 25, y: 10, width: 30, height: 20), Rect(x: -5, y: -3, width: 15, height: 8),
                        Rect(x: 1, y: 1, width: 1, height: 1), Rect(x: 4, y: 4, width: 0, height: 5),
                        Rect(x: 0, y: 0, width: 3, height: 3)]

    @Test func widgetsStayInsideTheirRect() {
        let sentinel = Cell("?", style: CellStyle(foreground: .indexed(1)))
        for (name, widget) in ClippingTests.widgets {
            for capabilities in Golden.capabilityMatrix {
                for rect in ClippingTests.rects {
                    var canvas = Canvas(width: 40, height: 16, fill: sentinel)
                    widget.render(into: &canvas, in: rect, capabilities: capabilities)
                    for y in 0..<canvas.height {
                        for x in 0..<canvas.width where !(x >= rect.x && x < rect.maxX && y >= rect.y && y < rect.maxY) {
                            if canvas[x, y] != sentinel {
                                Issue.record("\(name) \(capabilities) in \(rect) wrote at (\(x), \(y))")
                            }
                        }
                    }
                }
            }
        }
    }

    @Test func panelStaysInsideItsRect() {
        let sentinel = Cell("?")
        let rect = Rect(x: 2, y: 1, width: 30, height: 10)
        for (name, widget) in ClippingTests.widgets {
            let content: PanelContent
            switch widget {
            case let spec as LineChartSpec: content = .lineChart(spec)
            case let spec as HeatmapSpec: content = .heatmap(spec)
            case let spec as ScatterSpec: content = .scatter(spec)
            case let spec as BarChartSpec: content = .bars(spec)
            case let spec as TableSpec: content = .table(spec)
            case let spec as MarkdownText: content = .text(spec.markdown)
            case let spec as SparklineSpec: content = .sparklines([spec])
            case let spec as GaugeSpec: content = .gauges([spec])
            default: Issue.record("unmapped \(name)"); continue
            }
            var canvas = Canvas(width: 40, height: 14, fill: sentinel)
            Panel(title: name, content: content).render(into: &canvas, in: rect, capabilities: .full)
            for y in 0..<canvas.height {
                for x in 0..<canvas.width where !(x >= rect.x && x < rect.maxX && y >= rect.y && y < rect.maxY) {
                    #expect(canvas[x, y] == sentinel, "\(name) wrote at (\(x), \(y))")
                }
            }
        }
    }
}

/// With eight colours, only colours 0-7 may reach the terminal; without colour, none at all.
@Suite struct ColourBudgetTests {
    func colours(_ canvas: Canvas) -> Set<UInt8> {
        var result = Set<UInt8>()
        for cell in canvas.cells {
            if case .indexed(let c) = cell.style.foreground { result.insert(c) }
            if case .indexed(let c) = cell.style.background { result.insert(c) }
        }
        return result
    }

    @Test func basic8UsesOnlyTheEightColours() {
        for (name, widget) in ClippingTests.widgets {
            var canvas = Canvas(width: 60, height: 20)
            widget.render(into: &canvas, in: canvas.bounds, capabilities: RenderCapabilities(unicode: true, colors: .basic8))
            let used = colours(canvas)
            #expect(used.allSatisfy { $0 < 8 }, "\(name) used \(used.sorted())")
        }
    }

    @Test func monoUsesNoColourAtAll() {
        for (name, widget) in ClippingTests.widgets {
            for capabilities in [RenderCapabilities.unicodeMono, .asciiMono] {
                var canvas = Canvas(width: 60, height: 20)
                widget.render(into: &canvas, in: canvas.bounds, capabilities: capabilities)
                #expect(colours(canvas).isEmpty, "\(name) \(capabilities)")
            }
        }
    }

    @Test func asciiUsesOnlyAscii() {
        for (name, widget) in ClippingTests.widgets {
            for capabilities in [RenderCapabilities.asciiColor, .asciiMono] {
                var canvas = Canvas(width: 60, height: 20)
                widget.render(into: &canvas, in: canvas.bounds, capabilities: capabilities)
                let bad = canvas.cells.map(\.character).filter { !$0.isASCII }
                #expect(bad.isEmpty, "\(name) \(capabilities) drew \(String(bad.prefix(5)))")
            }
        }
    }
}
