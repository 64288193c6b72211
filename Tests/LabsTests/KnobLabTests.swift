import Course
import MLEngine
import Testing
@testable import Labs

/// The prologue lab, checked against the arithmetic of a one-weight squared-error bowl worked
/// out here from the lab's data, not against the lab's own numbers.
@Suite struct KnobLabTests {
    /// mean((dose x w - drop)^2), straight from the data.
    static func loss(_ lab: KnobLab, at w: Double) -> Double {
        var total = 0.0
        for (dose, drop) in zip(lab.doses.copyScalars(), lab.drops.copyScalars()) {
            let error = Double(dose) * w - Double(drop)
            total += error * error
        }
        return total / Double(lab.doses.count)
    }

    /// The least-squares weight through the origin, from the engine's closed form.
    static func leastSquaresWeight(_ lab: KnobLab) throws -> Double {
        try LeastSquares.fit(features: lab.doses.reshaped([lab.doses.count, 1]), targets: lab.drops, intercept: false).weights[0]
    }

    static func descentLab(lr: Double, seed: UInt64 = 3) throws -> KnobLab {
        var lab = KnobLab(seed: seed)
        try lab.set("mode", to: .choice("descent"))
        try lab.set("lr", to: .number(lr))
        lab.reset(seed: seed)
        return lab
    }

    @Test func hyperparametersAreTheOnesTheLessonNames() {
        let lab = KnobLab(seed: 0)
        #expect(lab.parameters.map(\.name) == ["weight", "lr", "mode"])
        #expect(lab.parameters.allSatisfy { $0.effect == .live })
        #expect(lab.parameters[named: "weight"]?.domain == .numeric(range: -5...5, scale: .linear(step: 0.1), integer: false))
        #expect(lab.parameters[named: "lr"]?.rangeDescription == "between 0.001 and 1 (log scale)")
        #expect(lab.parameters[named: "mode"]?.domain == .choices(["hand", "descent"]))
        #expect(lab.mode == .hand && lab.currentWeight == 0)
    }

    @Test func handModeRecordsTheLossAtTheWeightYouSet() throws {
        var lab = KnobLab(seed: 11)
        try lab.set("weight", to: .number(1.5))
        lab.reset(seed: 11)              // start the history at 1.5
        for _ in 0..<3 { _ = try lab.step() }
        let expected = Self.loss(lab, at: 1.5)
        #expect(lab.metrics.values("loss").count == 3)
        for recorded in lab.metrics.values("loss") { #expect(abs(recorded - expected) <= 1e-5 * expected) }
        #expect(lab.metrics.values("weight") == [1.5, 1.5, 1.5])
        // Nudging with + moves the weight by 0.1 and measures there at once (the loss panel
        // follows the knob while paused); the next step measures the same place again.
        let up = lab.parameters[named: "weight"]!.stepped(up: true)
        try lab.set("weight", to: up)
        let nudged = try #require(lab.metrics.values("loss").last)
        #expect(lab.metrics.values("loss").count == 4)
        #expect(abs(nudged - Self.loss(lab, at: 1.6)) <= 1e-5 * nudged)
        let report = try lab.step()
        #expect(abs(report.loss! - Self.loss(lab, at: 1.6)) <= 1e-5 * report.loss!)
    }

    @Test func outOfRangeWeightIsRefusedWithTheValidRange() {
        var lab = KnobLab(seed: 0)
        #expect(throws: HyperparameterError.self) { try lab.set("weight", to: .number(7)) }
        do { try lab.set("weight", to: .number(7)); Issue.record("accepted 7") } catch {
            #expect("\(error)".contains("between -5 and 5"))
        }
        #expect(throws: HyperparameterError.self) { try lab.set("momentum", to: .number(0.9)) }
    }

    @Test func descentConvergesToTheLeastSquaresWeightAtLr01() throws {
        var lab = try Self.descentLab(lr: 0.1)
        for _ in 0..<100 { _ = try lab.step() }
        let best = try Self.leastSquaresWeight(lab)
        #expect(abs(Double(lab.currentWeight) - best) < 1e-4)
        #expect(abs(lab.bestWeight - best) < 1e-9)
        #expect(lab.completion!.isMet(by: lab.metrics))
        // The weight hyperparameter shows the learned weight.
        #expect(lab.parameters[named: "weight"]?.value == .number(Double(lab.currentWeight)))
        // The loss fell every step (lr 0.1 is below the overshoot point 1 / curvature).
        let losses = lab.metrics.values("loss")
        #expect(zip(losses, losses.dropFirst()).allSatisfy { $1 <= $0 + 1e-6 })
    }

    @Test func oneDescentStepIsTheLessonFormula() throws {
        var lab = try Self.descentLab(lr: 0.1)
        try lab.set("weight", to: .number(2))
        // gradient = mean(2 (dose w - drop) dose) at w = 2
        var gradient = 0.0
        for (dose, drop) in zip(lab.doses.copyScalars(), lab.drops.copyScalars()) {
            gradient += 2 * (Double(dose) * 2 - Double(drop)) * Double(dose)
        }
        gradient /= Double(lab.doses.count)
        _ = try lab.step()
        #expect(abs(Double(lab.currentWeight) - (2 - 0.1 * gradient)) < 1e-5)
    }

    @Test func learningRateNearOneDivergesAsTheLessonSays() throws {
        // For every seed the bowl's curvature 2 mean(dose^2) puts the stability limit
        // 2 / curvature between 0.1 and 1: lr 0.1 converges and values toward 1 blow up.
        for seed in UInt64(0)..<10 {
            let lab = KnobLab(seed: seed)
            #expect((0.2...0.6).contains(2 / lab.curvature), "seed \(seed): limit \(2 / lab.curvature)")
        }
        var lab = try Self.descentLab(lr: 0.9)
        var losses: [Double] = []
        for _ in 0..<40 { losses.append(try lab.step().loss!) }
        #expect(!lab.isFinite || !losses.last!.isFinite)
        #expect(losses[5] > 100 * losses[0])
        let hint = try #require(lab.divergenceHint())
        #expect(hint.contains("learning rate 0.9 is too high"))
        // Below the limit there is no blame to give.
        #expect(try Self.descentLab(lr: 0.1).divergenceHint() == nil)
    }

    @Test func tinyLearningRateCrawls() throws {
        var lab = try Self.descentLab(lr: 0.001)
        for _ in 0..<100 { _ = try lab.step() }
        let losses = lab.metrics.values("loss")
        #expect(losses.last! < losses.first!)
        #expect(!lab.completion!.isMet(by: lab.metrics))
    }

    @Test func theBottomCanBeReachedWithPlusAndMinus() {
        // The + and - keys move the weight on a grid of 0.1 from 0; the nearest grid point must
        // satisfy the completion condition (loss within 1% of the lowest), for any seed.
        for seed in UInt64(0)..<20 {
            let lab = KnobLab(seed: seed)
            let nearest = (lab.bestWeight * 10).rounded() / 10
            #expect(Self.loss(lab, at: nearest) <= 1.01 * Self.loss(lab, at: lab.bestWeight), "seed \(seed)")
        }
    }

    @Test func resetPutsTheWeightBackWhereYouSetIt() throws {
        var lab = try Self.descentLab(lr: 0.1)
        try lab.set("weight", to: .number(-3))
        for _ in 0..<20 { _ = try lab.step() }
        #expect(lab.currentWeight > 0)
        lab.reset(seed: 3)
        #expect(lab.currentWeight == -3)
        #expect(lab.metrics.values("loss").isEmpty)
    }

    @Test func panelsShowTheBowlWithTheCurrentWeight() throws {
        var lab = KnobLab(seed: 2)
        try lab.set("weight", to: .number(1))
        #expect(lab.panelIDs == ["loss", "fit", "surface"])
        #expect(lab.panel("nonsense") == nil)
        guard case .lineChart(let chart)? = lab.panel("surface")?.content else { Issue.record("surface is not a line chart"); return }
        let bowl = try #require(chart.series.first)
        #expect(bowl.x?.first == -5 && bowl.x?.last == 5)
        // Lowest at the least-squares weight, highest at an end of the range.
        let lowest = bowl.x![bowl.values.firstIndex(of: bowl.values.min()!)!]
        #expect(abs(lowest - lab.bestWeight) <= 0.05 + 1e-9)
        let marker = try #require(chart.series.first { $0.name == "your weight" })
        #expect(marker.x == [1, 1])
        guard case .scatter(let fit)? = lab.panel("fit")?.content else { Issue.record("fit is not a scatter"); return }
        #expect(fit.points.count == 8 && fit.lines.count == 1)
    }
}
