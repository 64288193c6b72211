import CardioSim
import Course
import MLEngine
import Testing
@testable import Labs

/// `decision-transformer` at small budgets: its mixed-quality data, learning to follow the
/// return it is asked for, exact checkpoint continuation, refused settings.
@Suite struct DecisionTransformerLabTests {
    static let smallSteps = 200

    static func train(_ lab: inout DecisionTransformerLab, steps: Int) throws {
        for _ in 0..<steps { _ = try lab.step() }
    }

    @Test func targetsComeFromMixedQualityRecords() {
        let lab = DecisionTransformerLab(seed: 1)
        // The noisy experts put the 25th percentile well inside the range, not at the random end.
        #expect(lab.references.expert > lab.references.random + 3, "\(lab.references)")
        #expect(lab.lowTarget < lab.highTarget && lab.highTarget <= lab.bestRecorded)
        #expect(lab.lowTarget > lab.references.random, "low \(lab.lowTarget), random \(lab.references.random)")
        let sweep = lab.sweepTargets
        #expect(sweep.count == DecisionTransformerLab.sweepCount && sweep == sweep.sorted())
        #expect(sweep.last! > lab.bestRecorded, "the sweep asks for more than the best course earned")
    }

    /// The model alone (gradient steps without the rollouts a lab step adds), a fifth of the
    /// budget: the loss falls well below the untrained one, and asking for the 90th percentile
    /// earns more than asking for the 25th (the full-budget figures are in .ci/promises/ch9-dt.sh).
    @Test func learnsToFollowTheReturnItIsAskedFor() throws {
        var lab = DecisionTransformerLab(seed: 1)
        let untrainedHigh = try lab.rolloutReturn(asking: lab.highTarget)
        var losses: [Double] = []
        for _ in 0..<Self.smallSteps { losses.append(try lab.trainingStep()) }
        let late = losses.suffix(20).reduce(0, +) / 20
        #expect(late < 0.75 * losses[0], "loss \(losses[0]) -> \(late)")
        let high = try lab.rolloutReturn(asking: lab.highTarget), low = try lab.rolloutReturn(asking: lab.lowTarget)
        #expect(high > low + 2, "asked for \(lab.highTarget): \(high); asked for \(lab.lowTarget): \(low)")
        #expect(high > untrainedHigh, "trained \(high), untrained \(untrainedHigh)")
    }

    @Test func continuesBitForBitAfterACheckpoint() throws {
        var straight = DecisionTransformerLab(seed: 4), first = DecisionTransformerLab(seed: 4)
        try Self.train(&straight, steps: 6); try Self.train(&first, steps: 6)
        try straight.set("target_return", to: .number(3)); try first.set("target_return", to: .number(3))   // live change
        let saved = first.snapshot()
        try Self.train(&straight, steps: 6)
        var resumed = DecisionTransformerLab(seed: 0)
        try resumed.restore(saved)
        try Self.train(&resumed, steps: 6)
        #expect(resumed.metrics == straight.metrics)
        #expect(resumed.parameters == straight.parameters)
        #expect(resumed.live == straight.live && resumed.live?.asked == 3)
        #expect(resumed.sweep == straight.sweep)
        let a = resumed.snapshot(), b = straight.snapshot()
        #expect(a.metadata == b.metadata)
        #expect(a.tensors.keys.sorted() == b.tensors.keys.sorted())
        for (name, t) in a.tensors { #expect(t.copyScalars() == b.tensors[name]!.copyScalars(), "\(name)") }
        #expect(resumed.metrics.values("train_loss").count == 12)
    }

    @Test func refusesSettingsOutOfRangeAndBrokenCheckpoints() throws {
        var lab = DecisionTransformerLab(seed: 0)
        #expect(throws: (any Error).self) { try lab.set("target_return", to: .number(100)) }
        #expect(throws: (any Error).self) { try lab.set("lr", to: .number(1)) }
        #expect(throws: (any Error).self) { try lab.set("width", to: .number(8)) }
        var broken = lab.snapshot()
        broken.metadata["sweep"] = .array([])
        #expect(throws: LabStateError.self) { try lab.restore(broken) }
        var wrongShape = lab.snapshot()
        wrongShape.tensors["model.head.weight"] = Tensor(zeros: [3, 3])
        #expect(throws: LabStateError.self) { try lab.restore(wrongShape) }
    }
}
