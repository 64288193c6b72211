import Testing
@testable import TextPlot

@Suite struct LineChartTests {
    func render(_ spec: LineChartSpec, width: Int = 40, height: Int = 12,
                capabilities: RenderCapabilities = .full) -> Canvas {
        var canvas = Canvas(width: width, height: height)
        spec.render(into: &canvas, in: canvas.bounds, capabilities: capabilities)
        return canvas
    }

    func brailleRows(_ canvas: Canvas) -> Set<Int> {
        var rows = Set<Int>()
        for y in 0..<canvas.height {
            for x in 0..<canvas.width {
                let scalar = canvas[x, y].character.unicodeScalars.first!.value
                if scalar > 0x2800 && scalar <= 0x28FF { rows.insert(y) }
            }
        }
        return rows
    }

    @Test func singleSpikeSurvivesDownsampling() {
        // 5,000 points into ~37 columns: the one spike must still reach the top row.
        var values = [Double](repeating: 0, count: 5000)
        values[2500] = 1
        let canvas = render(LineChartSpec(series: [LineSeries(name: "s", values: values)], yRange: 0...1, showLegend: false))
        let rows = brailleRows(canvas)
        #expect(rows.contains(0))  // y = 1 is the top plot row when there is no legend
        #expect(rows.contains(9))  // and the flat zero line the bottom one (12 rows - axis - labels)
    }

    @Test func targetLineIsDashedAtItsValue() {
        let spec = LineChartSpec(series: [LineSeries(name: "acc", values: [0, 0])], target: TargetLine(0.5, label: "goal"),
                                 yRange: 0...1, showLegend: false)
        let canvas = render(spec, width: 30, height: 11)
        // 9 plot rows over 0...1: 0.5 lands on the middle row, 4.
        let text = canvas.text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(text[4].contains("╌ ╌ ╌"))
        #expect(text.filter { $0.contains("╌") }.count == 1)
    }

    @Test func logScaleSkipsNonPositiveValuesAndLabelsDecades() {
        let spec = LineChartSpec(series: [LineSeries(name: "loss", values: [10, 1, 0, -1, 0.1, 0.01])], yScale: .logarithmic)
        let canvas = render(spec)
        let text = canvas.text
        for label in ["0.01", "0.1", "1", "10"] { #expect(text.contains(label + "┤")) }
        #expect(!brailleRows(canvas).isEmpty)
    }

    @Test func mismatchedXValuesGiveAClearMessage() {
        let spec = LineChartSpec(series: [LineSeries(name: "train", values: [1, 2, 3], x: [0, 1])])
        #expect(spec.problem == "series 'train' has 2 x values for 3 y values")
        #expect(render(spec, width: 70, height: 3).text.contains("has 2 x values for 3 y values"))
    }

    @Test func smoothingDrawsTheRawSeriesFaintly() {
        let values = (0..<200).map { i in i % 2 == 0 ? 1.0 : 0.0 }
        let canvas = render(LineChartSpec(series: [LineSeries(name: "s", values: values)], smoothing: 0.95))
        let colours = Set(canvas.cells.compactMap { cell -> UInt8? in
            let scalar = cell.character.unicodeScalars.first!.value
            guard scalar > 0x2800 && scalar <= 0x28FF, case .indexed(let c) = cell.style.foreground else { return nil }
            return c
        })
        #expect(colours == [Theme.faint256[0], Theme.series256[0]])
    }

    @Test func emptySeriesSaysSo() {
        let canvas = render(LineChartSpec(series: [LineSeries(name: "loss", values: [])]))
        #expect(canvas.text.contains("no data yet"))
    }
}
