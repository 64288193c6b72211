import Course
import Foundation
import MLEngine
import Testing
import TextPlot
@testable import Labs

/// Chapter 6's labs, headless with fixed seeds and small configurations (unit tests build debug).
@Suite struct PositionalEncodingLabTests {
    static func small(seed: UInt64 = 3) throws -> PositionalEncodingLab {
        var lab = PositionalEncodingLab(seed: 0)
        try lab.set("positions", to: .number(16))
        try lab.set("width", to: .number(16))
        lab.reset(seed: seed)
        return lab
    }

    @Test func theLearnedPositionsFindTheNeighbours() throws {
        var lab = try Self.small()
        for _ in 0..<250 { _ = try lab.step() }
        let losses = lab.metrics.values("loss")
        let late = losses.suffix(20).reduce(0, +) / 20
        let baseline = PositionalEncodingLab.baselineLoss(positions: 16)
        #expect(late < 0.25 * baseline, "loss \(late) against \(baseline) for guessing 0")
        // At the start the rows are random; after training neighbours are alike and far ones not.
        let near = lab.metrics.values("near_similarity"), far = lab.metrics.values("far_similarity")
        #expect(Swift.abs(near.first! - far.first!) < 0.2)
        #expect(near.last! > far.last! + 0.3, "near \(near.last!) far \(far.last!)")
        #expect(lab.completion!.isMet(by: lab.metrics))
    }

    @Test func theSinePanelsShowThePatternAndItsDotProducts() throws {
        let lab = try Self.small()
        guard case .heatmap(let sine)? = lab.panel("sine")?.content,
              case .heatmap(let similarity)? = lab.panel("similarity")?.content else {
            Issue.record("sine panels are not heatmaps"); return
        }
        let table = SinusoidalPositionalEncoding.table(positions: 16, width: 16).copyScalars()
        #expect(sine.rows == 16 && sine.columns == 16 && sine.values == table.map(Double.init))
        #expect(similarity.rows == 16 && similarity.columns == 16)
        // Every row is most similar to itself, and similarity falls off with distance nearby.
        for i in 0..<16 {
            let row = Array(similarity.values[(i * 16)..<(i * 16 + 16)])
            #expect(row.indices.max { row[$0] < row[$1] } == i)
        }
        #expect(similarity.values[5 * 16 + 6] > similarity.values[5 * 16 + 9])
        #expect(lab.panels().count == PositionalEncodingLab.panelNames.count)
    }

    @Test func outOfRangeSettingsAreRefused() throws {
        var lab = PositionalEncodingLab(seed: 0)
        #expect(throws: HyperparameterError.self) { try lab.set("positions", to: .number(4)) }
        #expect(throws: HyperparameterError.self) { try lab.set("positions", to: .number(256)) }
        #expect(throws: HyperparameterError.self) { try lab.set("width", to: .number(9)) }   // odd: sines and cosines pair up
        #expect(throws: HyperparameterError.self) { try lab.set("lr", to: .number(1)) }
        #expect(throws: HyperparameterError.self) { try lab.set("heads", to: .number(2)) }
        try lab.set("width", to: .number(12))
        #expect(lab.parameters[named: "width"]?.value == .number(12))
    }

    @Test func aCheckpointContinuesBitForBit() throws {
        try CheckpointContinuationTests.check(fresh: { PositionalEncodingLab(seed: 0) }, configure: { lab in
            try lab.set("positions", to: .number(16))
            try lab.set("width", to: .number(16))
            try lab.set("lr", to: .number(0.02))
        }, seed: 11, steps: 15)
    }

    @Test func aBrokenCheckpointIsRefusedWithAMessage() throws {
        var lab = try Self.small()
        _ = try lab.step()
        var state = lab.snapshot()
        state.metadata["built"] = .object(["positions": .number(16), "width": .number(15)])
        #expect(throws: LabStateError.self) { try lab.restore(state) }
    }
}

@Suite struct AttentionCostLabTests {
    static func small() throws -> AttentionCostLab {
        var lab = AttentionCostLab(seed: 0)
        try lab.set("width", to: .number(16))
        try lab.set("heads", to: .number(2))
        try lab.set("max_length", to: .number(128))
        try lab.set("samples", to: .number(1))
        lab.reset(seed: 5)
        return lab
    }

    @Test func theCountedOperationsGrowAsNSquared() throws {
        // Default settings, counted only (nothing timed): 32 ... 2048, fitted over 256 ... 2048.
        let lab = AttentionCostLab(seed: 1)
        #expect(lab.lengths == [32, 64, 128, 256, 512, 1024, 2048])
        #expect(Array(lab.upperHalf) == [256, 512, 1024, 2048])
        let counted = lab.upperHalf.map { n -> (x: Double, y: Double) in
            let f = lab.flops(length: n); return (Double(n), Double(f.projections + f.attention))
        }
        let slope = try #require(AttentionCostLab.logLogSlope(counted))
        #expect(slope >= 1.7 && slope <= 2.3, "flop exponent \(slope)")
        // The attention part alone is exactly N^2: doubling N quadruples it.
        #expect(lab.flops(length: 1024).attention == 4 * lab.flops(length: 512).attention)
        #expect(lab.flops(length: 1024).projections == 2 * lab.flops(length: 512).projections)
        // Each step's work is bounded: the longest length is timed once, tiny ones many times.
        #expect(lab.repetitions(length: 2048) == 1 && lab.repetitions(length: 32) > 10)
    }

    @Test func oneSweepMeasuresEveryLengthAndFitsTheExponents() throws {
        var lab = try Self.small()
        var reports: [StepReport] = []
        for _ in 0..<6 { reports.append(try lab.step()) }   // 3 lengths x 1 sample x (forward, backward)
        #expect(reports.dropLast().allSatisfy { !$0.finished } && reports.last!.finished)
        #expect(lab.metrics.values("length") == [32, 64, 128])
        let flop = try #require(lab.metrics.latest("flop_exponent"))
        #expect(flop >= 1.7 && flop <= 2.3, "flop exponent \(flop)")
        let cost = try #require(lab.metrics.latest("cost_exponent"))
        #expect(cost.isFinite)    // a time: never checked against a range here
        #expect(lab.metrics.values("milliseconds").allSatisfy { $0 > 0 })
        #expect(lab.completion!.isMet(by: lab.metrics))
        for id in AttentionCostLab.panelNames { #expect(lab.panel(id) != nil) }
    }

    @Test func settingsOutsideTheirRangesAreRefused() throws {
        var lab = AttentionCostLab(seed: 0)
        #expect(throws: HyperparameterError.self) { try lab.set("heads", to: .number(3)) }       // 64 / 3
        #expect(throws: HyperparameterError.self) { try lab.set("max_length", to: .number(4096)) }
        #expect(throws: HyperparameterError.self) { try lab.set("max_length", to: .number(32)) }
        #expect(throws: HyperparameterError.self) { try lab.set("samples", to: .number(0)) }
        #expect(throws: HyperparameterError.self) { try lab.set("width", to: .number(8)) }
        try lab.set("heads", to: .number(8))
        #expect(throws: HyperparameterError.self) { try lab.set("width", to: .number(20)) }     // 20 / 8
    }

    /// What a checkpoint keeps: the layer, the settings, the step, and every time measured so far
    /// as it was measured. A resumed run re-measures the rest, so new times differ from an
    /// uninterrupted run's; everything counted must match it exactly.
    @Test func aCheckpointContinuesTheSweepWithEverythingCountedIdentical() throws {
        var straight = try Self.small(), first = try Self.small()
        for _ in 0..<3 { _ = try straight.step(); _ = try first.step() }   // stops between a forward and its backward
        let saved = first.snapshot()
        for _ in 0..<3 { _ = try straight.step() }
        var resumed = AttentionCostLab(seed: 0)
        try resumed.restore(saved)
        #expect(resumed.parameters == straight.parameters)
        for _ in 0..<3 { _ = try resumed.step() }

        let (a, b) = (straight.snapshot(), resumed.snapshot())
        #expect(CheckpointContinuationTests.identical(a.tensors, b.tensors))
        #expect(a.metadata["step"] == b.metadata["step"] && a.metadata["built"] == b.metadata["built"])
        for name in ["length", "gflop"] { #expect(straight.metrics.values(name) == resumed.metrics.values(name)) }
        #expect(straight.metrics.latest("flop_exponent") == resumed.metrics.latest("flop_exponent"))
        #expect(resumed.metrics.latest("lengths_measured") == 3)
        // The times measured before the save come back as saved.
        let before = try #require(saved.metadata["forward_ms"]?.array?.first?.array)
        #expect(b.metadata["forward_ms"]?.array?.first?.array == before)
    }
}
