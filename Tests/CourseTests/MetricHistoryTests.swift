import Course
import Testing

/// Metric histories stay bounded however long a run goes (they travel in every checkpoint), while
/// the newest value stays current and a value and its step stay paired.
@Suite struct MetricHistoryTests {
    @Test("a long series is thinned to at most pointLimit points, newest value kept")
    func longSeriesStayBounded() {
        var metrics = Metrics()
        let total = 3 * Metrics.pointLimit + 123
        for i in 0..<total {
            metrics.append(Double(i) * 0.5, to: "loss")
            metrics.append(Double(i), to: "step")
        }
        let loss = metrics.values("loss"), steps = metrics.values("step")
        #expect(loss.count <= Metrics.pointLimit && loss.count > Metrics.pointLimit / 4)
        #expect(metrics.latest("loss") == Double(total - 1) * 0.5)
        // Appended together, thinned together: every kept loss sits beside its own step.
        #expect(loss.count == steps.count)
        #expect(zip(loss, steps).allSatisfy { $0 == $1 * 0.5 })
        // The chart's x axis: where each point stands, increasing, ending at the newest measurement.
        let x = try! #require(metrics.measurementIndices("loss"))
        #expect(x == steps)
        #expect(x.last == Double(total - 1))
        #expect(zip(x, x.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test("a short series is never thinned and has no separate x positions")
    func shortSeriesAreUntouched() {
        var metrics = Metrics()
        for i in 0..<Metrics.pointLimit - 1 { metrics.append(Double(i), to: "loss") }
        #expect(metrics.values("loss") == (0..<Metrics.pointLimit - 1).map(Double.init))
        #expect(metrics.measurementIndices("loss") == nil)
    }

    @Test("stored counts that cannot belong to the values are refused")
    func inconsistentCountsAreRefused() {
        #expect(Metrics.Series(name: "a", values: [1, 2], appended: 4, stride: 2) != nil)
        #expect(Metrics.Series(name: "a", values: [1, 2], appended: 3, stride: 2) != nil)
        #expect(Metrics.Series(name: "a", values: [1, 2], appended: 9, stride: 2) == nil)
        #expect(Metrics.Series(name: "a", values: [1, 2], appended: 4, stride: 3) == nil)
        #expect(Metrics.Series(name: "a", values: [1], appended: 1, stride: 0) == nil)
        #expect(Metrics.Series(name: "a", values: [1], appended: -1, stride: 1) == nil)
    }
}
