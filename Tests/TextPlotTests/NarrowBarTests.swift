import Testing
@testable import TextPlot

/// Bars too narrow for their numbers drop the numbers, not the bars.
@Suite struct NarrowBarTests {
    @Test func barsWithoutRoomForValuesKeepTheBars() {
        var canvas = Canvas(width: 9, height: 2)
        BarChartSpec(bars: [Bar(label: "normal", value: 0.9), Bar(label: "pvc", value: 0.00002)], maxValue: 1)
            .render(into: &canvas, in: canvas.bounds, capabilities: .full)
        #expect(!canvas.text.contains("too small"), "\(canvas.text)")
        #expect(canvas.text.contains("█"), "\(canvas.text)")
    }
}
