import Course
import MLEngine
import Testing
@testable import Labs

/// `outliers` at a small budget: MSE is pulled toward the outliers, MAE is not; checkpoints.
@Suite struct LossOutliersLabTests {
    static func run(_ loss: String, steps: Int, seed: UInt64 = 1) throws -> OutliersLab {
        var lab = OutliersLab(seed: seed)
        try lab.set("loss", to: .choice(loss))
        for _ in 0..<steps { _ = try lab.step() }
        return lab
    }

    @Test func maeIgnoresTheOutliersThatTiltMSE() throws {
        let mse = try Self.run("mse", steps: 100), mae = try Self.run("mae", steps: 100), huber = try Self.run("huber", steps: 100)
        // The outliers sit above the right end: MSE's line tilts up toward them.
        #expect(Double(mse.line[0]) > mse.cleanLine.slope + 0.5, "mse slope \(mse.line[0]) vs clean \(mse.cleanLine.slope)")
        #expect(mae.slopeError <= 0.5 * mse.slopeError, "mae \(mae.slopeError) vs mse \(mse.slopeError)")
        #expect(huber.slopeError < mse.slopeError, "huber \(huber.slopeError) vs mse \(mse.slopeError)")
        #expect(mse.metrics.values("slope_error").count == 100)
    }

    @Test func switchingTheLossLiveMovesTheLine() throws {
        var lab = try Self.run("mse", steps: 60)
        let pulled = lab.slopeError
        try lab.set("loss", to: .choice("mae"))
        for _ in 0..<60 { _ = try lab.step() }
        #expect(lab.slopeError < 0.5 * pulled, "after switching to mae \(lab.slopeError), under mse \(pulled)")
    }

    @Test func continuesBitForBitAfterACheckpoint() throws {
        var straight = try Self.run("huber", steps: 4), first = try Self.run("huber", steps: 4)
        let saved = first.snapshot()
        var resumed = OutliersLab(seed: 0)
        try resumed.restore(saved)
        for _ in 0..<5 { _ = try straight.step(); _ = try resumed.step() }
        #expect(resumed.line == straight.line)
        #expect(resumed.metrics == straight.metrics)
        #expect(resumed.xs == straight.xs && resumed.ys == straight.ys)
    }

    @Test func refusesSettingsOutOfRange() throws {
        var lab = OutliersLab(seed: 0)
        #expect(throws: (any Error).self) { try lab.set("loss", to: .choice("hinge")) }
        #expect(throws: (any Error).self) { try lab.set("delta", to: .number(0)) }
        var broken = lab.snapshot()
        broken.tensors["line"] = Tensor(zeros: [3])
        #expect(throws: (any Error).self) { try lab.restore(broken) }
    }
}
