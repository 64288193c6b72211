import Foundation
import TextPlot

/// Turns the demo lab's numbers into one panel of every kind TextPlot draws.
enum DemoPanels {
    static func panels(for lab: DemoLab) -> [Panel] {
        let t = Double(lab.step)
        let progress = lab.progress
        let noise = lab.knob("noise")

        let loss = LineChartSpec(series: [LineSeries(name: "loss", values: lab.losses)], yScale: .logarithmic,
                                 smoothing: 0.9, target: TargetLine(0.1, label: "goal"))

        // A drifting pattern: two waves whose phase follows the step count.
        let size = 24
        var field = [Double](repeating: 0, count: size * size)
        for row in 0..<size {
            for column in 0..<size {
                let x = Double(column) / Double(size), y = Double(row) / Double(size)
                field[row * size + column] = sin(6 * x + t * 0.05) * cos(5 * y - t * 0.03)
            }
        }
        let heatmap = HeatmapSpec(rows: size, columns: size, values: field, palette: .diverging, range: -1...1)

        // The decision boundary turns towards the right one as "training" progresses.
        let angle = (1 - progress) * 1.2
        let boundary: @Sendable (Double, Double) -> Int = { x, y in
            (y - 0.25) * cos(angle) - (x - 0.5) * sin(angle) + 0.4 * sin(3 * x) * progress > 0 ? 0 : 1
        }
        let scatter = ScatterSpec(points: lab.points.map { ScatterPoint(x: $0.x, y: $0.y, label: $0.label) },
                                  classNames: ["moon A", "moon B"], regions: .function(boundary))

        let accuracy = lab.accuracies.last ?? 0
        let classNames = ["normal", "PVC", "AF", "noise"]
        let bars = BarChartSpec(bars: classNames.enumerated().map { index, name in
            let share = 0.25 + (Double(index == 0 ? 3 : -1) * 0.25 * progress) / 1
            return Bar(label: name, value: max(0, share + 0.05 * noise * sin(t * 0.1 + Double(index))))
        }, maxValue: 1, highlighted: 0)

        let sparklines = [
            SparklineSpec(label: "grad norm", values: Array(lab.gradientNorms.suffix(120))),
            SparklineSpec(label: "loss     ", values: Array(lab.losses.suffix(120))),
        ]
        let gauges = [
            GaugeSpec(label: "accuracy", value: accuracy, range: 0...1, caption: String(format: "%.1f%%", accuracy * 100)),
            GaugeSpec(label: "progress", value: progress, range: 0...1, caption: String(format: "%.0f%%", progress * 100)),
        ]

        let table = TableSpec(headers: ["metric", "value"], rows: [
            ["step", "\(lab.step)"],
            ["loss", lab.losses.last.map { String(format: "%.4f", $0) } ?? "-"],
            ["accuracy", String(format: "%.3f", accuracy)],
            ["lr", DemoLab.format(lab.knob("lr"))],
        ], alignments: [.left, .right])

        return [
            Panel(title: "Loss (log axis, smoothed)", content: .lineChart(loss)),
            Panel(title: "Heatmap (drifting)", content: .heatmap(heatmap)),
            Panel(title: "Scatter with decision regions", content: .scatter(scatter)),
            Panel(title: "Bars: class shares", content: .bars(bars)),
            Panel(title: "Sparklines and gauges", content: .sparklines(sparklines)),
            Panel(title: "Gauges", content: .gauges(gauges)),
            Panel(title: "Table", content: .table(table)),
        ]
    }
}
