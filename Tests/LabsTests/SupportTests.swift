import Course
import MLEngine
import TextPlot
import Testing
@testable import Labs

@Suite struct SupportTests {
    @Test func inputScalingTurnsAScaledLineBackIntoOriginalUnits() {
        // Ages 40, 50, 60 centred on 50, in decades: x' = -1, 0, 1. A line 8 x' + 128.67 is
        // 0.8 per year and 128.67 - 0.8 x 50 = 88.67 at age 0 (the lesson's worked example).
        let scaling = InputScaling.centring([40, 50, 60], unit: 10)
        #expect(scaling.apply([40, 50, 60]) == [-1, 0, 1])
        let line = scaling.lineInOriginalUnits(weight: 8, bias: 128.67)
        #expect(abs(line.weight - 0.8) < 1e-12 && abs(line.bias - 88.67) < 1e-9)
        let standard = InputScaling.standardizing([1, 3])
        #expect(standard.centre == 2 && standard.unit == 1)
        #expect(InputScaling.standardizing([5, 5]).unit == 1)
    }

    @Test("a thinned history survives a checkpoint and goes on exactly as if never saved")
    func thinnedMetricsContinueAfterTheRoundTrip() throws {
        var straight = Metrics()
        for i in 0..<(Metrics.pointLimit + 77) { straight.append(Double(i), to: "loss") }
        var resumed = try StateCoding.metrics(from: StateCoding.json(straight), key: "metrics", lab: "x")
        #expect(resumed == straight)
        for i in 0..<(2 * Metrics.pointLimit) {
            straight.append(Double(i), to: "loss")
            resumed.append(Double(i), to: "loss")
        }
        #expect(resumed == straight && straight.series[0].stride == 4)
        // A file whose counts were edited is refused, not trusted.
        guard case .object(var root) = StateCoding.json(straight), case .array(var list) = root["series"]!,
              case .object(var fields) = list[0] else { Issue.record("unexpected shape"); return }
        fields["appended"] = .number(1e9)
        list[0] = .object(fields); root["series"] = .array(list)
        #expect(throws: LabStateError.self) { try StateCoding.metrics(from: .object(root), key: "metrics", lab: "x") }
    }

    @Test func metricsSurviveTheRoundTripIncludingNaN() throws {
        var metrics = Metrics()
        metrics.append(1.5, to: "loss")
        metrics.append(.infinity, to: "loss")
        metrics.append(.nan, to: "loss")
        metrics.set("ols_loss", 4)
        let back = try StateCoding.metrics(from: StateCoding.json(metrics), key: "metrics", lab: "x")
        #expect(back.series.map(\.name) == ["loss"] && back.scalars == metrics.scalars)
        let values = back.values("loss")
        #expect(values[0] == 1.5 && values[1] == .infinity && values[2].isNaN)
        #expect(throws: LabStateError.self) { try StateCoding.metrics(from: .number(3), key: "metrics", lab: "x") }
    }

    @Test func generatorWordsRoundTrip() throws {
        var g = SeededGenerator(seed: 77)
        _ = g.next()
        var back = try StateCoding.generator(from: StateCoding.json(g), key: "rng", lab: "x")
        #expect(back.next() == g.next())
        #expect(throws: LabStateError.self) { try StateCoding.generator(from: .array([.string("1")]), key: "rng", lab: "x") }
    }

    @Test func adviceNamesTheRateAndTheLimit() {
        let text = LearningRateAdvice.tooHigh(0.64, stableBelow: 0.3676)
        #expect(text.hasPrefix("learning rate 0.64 is too high for this problem (above about 0.37"))
        #expect(text.hasSuffix("; reset or lower it"))
        #expect(LearningRateAdvice.tooHigh(3, stableBelow: nil) == "learning rate 3 is too high for this problem; reset or lower it")
    }

    @Test func finiteOnlyChartsDropBlownUpPointsWithTheirSteps() {
        let metrics = Metrics(series: [.init(name: "loss", values: [4, .infinity, 1, .nan]),
                                       .init(name: "step", values: [0, 10, 20, 30])])
        guard case .lineChart(let kept) = MetricChart.panel(title: "t", metrics: metrics, series: ["loss"], x: "step",
                                                            finiteOnly: true).content,
              case .lineChart(let all) = MetricChart.panel(title: "t", metrics: metrics, series: ["loss"]).content else {
            Issue.record("not a line chart"); return
        }
        #expect(kept.series[0].values == [4, 1])
        #expect(kept.series[0].x == [0, 20], "each value keeps its own step")
        #expect(all.series[0].values.count == 4, "without the option every point is drawn")
    }

    @Test func aCheckpointsConfusionMatrixComesBackOrIsRefusedByName() throws {
        let metrics = Metrics(series: [.init(name: "test_loss", values: [0.7, 0.4]), .init(name: "test_accuracy", values: [0.6, 0.9])])
        let evaluation = ClassifierEvaluation(loss: 0.4, accuracy: 0.9, confusion: [[5, 1], [0, 4]])
        var metadata: [String: JSONValue] = [:]
        ClassifierEvaluation.storeConfusion(of: evaluation, into: &metadata)
        let back = try ClassifierEvaluation.restored(from: LabState(labID: "x", metadata: metadata), metrics: metrics, classes: 2, examples: 10)
        #expect(back == evaluation)
        #expect(try ClassifierEvaluation.restored(from: LabState(labID: "x"), metrics: metrics, classes: 2, examples: 10) == nil)
        // A count past the test set, a row short, or the wrong class count: a message naming the key.
        for corrupt: JSONValue in [.array([.array([.number(11), .number(0)]), .array([.number(0), .number(4)])]),
                                   .array([.array([.number(5), .number(1)]), .array([.number(0)])]),
                                   .array([.array([.number(5), .number(1)])])] {
            #expect {
                _ = try ClassifierEvaluation.restored(from: LabState(labID: "x", metadata: ["confusion": corrupt]), metrics: metrics,
                                                      classes: 2, examples: 10)
            } throws: { ($0 as? LabStateError).map { "\($0)".contains("confusion") } ?? false }
        }
    }
}
