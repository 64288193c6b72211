import CardioSim
import Course
import MLEngine
import Testing
@testable import Labs

/// `pinn-windkessel`: the physics term pulls the curve right after the measurements end, the
/// physics residual is what it claims, checkpoints continue exactly, bad settings are refused.
@Suite struct PINNWindkesselLabTests {
    static func lab(_ settings: [String: HyperValue], seed: UInt64 = 42) throws -> PINNWindkesselLab {
        var lab = PINNWindkesselLab(seed: seed)
        for (name, value) in settings { try lab.set(name, to: value) }
        lab.reset(seed: seed)
        return lab
    }

    static func train(_ lab: inout PINNWindkesselLab, steps: Int) throws {
        for _ in 0..<steps { _ = try lab.step() }
    }

    /// A short run (debug build): with physics the extrapolation error is already well below
    /// the measurements-only run's, which has nothing to tell it what happens after 1.2 s.
    @Test func physicsOnExtrapolatesBetterThanOff() throws {
        var on = try Self.lab(["lr": .number(0.01)])
        var off = try Self.lab(["lr": .number(0.01), "physics": .choice("off")])
        try Self.train(&on, steps: Self.shortRun)
        try Self.train(&off, steps: Self.shortRun)
        let rmseOn = try #require(on.metrics.latest("extrapolation_rmse"))
        let rmseOff = try #require(off.metrics.latest("extrapolation_rmse"))
        #expect(rmseOn < rmseOff / 2, "extrapolation_rmse with physics \(rmseOn) mmHg, without \(rmseOff) mmHg")
        // Both fit the measurements; only one obeys the law.
        #expect(off.metrics.latest("data_loss")! < 0.1)
        #expect(on.metrics.latest("physics_loss")! < off.metrics.latest("physics_loss")! / 3)
    }
    static let shortRun = 300

    /// The residual the lab trains on is C dp/dt + p/R - Q: on the exact curve (finite
    /// differences of CardioSim's samples) it is near zero, so a net equal to that curve would
    /// have no physics loss, while a flat line at the mean pressure is punished by the inflow.
    @Test func physicsTermVanishesOnTheExactCurve() throws {
        let data = WindkesselData.make(measurements: 12)
        let c = data.config
        let t = data.curve.times, p = data.curve.pressure
        var worst = 0.0
        for i in 1..<(t.count - 1) {
            let slope = (p[i + 1] - p[i - 1]) / (t[i + 1] - t[i - 1])
            worst = max(worst, abs(c.compliance * slope + p[i] / c.resistance - c.inflow(t[i])))
        }
        // The inflow's kinks at the start and end of ejection cost central differences a little.
        #expect(worst < 0.05 * c.strokeVolume / c.period * 10, "largest residual \(worst) mL/s")
        #expect(data.curve.measurementTimes.allSatisfy { data.window.contains($0) })
        #expect(data.curve.times.last! > data.window.upperBound + c.period)
    }

    @Test func continuesBitForBitAfterACheckpoint() throws {
        func fresh() throws -> PINNWindkesselLab { try Self.lab(["measurements": .number(8)], seed: 5) }
        var straight = try fresh(), first = try fresh()
        try Self.train(&straight, steps: 12); try Self.train(&first, steps: 12)
        for (name, value) in [("physics_weight", 0.5), ("lr", 0.001)] {   // live changes travel in the checkpoint
            try straight.set(name, to: .number(value)); try first.set(name, to: .number(value))
        }
        let saved = first.snapshot()
        try Self.train(&straight, steps: 13)
        var resumed = PINNWindkesselLab(seed: 0)
        try resumed.restore(saved)
        try Self.train(&resumed, steps: 13)
        #expect(resumed.metrics == straight.metrics)
        #expect(resumed.parameters == straight.parameters)
        #expect(resumed.predictedPressure == straight.predictedPressure)
        #expect(resumed.snapshot().tensors.mapValues { $0.copyScalars() } == straight.snapshot().tensors.mapValues { $0.copyScalars() })
        #expect(resumed.metrics.values("extrapolation_rmse").count == 4)  // steps 0, 1, 10, 20
    }

    /// The inverse mode: R and C start at half and twice their true values and end within 5%
    /// and 10% of them after the default run at 40 measurements (a second or two: the engine is
    /// optimised in debug builds too); with physics off nothing reaches them and they keep the guess.
    @Test func inverseModeLearnsRAndCTowardTheTruth() throws {
        var lab = try Self.lab(["mode": .choice("inverse"), "measurements": .number(40)])
        let config = WindkesselData.make(measurements: 40).config
        let truth = (config.resistance, config.compliance)
        #expect(abs(lab.metrics.latest("learned_r")! - truth.0 * 0.5) < 1e-6)
        #expect(abs(lab.metrics.latest("learned_c")! - truth.1 * 2) < 1e-5)
        try Self.train(&lab, steps: PINNWindkesselLab.defaultStepBudget)
        let r = try #require(lab.metrics.latest("learned_r")), c = try #require(lab.metrics.latest("learned_c"))
        #expect(abs(r - truth.0) < 0.05 * truth.0, "learned_r \(r), true \(truth.0), start \(truth.0 * 0.5)")
        #expect(abs(c - truth.1) < 0.10 * truth.1, "learned_c \(c), true \(truth.1), start \(truth.1 * 2)")
        #expect(lab.panel("unknowns").map { "\($0.content)".contains("learned") } == true)

        var unphysical = try Self.lab(["mode": .choice("inverse"), "physics": .choice("off")])
        try Self.train(&unphysical, steps: 20)
        #expect(abs(unphysical.metrics.latest("learned_r")! - truth.0 * 0.5) < 1e-6)
        // The forward mode reports no learned values at all.
        #expect(try Self.lab([:]).metrics.values("learned_r").isEmpty)
    }

    @Test func inverseModeContinuesBitForBitAfterACheckpoint() throws {
        func fresh() throws -> PINNWindkesselLab { try Self.lab(["mode": .choice("inverse"), "measurements": .number(8)], seed: 7) }
        var straight = try fresh(), first = try fresh()
        try Self.train(&straight, steps: 11); try Self.train(&first, steps: 11)
        let saved = first.snapshot()
        try Self.train(&straight, steps: 9)
        var resumed = PINNWindkesselLab(seed: 0)
        try resumed.restore(saved)
        try Self.train(&resumed, steps: 9)
        #expect(resumed.metrics == straight.metrics)
        #expect(resumed.snapshot().tensors.mapValues { $0.copyScalars() } == straight.snapshot().tensors.mapValues { $0.copyScalars() })
        var broken = saved
        broken.tensors["log_resistance"] = Tensor(shape: [1], scalars: [.nan])
        #expect(throws: LabStateError.self) { try resumed.restore(broken) }
    }

    @Test func refusesSettingsOutOfRange() throws {
        var lab = PINNWindkesselLab(seed: 0)
        for (name, value) in [("physics", HyperValue.choice("maybe")), ("physics_weight", .number(0)), ("physics_weight", .number(1000)),
                              ("measurements", .number(0)), ("measurements", .number(41)), ("lr", .number(1)),
                              ("mode", .choice("backward"))] {
            #expect(throws: HyperparameterError.self, "\(name) = \(value)") { try lab.set(name, to: value) }
        }
        var broken = lab.snapshot()
        broken.tensors["residual"] = Tensor(zeros: [3])
        #expect(throws: LabStateError.self) { try lab.restore(broken) }
    }

    /// Every panel draws, before training and after a step (the step's time, a few ms in a
    /// release build, is `mlcourse bench --only pinn_step`: a debug build on a loaded machine
    /// says nothing about it).
    @Test func everyPanelDraws() throws {
        var lab = PINNWindkesselLab(seed: 1)
        #expect(lab.panelIDs.allSatisfy { lab.panel($0) != nil })
        _ = try lab.step()
        #expect(lab.panelIDs.allSatisfy { lab.panel($0) != nil })
        #expect(lab.predictedPressure.count == lab.truth.times.count)
    }
}
