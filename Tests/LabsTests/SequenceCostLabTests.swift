import Course
import MLEngine
import Testing
@testable import Labs

/// `sequence-cost`: what is counted (the chains of dependent steps, the lengths, the weights,
/// the order of the measurements) is checked exactly; what is timed is only checked to exist.
@Suite struct SequenceCostLabTests {
    /// Lengths 50 and 100, one timing each, 16 slots: four quick steps.
    static func small() throws -> SequenceCostLab {
        var lab = SequenceCostLab(seed: 0)
        try lab.set("hidden", to: .number(16))
        try lab.set("max_length", to: .number(100))
        try lab.set("samples", to: .number(1))
        lab.reset(seed: 3)
        return lab
    }

    @Test func theChainsAreTheSequenceLengthAgainstTheLayerCount() throws {
        let lab = SequenceCostLab(seed: 1)
        #expect(lab.lengths == [50, 100, 200, 500, 1000, 2000])
        #expect(lab.metrics.latest("sequential_steps_lstm") == 2000)
        #expect(lab.metrics.latest("sequential_steps_conv") == 2)
        #expect(SequenceCostLab.sequentialSteps(.lstm, length: 500) == 500)
        #expect(SequenceCostLab.sequentialSteps(.conv, length: 500) == 2)
        // Nothing is timed yet: no ratio to report.
        #expect(lab.metrics.latest("lstm_over_conv_seconds") == nil)
        var shorter = SequenceCostLab(seed: 1)
        try shorter.set("max_length", to: .number(500))
        shorter.reset(seed: 1)
        #expect(shorter.lengths == [50, 100, 200, 500])
        #expect(shorter.metrics.latest("sequential_steps_lstm") == 500)
        #expect(shorter.metrics.latest("sequential_steps_conv") == 2)
    }

    @Test func theTwoModelsHaveAboutTheSameNumberOfWeights() throws {
        for hidden in [16, 64, 128] {
            let (lstm, conv) = (SequenceCostLab.weightCount(.lstm, hidden: hidden), SequenceCostLab.weightCount(.conv, hidden: hidden))
            #expect(abs(Double(lstm - conv)) / Double(lstm) < 0.05, "hidden \(hidden): \(lstm) against \(conv)")
        }
        // The counts are the real layers' parameters.
        var generator = SeededGenerator(seed: 0)
        let lstm = LSTM(inputs: 1, hidden: 64, generator: &generator)
        let conv = [Conv1d(inChannels: 1, outChannels: 64, kernelSize: SequenceCostLab.kernel, generator: &generator),
                    Conv1d(inChannels: 64, outChannels: 64, kernelSize: SequenceCostLab.kernel, generator: &generator)]
        #expect(lstm.parameters.map(\.value.count).reduce(0, +) == SequenceCostLab.weightCount(.lstm, hidden: 64))
        #expect(conv.flatMap(\.parameters).map(\.value.count).reduce(0, +) == SequenceCostLab.weightCount(.conv, hidden: 64))
        // Each step's work is bounded: the longest length is one pass, short ones repeat.
        #expect(SequenceCostLab.repetitions(length: 2000) == 1 && SequenceCostLab.repetitions(length: 50) == 40)
    }

    @Test func oneStepTimesOneModelAtOneLengthAndASweepMeasuresThemAll() throws {
        var lab = try Self.small()
        let order = (0..<4).map { lab.measurement(at: $0) }
        #expect(order.map(\.model) == [.lstm, .conv, .lstm, .conv])
        #expect(order.map(\.lengthIndex) == [0, 0, 1, 1])
        var reports: [StepReport] = []
        for _ in 0..<4 { reports.append(try lab.step()) }
        #expect(reports.dropLast().allSatisfy { !$0.finished } && reports.last!.finished)
        #expect(reports.last!.note?.contains("at 100 beats the LSTM takes") == true)
        #expect(lab.metrics.values("length") == [50, 100])
        #expect(lab.metrics.values("lstm_ms").allSatisfy { $0 > 0 } && lab.metrics.values("conv_ms").allSatisfy { $0 > 0 })
        let ratio = try #require(lab.metrics.latest("lstm_over_conv_seconds"))
        #expect(ratio > 0 && ratio.isFinite)   // a time: never checked against a range here
        #expect(lab.metrics.latest("sequential_steps_lstm") == 100 && lab.metrics.latest("lengths_measured") == 2)
        #expect(lab.completion!.isMet(by: lab.metrics))
        // The passes compute gradients and throw them away: the weights never move.
        let weights = lab.snapshot().tensors
        _ = try lab.step()
        #expect(CheckpointContinuationTests.identical(weights, lab.snapshot().tensors))
        guard case .lineChart(let chart)? = lab.panel("cost")?.content else { Issue.record("no cost chart"); return }
        #expect(chart.series.map(\.name) == ["LSTM", "conv"] && chart.series[0].x == [50, 100])
        guard case .table(let table)? = lab.panel("table")?.content else { Issue.record("no table"); return }
        #expect(table.rows.map { $0[0] } == ["50", "100"] && table.rows.map { $0[4] } == ["50", "100"])
        #expect(table.rows.allSatisfy { $0[5] == "2" })
    }

    @Test func settingsOutsideTheirRangesAreRefused() throws {
        var lab = SequenceCostLab(seed: 0)
        for (name, value) in [("hidden", 8.0), ("hidden", 256), ("max_length", 50), ("max_length", 4000),
                              ("samples", 0), ("samples", 10), ("samples", 2.5)] {
            #expect(throws: HyperparameterError.self, "\(name) = \(value)") { try lab.set(name, to: .number(value)) }
        }
        #expect(throws: HyperparameterError.self) { try lab.set("length", to: .number(100)) }
        #expect(lab.parameters.map(\.name) == ["hidden", "max_length", "samples"])
    }

    /// A checkpoint keeps the weights, the settings, the step and every time measured so far;
    /// a resumed run measures the rest anew, and everything counted matches exactly.
    @Test func aCheckpointContinuesTheSweepWithEverythingCountedIdentical() throws {
        var straight = try Self.small(), first = try Self.small()
        for _ in 0..<3 { _ = try straight.step(); _ = try first.step() }
        let saved = first.snapshot()
        _ = try straight.step()
        var resumed = SequenceCostLab(seed: 0)
        try resumed.restore(saved)
        #expect(resumed.parameters == straight.parameters)
        #expect(resumed.measurement(at: 3) == straight.measurement(at: 3))
        let last = try resumed.step()
        #expect(last.finished)
        let (a, b) = (straight.snapshot(), resumed.snapshot())
        #expect(CheckpointContinuationTests.identical(a.tensors, b.tensors))
        #expect(a.metadata["step"] == b.metadata["step"] && a.metadata["built"] == b.metadata["built"])
        for name in ["length", "sequential_steps_lstm", "sequential_steps_conv", "lengths_measured"] {
            #expect(straight.metrics.values(name) == resumed.metrics.values(name), "\(name)")
            #expect(straight.metrics.latest(name) == resumed.metrics.latest(name), "\(name)")
        }
        // The times measured before the save come back as saved.
        #expect(b.metadata["lstm_ms"]?.array?.first == saved.metadata["lstm_ms"]?.array?.first)
        #expect(b.metadata["conv_ms"]?.array?.first == saved.metadata["conv_ms"]?.array?.first)
        // A file that lies about its settings is refused with the range.
        var bad = saved
        bad.metadata["built"] = .object(["hidden": .number(1000), "max_length": .number(100), "samples": .number(1)])
        #expect(throws: (any Error).self) { try resumed.restore(bad) }
    }
}
