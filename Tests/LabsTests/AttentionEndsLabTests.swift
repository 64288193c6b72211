import CardioSim
import Course
import Foundation
import MLEngine
import Testing
import TextPlot
@testable import Labs

/// `attention-ends` on small configurations (debug build): one token per beat (patch 250), a
/// narrow model, a smaller simulated data set. The full-budget promise (0.90 with positions,
/// chance without) is checked on the release binary by .ci/promises/ch6.sh.
@Suite struct AttentionEndsLabTests {
    /// The long-range task with two beat classes (normal and premature ventricular), 400
    /// training and 200 test recordings (the full recipe: five classes, 2,000 and 500).
    static let smallData: LongRangeInputs = {
        let config = LongRangeConfig(classes: [.normal, .pvc], trainCount: 400, testCount: 200)
        // swiftlint:disable:next force_try
        return LongRangeInputs(try! LongRangeDataset.generate(config, seed: 52))
    }()

    static func small(posenc: String = "sine", seed: UInt64 = 4) throws -> AttentionEndsLab {
        var lab = AttentionEndsLab(seed: 0, data: smallData)
        try lab.set("patch", to: .choice("250"))
        try lab.set("width", to: .number(16))
        try lab.set("heads", to: .number(2))
        try lab.set("layers", to: .number(1))
        try lab.set("lr", to: .number(0.003))
        try lab.set("posenc", to: .choice(posenc))
        lab.reset(seed: seed)
        return lab
    }

    static func train(_ lab: inout AttentionEndsLab, steps: Int) throws {
        for _ in 0..<steps { _ = try lab.step() }
    }

    @Test func withPositionsItRelatesTheEndsAndWithoutItCannot() throws {
        var sine = try Self.small(posenc: "sine"), off = try Self.small(posenc: "off")
        // 720 steps: the step-700 evaluation is complete (4 slices of 50 recordings).
        try Self.train(&sine, steps: 720)
        try Self.train(&off, steps: 720)
        #expect(sine.metrics.values("test_step").last == 700 && off.metrics.values("test_step").last == 700)
        let withPositions = try #require(sine.metrics.latest("test_accuracy"))
        let without = try #require(off.metrics.latest("test_accuracy"))
        #expect(withPositions >= 0.85, "posenc sine: test accuracy \(withPositions)")
        #expect(without <= 0.65, "posenc off: test accuracy \(without)")
        // The attention maps of the model that learned look at the two ends more than evenly (2 of 8 beats).
        let ends = try #require(sine.metrics.latest("ends_attention"))
        #expect(ends > 0.4, "share of attention on the first and last beats: \(ends)")
    }

    @Test func theTestSetIsEvaluatedASliceAStepOnTheModelOfItsStep() throws {
        var lab = try Self.small()
        try Self.train(&lab, steps: 1)
        // 200 test recordings in slices of 50: the step-1 evaluation ends at step 4.
        #expect(lab.metrics.values("test_step").isEmpty)
        try Self.train(&lab, steps: 3)
        #expect(lab.metrics.values("test_step") == [1])
        // Its figure is the model after step 1, whatever trained since: compare with a fresh run of 1 step.
        var once = try Self.small()
        _ = try once.step()
        let direct = try ClassifierEvaluation.evaluate(once.model, inputs: Self.smallData.test, labels: Self.smallData.testLabels,
                                                       classes: 2)
        #expect(lab.metrics.values("test_accuracy") == [direct.accuracy])
    }

    @Test func theMapsShowEveryHeadWithRowsSummingToOne() throws {
        var lab = AttentionEndsLab(seed: 0, data: Self.smallData)
        try lab.set("patch", to: .choice("25"))
        try lab.set("width", to: .number(32))
        try lab.set("layers", to: .number(1))
        lab.reset(seed: 2)
        _ = try lab.step()
        let maps = try #require(lab.maps)
        // 80 patches of 25 samples, 10 a beat, gathered into 8 query beats x 8 key beats.
        #expect(maps.beats == 8 && maps.tokensPerBeat == 10 && maps.heads(inLayer: 0) == 4 && maps.step == 1)
        for head in 0..<4 {
            let map = maps.maps[0][head]
            for row in 0..<8 {
                let sum = map[(row * 8)..<(row * 8 + 8)].reduce(0, +)
                #expect(Swift.abs(sum - 1) < 1e-4, "head \(head) row \(row) sums to \(sum)")
            }
        }
        // Two heads a panel: 4 heads fill heads1-2 and heads3-4; the others say how to get more.
        for id in ["heads1-2", "heads3-4"] {
            guard case .split(let parts, _)? = lab.panel(id)?.content else { Issue.record("\(id) is not a split"); continue }
            #expect(parts.count == 2)
            for part in parts {
                guard case .heatmap(let spec) = part.content else { Issue.record("\(id) holds a non-heatmap"); continue }
                #expect(spec.rows == 8 && spec.columns == 8 && spec.columnLabels == (1...8).map(String.init))
            }
        }
        #expect(lab.panel("heads3-4")?.title.hasPrefix("Heads 3 and 4 of 4, layer 1, step 1") == true)
        for id in ["heads5-6", "heads7-8"] {
            guard case .text(let text)? = lab.panel(id)?.content else { Issue.record("\(id) is not a note"); continue }
            #expect(text.contains("4 heads"))
        }
        #expect(lab.panel("example")?.title.hasPrefix("Example 1: first ") == true)
        // The maps are redrawn every 10 steps while it trains.
        for _ in 0..<9 { _ = try lab.step() }
        #expect(lab.maps?.step == 10)
    }

    @Test func withoutPositionsShufflingTheBeatsLeavesTheAnswerAndWithSinePositionsItDoesNot() {
        // The lesson's claim on its "Without positions" page: the model sees a bag of beats.
        var generator = SeededGenerator(seed: 3)
        let recording = Tensor.normal([1, 2000], generator: &generator).copyScalars()
        let order = [7, 2, 5, 0, 3, 6, 1, 4]
        let shuffled = order.flatMap { recording[($0 * 250)..<($0 * 250 + 250)] }
        for positions in [PositionMode.off, .sine] {
            var g = SeededGenerator(seed: 11)
            let model = EndsTransformer(length: 2000, patch: 250, width: 16, heads: 2, layers: 2, positions: positions, generator: &g)
            let a = withNoGrad { model(Tensor(shape: [1, 2000], scalars: recording)) }.copyScalars()
            let b = withNoGrad { model(Tensor(shape: [1, 2000], scalars: shuffled)) }.copyScalars()
            let change = zip(a, b).map { Swift.abs($0 - $1) }.max() ?? 0
            if positions == .off {
                #expect(change < 1e-4, "posenc off: shuffling moved the logits by \(change)")
            } else {
                #expect(change > 1e-3, "posenc sine: shuffling should change the logits (moved \(change))")
            }
        }
    }

    @Test func endsShareMeasuresAttentionOnTheFirstAndLastBeats() {
        // Weights built by hand: 16 tokens, 2 a beat. Head 0 looks only at token 0 (the first
        // beat), head 1 spreads evenly.
        let t = 16
        var w = [Float](repeating: 0, count: 2 * t * t)
        for q in 0..<t { w[q * t] = 1; for k in 0..<t { w[t * t + q * t + k] = 1 / Float(t) } }
        let maps = AttentionMaps(weights: [Tensor(shape: [1, 2, t, t], scalars: w)], beats: 8, step: 0)
        #expect(maps.tokensPerBeat == 2)
        #expect(Swift.abs(maps.endsShare(layer: 0, head: 0) - 1) < 1e-9)
        #expect(Swift.abs(maps.endsShare(layer: 0, head: 1) - 0.25) < 1e-9)
        #expect(maps.maps[0][0][0] == 1 && maps.maps[0][0][1] == 0)
    }

    @Test func settingsOutsideTheirRangesAreRefusedWithTheRange() throws {
        var lab = AttentionEndsLab(seed: 0, data: Self.smallData)
        #expect(throws: HyperparameterError.self) { try lab.set("heads", to: .number(3)) }     // 64 / 3
        #expect(throws: HyperparameterError.self) { try lab.set("heads", to: .number(16)) }
        #expect(throws: HyperparameterError.self) { try lab.set("layers", to: .number(5)) }
        #expect(throws: HyperparameterError.self) { try lab.set("patch", to: .number(30)) }    // does not cut a beat
        #expect(throws: HyperparameterError.self) { try lab.set("posenc", to: .choice("cosine")) }
        #expect(throws: HyperparameterError.self) { try lab.set("lr", to: .number(1)) }
        do {
            try lab.set("heads", to: .number(3))
        } catch let error as HyperparameterError {
            #expect(error.description.contains("dividing the width (64)"))
        }
        try lab.set("patch", to: .number(50))
        #expect(lab.parameters[named: "patch"]?.value == .choice("50"))
        #expect(AttentionEndsLab.defaultParameters == AttentionEndsLab(seed: 0, data: Self.smallData).parameters)
    }

    @Test func aCheckpointMidEvaluationContinuesBitForBit() throws {
        // After 5 steps the step-1 evaluation (4 slices of 50) is done; after 3 it is under way.
        for steps in [5, 3] {
            try CheckpointContinuationTests.check(fresh: { AttentionEndsLab(seed: 0, data: Self.smallData) }, configure: { lab in
                try lab.set("patch", to: .choice("250"))
                try lab.set("width", to: .number(16))
                try lab.set("layers", to: .number(1))
                try lab.set("posenc", to: .choice("learned"))
            }, seed: 9, steps: steps)
        }
    }
}
