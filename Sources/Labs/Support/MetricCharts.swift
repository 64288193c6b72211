import Course
import TextPlot

/// Line-chart panels built from a lab's metric history, so every lab draws its curves the same
/// way.
public enum MetricChart {
    /// One curve per metric series in `names`, labelled with `labels` (default: the names).
    /// - Parameters:
    ///   - references: flat lines at fixed values (an optimum to reach), drawn across the
    ///     whole run; each is labelled with its name.
    ///   - target: one dashed goal line, e.g. the lowest possible loss.
    ///   - x: the metric series holding each point's step, for metrics measured only now and then
    ///     (a test accuracy every 20 steps); nil numbers the points 0, 1, 2, ...
    ///   - smoothing: the line chart's exponential smoothing of noisy minibatch curves.
    ///   - finiteOnly: leave out NaN and infinite points (a run that blew up), which would
    ///     otherwise stretch the axis or break a log scale; the curve simply stops there.
    public static func panel(title: String, metrics: Metrics, series names: [String], labels: [String]? = nil,
                             x: String? = nil, references: [(name: String, value: Double)] = [], target: TargetLine? = nil,
                             yScale: AxisScale = .linear, yRange: ClosedRange<Double>? = nil, smoothing: Double? = nil,
                             finiteOnly: Bool = false) -> Panel {
        let labels = labels ?? names
        let steps = x.map { metrics.values($0) }
        var lines = zip(names, labels).map { name, label in
            let line = LineSeries(name: label, values: metrics.values(name), x: steps ?? metrics.measurementIndices(name))
            return finiteOnly ? finitePoints(of: line) : line
        }
        let length = max(2, lines.map(\.values.count).max() ?? 0)
        lines += references.map { constant($0.name, value: $0.value, count: length) }
        let chart = LineChartSpec(series: lines, yScale: yScale, smoothing: smoothing, target: target, yRange: yRange)
        return Panel(title: title, content: .lineChart(chart))
    }

    /// `line` without its non-finite points, each step kept beside its value.
    static func finitePoints(of line: LineSeries) -> LineSeries {
        let kept = line.values.indices.filter { line.values[$0].isFinite }
        return LineSeries(name: line.name, values: kept.map { line.values[$0] },
                          x: line.x.map { x in kept.filter { $0 < x.count }.map { x[$0] } })
    }

    /// A flat line at `value`, `count` points long (a reference drawn beside a learning curve).
    public static func constant(_ name: String, value: Double, count: Int) -> LineSeries {
        LineSeries(name: name, values: Array(repeating: value, count: max(count, 2)))
    }
}
