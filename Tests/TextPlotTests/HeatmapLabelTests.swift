import Testing
@testable import TextPlot

/// A heatmap with more rows and columns than cells thins its labels, but keeps each axis's
/// first and last label so the reader sees the range (the optimizer race's map: 61 x 23).
@Suite struct HeatmapLabelTests {
    /// The race map's labels: x from -1.5 to 4.5 every 0.1, labelled at whole numbers from 0;
    /// y from 1.6 down to -0.6, labelled every 0.5.
    static let columnLabels = (0..<61).map { c -> String in
        let x = (-15 + c)
        return x % 10 == 0 && x >= 0 ? String(x / 10) : ""
    }
    static let rowLabels = (0..<23).map { r -> String in
        let y = 16 - r * 1
        return y % 5 == 0 ? String(format: "%g", Double(y) / 10) : ""
    }

    func render(width: Int, height: Int) -> [String] {
        var canvas = Canvas(width: width, height: height)
        HeatmapSpec(rows: 23, columns: 61, values: (0..<(23 * 61)).map(Double.init), rowLabels: Self.rowLabels,
                    columnLabels: Self.columnLabels, showColorBar: false)
            .render(into: &canvas, in: canvas.bounds, capabilities: .full)
        return canvas.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    @Test(arguments: [(55, 12), (33, 7), (70, 13)])
    func everyAxisKeepsItsEnds(size: (Int, Int)) {
        let text = render(width: size.0, height: size.1)
        let rowLabelsShown = text.dropLast().compactMap { $0.split(separator: " ").first.map(String.init) }
            .filter { Double($0) != nil }
        #expect(rowLabelsShown.first == "1.5" && rowLabelsShown.last == "-0.5", "y labels \(rowLabelsShown)")
        let xLabels = text.last?.split(separator: " ").map(String.init) ?? []
        #expect(xLabels.first == "0" && xLabels.last == "4", "x labels \(xLabels)")
    }

    @Test func roomyAxesShowEveryLabel() {
        let text = render(width: 55, height: 12)
        let xLabels = text.last?.split(separator: " ").map(String.init) ?? []
        #expect(xLabels == ["0", "1", "2", "3", "4"])
        let yLabels = text.dropLast().compactMap { $0.split(separator: " ").first.map(String.init) }.filter { Double($0) != nil }
        #expect(yLabels == ["1.5", "1", "0.5", "0", "-0.5"])
    }
}
