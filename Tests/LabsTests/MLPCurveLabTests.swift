import Course
import Labs
import MLEngine
import Testing

/// `mlp-curve`: the claims of Lessons/02-mlp.md about fitting the age-55 bend and other shapes.
@Suite struct MLPCurveLabTests {
    func trained(_ values: [String: HyperValue], steps: Int, seed: UInt64 = 3) throws -> CurveFitLab {
        var lab = CurveFitLab(seed: seed)
        try lab.applyAndReset(values, seed: seed)
        try lab.stepMany(steps)
        return lab
    }

    @Test func reluFollowsTheBendFarBetterThanAnyLine() throws {
        // The defaults: relu, 16 hidden, 1 layer, adam, lr 0.01, bend.
        let lab = try trained([:], steps: 300)
        let loss = try #require(lab.metrics.latest("loss"))
        // Chapter 1: the line misses the bend. Noise alone (std 2) costs about 4, the line ~35.
        #expect(loss * 5 <= lab.straightLineLoss, "loss \(loss) vs best line \(lab.straightLineLoss)")
        #expect(try #require(lab.metrics.latest("linear_gap")) < 0)
        #expect(lab.completion?.isMet(by: lab.metrics) == true)
    }

    @Test func withoutActivationEvenFourLayersDrawAStraightLine() throws {
        let lab = try trained(["activation": .choice("none"), "layers": .number(4), "hidden": .number(16)], steps: 300)
        let gaps = lab.metrics.values("linear_gap")
        let last = try #require(gaps.last)
        #expect(abs(last) <= 0.01 * lab.straightLineLoss, "linear_gap \(last), line loss \(lab.straightLineLoss)")
        // A linear network can never beat the least-squares line.
        #expect(gaps.allSatisfy { $0 >= 0 }, "linear_gap went below zero: \(gaps.min() ?? 0)")
        #expect(lab.completion?.isMet(by: lab.metrics) == false)
        // And what it draws is a line: equal steps in age give equal steps in risk.
        let p = lab.predictions(ages: [30, 55, 80])
        #expect(abs((p[2] - p[1]) - (p[1] - p[0])) < 1e-3 * max(1, abs(p[2] - p[0])), "\(p)")
    }

    @Test func eightReluUnitsMakeAKinkAtFiftyFive() throws {
        let lab = try trained(["hidden": .number(8)], steps: 400)
        #expect(try #require(lab.metrics.latest("linear_gap")) < 0)
        // The recipe's slope is 0.05 a year before 55 and 1.55 after it.
        let p = lab.predictions(ages: [35, 45, 65, 75])
        let before = (p[1] - p[0]) / 10, after = (p[3] - p[2]) / 10
        #expect(before < 0.4 && after > 1.2, "slopes before \(before), after \(after)")
    }

    @Test func moreHiddenUnitsHugTheSineCloser() throws {
        var losses: [Int: Double] = [:]
        for hidden in [2, 4, 16] {
            let lab = try trained(["shape": .choice("sine"), "hidden": .number(Double(hidden))], steps: 1000)
            let loss: Double = try #require(lab.metrics.latest("loss"))
            losses[hidden] = loss
        }
        #expect(losses[2]! > losses[4]! && losses[4]! > losses[16]!, "\(losses)")
        // 16 units trace the two waves; the best line explains almost nothing of them.
        let line = try trained(["shape": .choice("sine"), "hidden": .number(2)], steps: 0).straightLineLoss
        #expect(losses[16]! * 4 < line, "\(losses), line \(line)")
    }

    @Test(arguments: ["tanh", "sigmoid"])
    func smoothActivationsFollowTheBendToo(_ activation: String) throws {
        let lab = try trained(["activation": .choice(activation)], steps: 1000)
        #expect(try #require(lab.metrics.latest("loss")) * 5 <= lab.straightLineLoss)
    }

    @Test(arguments: ["step", "abs"])
    func reluFitsTheOtherShapes(_ shape: String) throws {
        let lab = try trained(["shape": .choice(shape)], steps: 600)
        #expect(try #require(lab.metrics.latest("loss")) * 3 <= lab.straightLineLoss)
    }

    @Test(arguments: ["adam", "momentum"])
    func aRestoredCheckpointContinuesBitForBit(_ optimizer: String) throws {
        let settings: [String: HyperValue] = ["optimizer": .choice(optimizer), "layers": .number(2), "hidden": .number(8),
                                              "lr": .number(optimizer == "adam" ? 0.01 : 0.05)]
        var straight = try trained(settings, steps: 40, seed: 9)
        var first = try trained(settings, steps: 20, seed: 9)
        let saved = first.snapshot()
        try first.stepMany(5)   // moves on; the snapshot must not move with it
        var resumed = CurveFitLab(seed: 1)
        try resumed.restore(saved)
        try resumed.stepMany(20)
        #expect(statesAgree(resumed.snapshot(), straight.snapshot()))
        try straight.stepMany(1); try resumed.stepMany(1)
        #expect(resumed.metrics == straight.metrics)
    }

    @Test func badSettingsAndStatesAreRefusedWithAReason() throws {
        var lab = CurveFitLab(seed: 1)
        #expect(throws: HyperparameterError.self) { try lab.set("hidden", to: .number(0)) }
        #expect(throws: HyperparameterError.self) { try lab.set("hidden", to: .number(2.5)) }
        #expect(throws: HyperparameterError.self) { try lab.set("activation", to: .choice("gelu")) }
        #expect(throws: HyperparameterError.self) { try lab.set("hiden", to: .number(8)) }
        #expect(throws: LabStateError.self) { try lab.restore(LabState(labID: "mlp-ecg")) }
        var other = CurveFitLab(seed: 1)
        try other.applyAndReset(["hidden": .number(32)], seed: 1)
        var state = other.snapshot()
        state.tensors["model.fc1.weight"] = Tensor(zeros: [3, 1])
        #expect(throws: LabStateError.self) { try lab.restore(state) }
    }

    @Test func panelsShowTheDataTheCurveAndTheLine() throws {
        let lab = try trained([:], steps: 5)
        guard case .scatter(let fit)? = lab.panel("fit")?.content else { Issue.record("fit is not a scatter plot"); return }
        #expect(fit.points.count == 200)
        #expect(fit.lines.map(\.name) == ["network", "best line"])
        guard case .lineChart(let loss)? = lab.panel("loss")?.content else { Issue.record("loss is not a line chart"); return }
        #expect(loss.series.first?.values.count == 5)
        #expect(loss.target?.value == lab.straightLineLoss)
        #expect(lab.panel("nope") == nil)
    }
}
