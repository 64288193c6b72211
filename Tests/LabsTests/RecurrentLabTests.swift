import Course
import MLEngine
import Testing
@testable import Labs

/// Chapter 5's labs at small sizes (debug builds run the recurrent steps slowly): the promised
/// outcomes at fixed seeds, exact checkpoint continuation, and refused settings.
@Suite struct RecurrentLabTests {
    static func memoryTask(_ settings: [String: HyperValue], seed: UInt64) throws -> MemoryTaskLab {
        var lab = MemoryTaskLab(seed: seed)
        for (name, value) in settings.sorted(by: { $0.key < $1.key }) { try lab.set(name, to: value) }
        lab.reset(seed: seed)
        return lab
    }

    static func train(_ lab: inout some Lab, steps: Int) throws {
        for _ in 0..<steps { _ = try lab.step() }
    }

    static func testAccuracy(_ lab: some Lab) throws -> Double { try #require(lab.metrics.latest("test_accuracy")) }

    // MARK: memory-task

    /// Trains until the test accuracy (measured every 50 steps) reaches `target`, at most
    /// `steps` steps; returns the step it got there, or nil.
    static func stepsToReach(_ target: Double, _ lab: inout MemoryTaskLab, within steps: Int) throws -> Int? {
        for step in 1...steps {
            _ = try lab.step()
            if step % MemoryTaskLab.evaluationInterval == 0, try testAccuracy(lab) >= target { return step }
        }
        return nil
    }

    @Test(arguments: ["rnn", "lstm"])
    func atTenBeatsBothCellsRemember(cell: String) throws {
        var lab = try Self.memoryTask(["cell": .choice(cell), "length": .number(10), "hidden": .number(16),
                                       "lr": .number(0.003)], seed: 1)
        let reached = try Self.stepsToReach(0.95, &lab, within: 400)
        let accuracy = try Self.testAccuracy(lab)
        #expect(reached != nil, "\(cell) at 10 beats: \(accuracy)")
        #expect(lab.completion?.isMet(by: lab.metrics) == true)
    }

    @Test func atThirtyBeatsTheLSTMRemembersAndTheRNNGuesses() throws {
        var lstm = try Self.memoryTask(["cell": .choice("lstm"), "length": .number(30), "hidden": .number(16),
                                        "lr": .number(0.003)], seed: 2)
        var rnn = try Self.memoryTask(["cell": .choice("rnn"), "length": .number(30), "hidden": .number(16),
                                       "lr": .number(0.003)], seed: 2)
        let reached = try Self.stepsToReach(0.95, &lstm, within: 400)
        let accuracy = try Self.testAccuracy(lstm)
        #expect(reached != nil, "lstm at 30 beats: \(accuracy)")
        // The same number of steps (at least 150) leaves the RNN guessing.
        try Self.train(&rnn, steps: max(reached ?? 400, 150))
        #expect(try Self.testAccuracy(rnn) <= 0.65)
        // The RNN's learning signal at beat 1 is a vanishing fraction of that at the answer.
        let rnnRatio = try #require(rnn.metrics.values("grad_ratio").last)
        let lstmRatio = try #require(lstm.metrics.values("grad_ratio").last)
        #expect(rnnRatio < 1e-3 && lstmRatio > 1e-2, "rnn \(rnnRatio), lstm \(lstmRatio)")
    }

    @Test func theGatePanelsShowSlotsAgainstBeats() throws {
        var lab = try Self.memoryTask(["length": .number(12), "hidden": .number(8)], seed: 3)
        try Self.train(&lab, steps: 2)
        for id in ["forget", "input", "output", "hidden"] {
            guard case .heatmap(let map)? = lab.panel(id)?.content else { Issue.record("\(id) is not a heatmap"); continue }
            #expect(map.rows == 8 && map.columns == 12, "\(id)")
            #expect(map.problem == nil)
            if id != "hidden" { #expect(map.values.allSatisfy { (0...1).contains($0) }) }
        }
        // At the start the forget gates sit near sigmoid(3) = 0.95.
        guard case .heatmap(let forget)? = lab.panel("forget")?.content else { return }
        let mean = forget.values.reduce(0, +) / Double(forget.values.count)
        #expect(abs(mean - 0.95) < 0.03)
        var rnn = try Self.memoryTask(["cell": .choice("rnn"), "length": .number(12), "hidden": .number(8)], seed: 3)
        try Self.train(&rnn, steps: 1)
        guard case .text? = rnn.panel("forget")?.content else { Issue.record("an RNN has no gates to draw"); return }
        guard case .heatmap? = rnn.panel("hidden")?.content else { Issue.record("the RNN's hidden state is a heatmap"); return }
    }

    @Test func memoryTaskRefusesSettingsOutOfRange() throws {
        var lab = MemoryTaskLab(seed: 0)
        for (name, value) in [("length", HyperValue.number(4)), ("length", .number(2001)), ("length", .number(50.5)),
                              ("cell", .choice("gru")), ("clip", .number(-1)), ("lr", .number(0)),
                              ("forget_bias", .number(7)), ("hidden", .number(512))] {
            #expect(throws: HyperparameterError.self, "\(name) = \(value)") { try lab.set(name, to: value) }
        }
        #expect(throws: HyperparameterError.self) { try lab.set("batch", to: .number(8)) }
        try lab.set("length", to: .number(2000))
        try lab.set("length", to: .number(5))
        #expect(lab.parameters[named: "length"]?.value == .number(5))
        #expect(MemoryTaskLab.defaultParameters.map(\.name) == ["cell", "length", "hidden", "lr", "clip", "forget_bias"])
        let defaults = Dictionary(uniqueKeysWithValues: MemoryTaskLab.defaultParameters.map { ($0.name, $0.value) })
        #expect(defaults["lr"] == .number(3e-4) && defaults["clip"] == .number(1) && defaults["forget_bias"] == .number(3))
        #expect(defaults["cell"] == .choice("lstm") && defaults["length"] == .number(100))
    }

    @Test func memoryTaskStopsAtItsBudget() throws {
        var lab = try Self.memoryTask(["length": .number(5), "hidden": .number(4)], seed: 1)
        #expect(try !lab.step().finished)
        // A run two steps before the budget (restored from a checkpoint, as the session would).
        var state = lab.snapshot()
        state.metadata["step"] = .number(Double(MemoryTaskLab.stepBudget - 2))
        try lab.restore(state)
        #expect(try !lab.step().finished)
        let last = try lab.step()
        #expect(last.finished && last.note?.contains("\(MemoryTaskLab.stepBudget)") == true)
        #expect(try !lab.step().finished)   // continuing past the budget is allowed
    }

    @Test func memoryTaskContinuesBitForBit() throws {
        try CheckpointContinuationTests.check(fresh: { MemoryTaskLab(seed: 0) }, configure: { lab in
            try lab.set("cell", to: .choice("lstm"))
            try lab.set("length", to: .number(8))
            try lab.set("hidden", to: .number(6))
            try lab.set("lr", to: .number(0.01))
            try lab.set("clip", to: .number(0.5))
            try lab.set("forget_bias", to: .number(1))
        }, seed: 11, steps: 30)   // crosses the step-50 evaluation after resuming
        try CheckpointContinuationTests.check(fresh: { MemoryTaskLab(seed: 0) }, configure: { lab in
            try lab.set("cell", to: .choice("rnn"))
            try lab.set("length", to: .number(7))
            try lab.set("hidden", to: .number(5))
        }, seed: 12, steps: 26)
    }

    // MARK: vanishing-gradient

    static func vanishing(_ settings: [String: HyperValue], seed: UInt64) throws -> VanishingGradientLab {
        var lab = VanishingGradientLab(seed: seed)
        for (name, value) in settings.sorted(by: { $0.key < $1.key }) { try lab.set(name, to: value) }
        lab.reset(seed: seed)
        return lab
    }

    @Test func theRNNsGradientFallsByOrdersOfMagnitudeTowardTheStart() throws {
        var lab = try Self.vanishing(["cell": .choice("rnn"), "length": .number(60)], seed: 1)
        try Self.train(&lab, steps: 3)
        let profile = lab.profile
        #expect(profile.count == 60)
        #expect(try #require(lab.metrics.values("grad_ratio").last) < 1e-3)
        // Falls steadily: every 10 beats further back the signal is smaller.
        for t in stride(from: 10, to: 60, by: 10) { #expect(profile[t - 10] < profile[t], "beat \(t - 9)") }
        guard case .lineChart(let chart)? = lab.panel("gradient")?.content else { Issue.record("no gradient chart"); return }
        #expect(chart.yScale == .logarithmic && chart.series[0].values.count == 60)
    }

    /// How far one step moved all the weights together (Euclidean norm of the change).
    static func moved(_ before: SequenceClassifier, _ after: SequenceClassifier) -> Double {
        var total = 0.0
        for ((_, a), (_, b)) in zip(before.parameters, after.parameters) {
            for (x, y) in zip(a.copyScalars(), b.copyScalars()) { total += Double(x - y) * Double(x - y) }
        }
        return total.squareRoot()
    }

    @Test func aLargeRecurrentScaleMakesTheGradientExplodeAndClipCapsTheStep() throws {
        func lab(clip: Double) throws -> VanishingGradientLab {
            try Self.vanishing(["cell": .choice("rnn"), "length": .number(60), "scale": .number(4),
                                "optimizer": .choice("sgd"), "lr": .number(0.05), "clip": .number(clip)], seed: 1)
        }
        var clipped = try lab(clip: 1), raw = try lab(clip: 0)
        let start = clipped.model
        try Self.train(&clipped, steps: 1)
        try Self.train(&raw, steps: 1)
        // Exploding, not vanishing: the signal grows toward beat 1.
        #expect(try #require(clipped.metrics.values("grad_ratio").last) > 10)
        let norm = try #require(raw.metrics.values("grad_norm").last)
        #expect(norm > 10 && clipped.metrics.values("grad_norm") == raw.metrics.values("grad_norm"))
        // SGD moves the weights by lr x the gradient: the whole exploded norm, or at most lr x clip.
        #expect(abs(Self.moved(start, raw.model) - 0.05 * norm) < 1e-3 * norm)
        #expect(Self.moved(start, clipped.model) <= 0.05 * 1.0001)
        // weight_norm shows it on screen: thrown away by lr x norm, or kept within lr x clip.
        let startNorm = start.weightNorm
        #expect(try #require(raw.metrics.latest("weight_norm")) >= 0.05 * norm - startNorm)
        #expect(try #require(clipped.metrics.latest("weight_norm")) <= startNorm + 0.05 * 1.0001)
    }

    @Test func vanishingGradientRefusesSettingsOutOfRange() throws {
        var lab = VanishingGradientLab(seed: 0)
        for (name, value) in [("length", HyperValue.number(9)), ("length", .number(1001)), ("cell", .choice("gru")),
                              ("clip", .number(-0.5)), ("scale", .number(0)), ("scale", .number(9))] {
            #expect(throws: HyperparameterError.self, "\(name) = \(value)") { try lab.set(name, to: value) }
        }
        try lab.set("length", to: .number(1000))
        try lab.set("length", to: .number(10))
        #expect(VanishingGradientLab.defaultParameters.map(\.name) == ["cell", "length", "optimizer", "lr", "clip", "scale"])
        #expect(throws: HyperparameterError.self) { try lab.set("optimizer", to: .choice("rmsprop")) }
    }

    @Test func vanishingGradientContinuesBitForBit() throws {
        try CheckpointContinuationTests.check(fresh: { VanishingGradientLab(seed: 0) }, configure: { lab in
            try lab.set("cell", to: .choice("lstm"))
            try lab.set("length", to: .number(10))
            try lab.set("lr", to: .number(0.005))
        }, seed: 5, steps: 6)
        try CheckpointContinuationTests.check(fresh: { VanishingGradientLab(seed: 0) }, configure: { lab in
            try lab.set("cell", to: .choice("rnn"))
            try lab.set("length", to: .number(12))
            try lab.set("scale", to: .number(4))
            try lab.set("clip", to: .number(0.5))
        }, seed: 6, steps: 6)
    }
}
