import Course
import MLEngine
import Testing
@testable import Labs

/// A checkpoint must continue a run bit for bit: N steps, snapshot, restore into a fresh lab,
/// N more steps gives exactly the state of 2N steps straight.
@Suite struct CheckpointContinuationTests {
    /// Same names, shapes and bit patterns (NaN-safe, and -0 differs from 0).
    static func identical(_ a: [String: Tensor], _ b: [String: Tensor]) -> Bool {
        guard a.keys.sorted() == b.keys.sorted() else { return false }
        return a.allSatisfy { name, t in
            guard let u = b[name], t.shape == u.shape else { return false }
            return t.copyScalars().map(\.bitPattern) == u.copyScalars().map(\.bitPattern)
        }
    }

    static func check(fresh: () -> any Lab, configure: (inout any Lab) throws -> Void, seed: UInt64, steps: Int) throws {
        var straight = fresh()
        try configure(&straight)
        straight.reset(seed: seed)
        var first = fresh()
        try configure(&first)
        first.reset(seed: seed)
        for _ in 0..<steps { _ = try straight.step(); _ = try first.step() }
        let saved = first.snapshot()
        for _ in 0..<steps { _ = try straight.step() }

        var resumed = fresh()        // default settings: restore must bring back the run's own
        try resumed.restore(saved)
        for _ in 0..<steps { _ = try resumed.step() }

        let (a, b) = (straight.snapshot(), resumed.snapshot())
        #expect(identical(a.tensors, b.tensors), "tensors differ after resuming \(a.labID)")
        #expect(a.metadata == b.metadata)
        #expect(straight.metrics == resumed.metrics)
        #expect(resumed.metrics.values("loss").count == 2 * steps)
        #expect(resumed.parameters == straight.parameters)
    }

    @Test func knobContinuesBitForBit() throws {
        try Self.check(fresh: { KnobLab(seed: 0) }, configure: { lab in
            try lab.set("mode", to: .choice("descent"))
            try lab.set("lr", to: .number(0.32))       // bouncing: any drift would show
            try lab.set("weight", to: .number(-4))
        }, seed: 9, steps: 25)
    }

    @Test func neuronContinuesBitForBit() throws {
        try Self.check(fresh: { NeuronLab(seed: 0) }, configure: { lab in
            try lab.set("data", to: .choice("bend"))
            try lab.set("points", to: .number(64))
            try lab.set("noise", to: .number(0.8))
            try lab.set("lr", to: .number(0.04))
        }, seed: 21, steps: 40)
    }

    @Test func theSameSeedAndSettingsGiveTheSameRun() throws {
        var a = NeuronLab(seed: 4), b = NeuronLab(seed: 4), c = NeuronLab(seed: 5)
        for _ in 0..<10 { _ = try a.step(); _ = try b.step(); _ = try c.step() }
        #expect(Self.identical(a.snapshot().tensors, b.snapshot().tensors))
        #expect(a.ages != c.ages)
    }

    @Test func restoreRefusesAStateThatDoesNotFit() throws {
        var knob = KnobLab(seed: 0)
        let neuronState = NeuronLab(seed: 0).snapshot()
        #expect(throws: LabStateError.wrongLab(expected: "knob", found: "neuron")) { try knob.restore(neuronState) }

        var state = knob.snapshot()
        state.tensors["weight"] = Tensor(zeros: [2])
        #expect(throws: LabStateError.wrongShape(lab: "knob", name: "weight", expected: [1], found: [2])) { try knob.restore(state) }

        var neuron = NeuronLab(seed: 0)
        var broken = neuron.snapshot()
        broken.metadata["metrics"] = .string("oops")
        #expect(throws: LabStateError.self) { try neuron.restore(broken) }
        broken = neuron.snapshot()
        broken.tensors["data.risks"] = nil
        #expect(throws: LabStateError.missingTensor(lab: "neuron", name: "data.risks")) { try neuron.restore(broken) }
    }

    @Test func aDivergedRunSnapshotsAndRestores() throws {
        var lab = KnobLab(seed: 1)
        try lab.set("mode", to: .choice("descent"))
        try lab.set("lr", to: .number(1))
        for _ in 0..<200 { _ = try lab.step() }
        #expect(!lab.isFinite)
        var resumed = KnobLab(seed: 0)
        try resumed.restore(lab.snapshot())
        #expect(!resumed.isFinite)
        #expect(resumed.metrics.values("loss").count == 200)
        #expect(resumed.metrics.values("loss").last!.isNaN)
    }
}

/// The session replays a run from its record (seed, settings, live changes by step); the labs
/// must make that replay exact.
@Suite struct ReplayTests {
    @Test func knobReplaysLiveChangesExactly() throws {
        let record = RunRecord(labID: "knob", seed: 13, initial: [
            .init(name: "weight", value: .number(-2)), .init(name: "lr", value: .number(0.01)),
            .init(name: "mode", value: .choice("hand")),
        ], events: [
            HyperparameterEvent(step: 2, name: "weight", value: .number(-1.9)),   // a nudge by hand
            HyperparameterEvent(step: 4, name: "mode", value: .choice("descent")),
            HyperparameterEvent(step: 10, name: "lr", value: .number(0.16)),
        ])
        let a = try record.replay(using: CourseCatalogue.labs, steps: 30)
        let b = try record.replay(using: CourseCatalogue.labs, steps: 30)
        #expect(CheckpointContinuationTests.identical(a.snapshot().tensors, b.snapshot().tensors))
        #expect(a.metrics == b.metrics)
        // By hand the weight stayed put (4 steps + 1 nudge measured), then descent moved it.
        let weights = a.metrics.values("weight")
        #expect(weights.prefix(2) == [-2, -2] && weights[2] == Double(Float(-1.9)))
        #expect(weights.count == 31 && weights.last! > 0)
    }

    @Test func neuronReplaysLiveChangesExactly() throws {
        let lab = NeuronLab(seed: 8)
        let record = RunRecord(labID: "neuron", seed: 8, initial: lab.parameters.map { .init(name: $0.name, value: $0.value) },
                               events: [HyperparameterEvent(step: 50, name: "lr", value: .number(0.08))])
        let a = try record.replay(using: CourseCatalogue.labs, steps: 120)
        let b = try record.replay(using: CourseCatalogue.labs, steps: 120)
        #expect(CheckpointContinuationTests.identical(a.snapshot().tensors, b.snapshot().tensors))
        #expect(a.metrics == b.metrics && a.metrics.values("loss").count == 120)
    }
}
