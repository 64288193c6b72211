import Testing
@testable import TextPlot

@Suite struct WidgetTests {
    @Test func eighthBlockBarLengths() {
        #expect(BarChartSpec.eighths(value: 0.5, maxValue: 1, cells: 20) == 80)
        #expect(BarChartSpec.eighths(value: 2, maxValue: 1, cells: 20) == 160)  // clamped
        var canvas = Canvas(width: 30, height: 1)
        // Label "a" (1) + space + 20 cells of bar + value area: showValues off to count cells.
        BarChartSpec(bars: [Bar(label: "a", value: 0.5)], maxValue: 1, showValues: false)
            .render(into: &canvas, in: Rect(x: 0, y: 0, width: 22, height: 1), capabilities: .full)
        #expect(canvas.text.filter { $0 == "█" }.count == 10)
        #expect(!canvas.text.contains(where: { "▏▎▍▌▋▊▉".contains($0) }))
        // 0.53 of 20 cells = 84.8 eighths -> 85 = 10 full + 5/8.
        canvas = Canvas(width: 30, height: 1)
        BarChartSpec(bars: [Bar(label: "a", value: 0.53)], maxValue: 1, showValues: false)
            .render(into: &canvas, in: Rect(x: 0, y: 0, width: 22, height: 1), capabilities: .full)
        #expect(canvas.text.hasPrefix("a ██████████▋ "))
    }

    @Test func negativeBarsAreRejectedWithAMessage() {
        let spec = BarChartSpec(bars: [Bar(label: "x", value: -1)])
        #expect(spec.problem?.contains("finite values >= 0") == true)
    }

    @Test func heatmapChecksItsShape() {
        #expect(HeatmapSpec(rows: 2, columns: 3, values: [1, 2]).problem == "2 values for a 2x3 matrix")
        #expect(HeatmapSpec(rows: 1, columns: 1, values: [1], rowLabels: ["a", "b"]).problem == "2 row labels for 1 rows")
        var canvas = Canvas(width: 40, height: 3)
        HeatmapSpec(rows: 2, columns: 3, values: [1, 2]).render(into: &canvas, in: canvas.bounds, capabilities: .full)
        #expect(canvas.text.contains("2 values for a 2x3 matrix"))
    }

    @Test func heatmapHalfBlocksCarryTwoRowsPerCell() {
        // 2x1 matrix, min at the top, max at the bottom: one cell row, top = first colour,
        // bottom = last (the single column is widened to the 2-cell minimum grid).
        var canvas = Canvas(width: 2, height: 1)
        HeatmapSpec(rows: 2, columns: 1, values: [0, 1], showColorBar: false)
            .render(into: &canvas, in: canvas.bounds, capabilities: .full)
        let table = ColorScale.table(.sequential, .indexed256)
        #expect(canvas[0, 0] == Cell("▀", style: CellStyle(foreground: table.first!.color, background: table.last!.color)))
    }

    @Test func monoDivergingHeatmapKeepsTheSign() {
        var canvas = Canvas(width: 3, height: 1)
        HeatmapSpec(rows: 1, columns: 3, values: [-1, 0, 1], palette: .diverging, showColorBar: false)
            .render(into: &canvas, in: canvas.bounds, capabilities: .asciiMono)
        #expect(canvas.text == "% #")
    }

    @Test func heatmapMarkerLandsOnItsCell() {
        // 4x4 matrix in a 4x2 grid of half blocks: row 3, column 2 is cell (2, 1).
        var canvas = Canvas(width: 4, height: 2)
        HeatmapSpec(rows: 4, columns: 4, values: [Double](repeating: 0, count: 16), showColorBar: false,
                    markers: [HeatmapMarker(column: 2, row: 3, glyph: "X")])
            .render(into: &canvas, in: canvas.bounds, capabilities: .full)
        #expect(canvas[2, 1].character == "X")
        #expect(canvas.cells.filter { $0.character == "X" }.count == 1)
    }

    @Test func confusionMatrixShowsNumbersWhenTheyFit() {
        var canvas = Canvas(width: 30, height: 2)
        HeatmapSpec(rows: 2, columns: 2, values: [12, 3, 4, 25], showValues: true, showColorBar: false)
            .render(into: &canvas, in: canvas.bounds, capabilities: .unicodeMono)
        let lines = canvas.text.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(lines[0] == ["12", "3"])
        #expect(lines[1] == ["4", "25"])
    }

    @Test func scatterMonoUsesMarkerShapesPerClass() {
        var canvas = Canvas(width: 30, height: 10)
        ScatterSpec(points: [ScatterPoint(x: 0, y: 0, label: 0), ScatterPoint(x: 1, y: 1, label: 1)], showLegend: false)
            .render(into: &canvas, in: canvas.bounds, capabilities: .asciiMono)
        #expect(canvas.text.filter { $0 == "o" }.count == 1)
        #expect(canvas.text.filter { $0 == "x" }.count == 1)
    }

    @Test func decisionGridRowZeroIsTheBottom() {
        var canvas = Canvas(width: 20, height: 8)
        ScatterSpec(points: [], regions: .grid([[0], [1]]), xRange: 0...1, yRange: 0...1, showLegend: false)
            .render(into: &canvas, in: canvas.bounds, capabilities: .full)
        // Plot rows 0...5 (8 - axis - labels); top half class 1, bottom half class 0.
        let plotX = 5
        #expect(canvas[plotX, 0].style.background == Theme.regionBackground(1))
        #expect(canvas[plotX, 5].style.background == Theme.regionBackground(0))
    }

    @Test func gaugeAndSparkline() {
        var canvas = Canvas(width: 20, height: 1)
        GaugeSpec(label: "", value: 0.5).render(into: &canvas, in: canvas.bounds, capabilities: .asciiMono)
        // 20 - " 50%" leaves 16 cells: 8 filled.
        #expect(canvas.text == "########........ 50%")
        canvas = Canvas(width: 12, height: 1)
        SparklineSpec(label: "", values: [0, 1, 2, 3, 4, 5, 6, 7]).render(into: &canvas, in: canvas.bounds, capabilities: .full)
        // The last value stays at the right edge, so it does not move as history grows.
        #expect(canvas.text == "▁▂▃▄▅▆▇█   7")
    }

    @Test func tableShrinksTheWidestColumn() {
        let table = TableSpec(headers: ["a", "b"], rows: [["short", "a much longer cell"]])
        #expect(table.columnWidths(fitting: 100) == [5, 18])
        #expect(table.columnWidths(fitting: 15) == [5, 9])
    }

    @Test func panelPutsTheTitleInTheBorder() {
        var canvas = Canvas(width: 20, height: 4)
        Panel(title: "Loss", content: .gauges([GaugeSpec(label: "", value: 1)]))
            .render(into: &canvas, in: canvas.bounds, capabilities: .asciiMono)
        #expect(canvas.text.split(separator: "\n")[0] == "+- Loss -----------+")
        #expect(canvas.text.split(separator: "\n")[3] == "+------------------+")
    }
}
