import Course
import MLEngine
import Testing
@testable import Labs

/// Chapter 1's lab: gradient descent must land on the closed-form line, and the bend data must
/// show the straight line's limitation.
@Suite struct NeuronLabTests {
    static func lab(data: String = "line", lr: Double = 0.01, noise: Double? = nil, points: Int? = nil,
                    seed: UInt64 = 5) throws -> NeuronLab {
        var lab = NeuronLab(seed: seed)
        try lab.set("data", to: .choice(data))
        try lab.set("lr", to: .number(lr))
        if let noise { try lab.set("noise", to: .number(noise)) }
        if let points { try lab.set("points", to: .number(Double(points))) }
        lab.reset(seed: seed)
        return lab
    }

    /// The lesson's OLS formula, in Double, straight from the data.
    static func olsByFormula(_ lab: NeuronLab) -> (weight: Double, bias: Double) {
        let x = lab.ages.copyScalars().map(Double.init), y = lab.risks.copyScalars().map(Double.init)
        let mx = x.reduce(0, +) / Double(x.count), my = y.reduce(0, +) / Double(y.count)
        let top = zip(x, y).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
        let bottom = x.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
        let weight = top / bottom
        return (weight, my - weight * mx)
    }

    @Test func hyperparametersAreTheOnesTheLessonNames() {
        let parameters = NeuronLab(seed: 0).parameters
        #expect(parameters.map(\.name) == ["lr", "data", "noise", "points"])
        #expect(parameters[named: "lr"]?.rangeDescription == "between 0.0001 and 1 (log scale)")
        #expect(parameters[named: "lr"]?.effect == .live)
        #expect(parameters[named: "data"]?.domain == .choices(["line", "bend"]))
        #expect(parameters[named: "noise"]?.rangeDescription == "between 0 and 1")
        #expect(parameters[named: "points"]?.rangeDescription == "a whole number between 10 and 500 (log scale)")
        #expect(["data", "noise", "points"].allSatisfy { parameters[named: $0]?.effect == .reset })
    }

    @Test func olsIsTheLessonFormulaAndFindsTheGeneratingLine() throws {
        let lab = try Self.lab()
        let formula = Self.olsByFormula(lab)
        #expect(abs(lab.olsWeight - formula.weight) < 1e-9)
        #expect(abs(lab.olsBias - formula.bias) < 1e-6)
        // risk-line is -10 + 0.5 age + noise (sd 2): 200 patients pin the slope down closely.
        #expect(abs(lab.olsWeight - 0.5) < 0.05)
        #expect(abs(lab.olsBias + 10) < 3)
        // The OLS loss is about the noise variance, 4.
        #expect((3...5).contains(lab.olsLoss))
        #expect(lab.metrics.latest("ols_weight") == lab.olsWeight && lab.metrics.latest("ols_bias") == lab.olsBias)
    }

    @Test func gradientDescentAgreesWithOLSWithinTheDefaultRun() throws {
        // `mlcourse run` trains 1000 steps by default; lr 0.01 as in the lesson.
        var lab = try Self.lab()
        for _ in 0..<1000 { _ = try lab.step() }
        let m = lab.metrics
        let (weight, bias, loss) = (m.latest("weight")!, m.latest("bias")!, m.latest("loss")!)
        #expect(abs(weight - lab.olsWeight) <= 1e-3, "weight \(weight) vs OLS \(lab.olsWeight)")
        #expect(abs(bias - lab.olsBias) <= 1e-3, "bias \(bias) vs OLS \(lab.olsBias)")
        #expect(abs(loss - lab.olsLoss) <= 1e-3 * lab.olsLoss, "loss \(loss) vs OLS \(lab.olsLoss)")
        #expect(lab.completion!.isMet(by: m))
        #expect(m.values("loss").count == 1000 && m.values("weight").count == 1000 && m.values("bias").count == 1000)
    }

    @Test func oneStepIsTheLessonsGradientFormula() throws {
        // From weight 0 and bias 0 (in the scaled input x' = (age - mean) / 10):
        // grad_w = mean(2 error x'), grad_b = mean(2 error) with error = 0 - risk.
        var lab = try Self.lab()
        let x = lab.ages.copyScalars().map { (Double($0) - lab.scaling.centre) / 10 }
        let y = lab.risks.copyScalars().map(Double.init)
        let gradW = zip(x, y).reduce(0) { $0 + 2 * (0 - $1.1) * $1.0 } / Double(x.count)
        let gradB = y.reduce(0) { $0 + 2 * (0 - $1) } / Double(y.count)
        _ = try lab.step()
        let (w, b) = (-0.01 * gradW, -0.01 * gradB)
        // In original units: per year w / 10, at age 0 b - w centre / 10.
        #expect(abs(lab.line.weight - w / 10) < 1e-6)
        #expect(abs(lab.line.bias - (b - w * lab.scaling.centre / 10)) < 1e-4)
    }

    @Test func bendLeavesUShapedResidualsAndALossFarAboveTheNoise() throws {
        // A line fitted to a hinge (flat, then rising from 55) lies above the data around the
        // hinge and below it at both ends: for ages uniform in 30-80 the continuous fit gives
        // residuals of about +9 at 30, -9 at 55 and +9 at 80, and an MSE of about 29 on top of
        // the noise variance 4.
        var lab = try Self.lab(data: "bend")
        for _ in 0..<1000 { _ = try lab.step() }
        let pairs = zip(lab.ages.copyScalars().map(Double.init), lab.olsResiduals)
        func meanResidual(_ ages: ClosedRange<Double>) -> Double {
            let inside = pairs.filter { ages.contains($0.0) }.map(\.1)
            return inside.reduce(0, +) / Double(inside.count)
        }
        #expect(meanResidual(30...36) > 4)
        #expect(meanResidual(50...60) < -4)
        #expect(meanResidual(74...80) > 4)
        #expect(lab.olsLoss > 5 * 4)
        // Gradient descent agrees with OLS here too, and cannot do better.
        #expect(abs(lab.metrics.latest("loss")! - lab.olsLoss) <= 1e-3 * lab.olsLoss)
        #expect(lab.metrics.values("loss").allSatisfy { $0 >= lab.olsLoss * (1 - 1e-6) })

        // More data and no noise: the bend is traced exactly and the line misses it as badly.
        let clean = try Self.lab(data: "bend", noise: 0, points: 500)
        #expect(clean.olsLoss > 20)
    }

    @Test func lineResidualsHaveNoShape() throws {
        let lab = try Self.lab(data: "line")
        let pairs = zip(lab.ages.copyScalars().map(Double.init), lab.olsResiduals)
        for band in [30.0...36, 50...60, 74...80] {
            let inside = pairs.filter { band.contains($0.0) }.map(\.1)
            #expect(abs(inside.reduce(0, +) / Double(inside.count)) < 1.5, "ages \(band)")
        }
    }

    @Test func resetOnlySettingsRebuildTheData() throws {
        let few = try Self.lab(points: 10)
        #expect(few.ages.count == 10)
        // noise 0: the points lie exactly on the recipe's line, so OLS recovers it.
        let exact = try Self.lab(noise: 0)
        #expect(exact.olsLoss < 1e-8)
        #expect(abs(exact.olsWeight - 0.5) < 1e-5 && abs(exact.olsBias + 10) < 1e-3)
        // noise 1 doubles the recipe's sd 2: the lowest loss is about 16.
        let noisy = try Self.lab(noise: 1, points: 500)
        #expect((13...19).contains(noisy.olsLoss))
        // A reset-only change waits for the reset.
        var lab = NeuronLab(seed: 5)
        try lab.set("points", to: .number(40))
        #expect(lab.ages.count == 200)
        lab.reset(seed: 5)
        #expect(lab.ages.count == 40)
        #expect(throws: HyperparameterError.self) { try lab.set("points", to: .number(12.5)) }
        #expect(throws: HyperparameterError.self) { try lab.set("data", to: .choice("curve")) }
    }

    @Test func tooLargeALearningRateExplodesAndTheHintSaysSo() throws {
        // Curvature along the weight is 2 mean(x'^2) ~ 2 (14.4 / 10)^2 ~ 4.2: stable below ~0.48.
        var bouncing = try Self.lab(lr: 0.32)
        var exploding = try Self.lab(lr: 0.64)
        for _ in 0..<300 { _ = try bouncing.step(); _ = try exploding.step() }
        #expect(bouncing.isFinite && abs(bouncing.metrics.latest("loss")! - bouncing.olsLoss) < 1e-3 * bouncing.olsLoss)
        let losses = exploding.metrics.values("loss")
        #expect(!exploding.isFinite || losses.last! > 1e6 * losses.first!)
        #expect(exploding.divergenceHint()?.contains("learning rate 0.64 is too high") == true)
        #expect(bouncing.divergenceHint() == nil)
        #expect((0.4...0.56).contains(exploding.stableLearningRateLimit))
    }

    @Test func panelsCarryBothLinesAndTheTargets() throws {
        var lab = try Self.lab()
        _ = try lab.step()
        #expect(lab.panelIDs == ["scatter", "loss", "params", "residuals"])
        guard case .scatter(let scatter)? = lab.panel("scatter")?.content else { Issue.record("no scatter"); return }
        #expect(scatter.points.count == 200)
        #expect(scatter.lines.map(\.name) == ["gradient descent", "OLS"])
        guard case .lineChart(let loss)? = lab.panel("loss")?.content else { Issue.record("no loss chart"); return }
        #expect(loss.target?.value == lab.olsLoss)
        guard case .lineChart(let params)? = lab.panel("params")?.content else { Issue.record("no params chart"); return }
        #expect(params.series.map(\.name) == ["weight", "bias", "OLS weight", "OLS bias"])
        #expect(params.series[2].values.allSatisfy { $0 == lab.olsWeight })
        guard case .scatter(let residuals)? = lab.panel("residuals")?.content else { Issue.record("no residuals"); return }
        #expect(residuals.points.map(\.y) == lab.olsResiduals)
    }
}
