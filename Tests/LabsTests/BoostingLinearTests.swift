import Course
import MLEngine
import Testing
@testable import Labs

/// `boosting` with `model=linear`: least squares on every standardised patient feature, the
/// map's conceptual regression row.
@Suite struct BoostingLinearTests {
    func lab(_ values: [String: HyperValue], seed: UInt64 = 42) throws -> BoostingLab { try BoostingLab.built(values, seed: seed) }

    static let linear: [String: HyperValue] = ["task": .choice("regress"), "model": .choice("linear")]

    @Test func theFitRecoversAKnownLinearFunction() throws {
        // y = 2 + 3 x0 - 1.5 x1 + 0.5 x2, on 40 rows of uncorrelated-looking, non-constant features.
        let raw: [Double] = [3, -1.5, 0.5], rows = 40
        var features: [Float] = [], targets: [Double] = []
        for r in 0..<rows {
            let x = [Double(r % 7) - 3, Double((r * 5) % 11) * 0.5 + 10, Double((r * r) % 13) - 6]
            features += x.map(Float.init)
            targets.append(2 + zip(raw, x).map(*).reduce(0, +))
        }
        let fit = try TabularLinear(features: Tensor(shape: [rows, 3], scalars: features), targets: targets)
        // Standardised weights are the raw ones times each feature's SD; back in raw units they are 3, -1.5, 0.5.
        for c in 0..<3 {
            #expect(abs(fit.fit.weights[c] / fit.scalings[c].unit - raw[c]) < 1e-4, "weight \(c): \(fit.fit.weights)")
        }
        // The intercept on standardised (centred) inputs is the mean of y.
        #expect(abs(fit.fit.intercept - targets.reduce(0, +) / Double(rows)) < 1e-4)
        // And a row it never saw is predicted by the same line.
        let unseen = fit.scores(Tensor(shape: [1, 3], scalars: [1, 2, 3]))
        #expect(abs(unseen[0] - (2 + 3 - 3 + 1.5)) < 1e-3)
    }

    @Test func oneStepFitsAndItsTestRMSEIsTheLeastSquaresLinesOwn() throws {
        var lab = try lab(Self.linear)
        let report = try lab.step()
        #expect(report.finished)
        #expect(lab.metrics.values("test_rmse").count == 1)
        // Independently: least squares on the raw (unstandardised) features, RMSE summed by hand.
        // OLS's predictions do not depend on the scaling, so only float rounding may differ.
        let data = PatientData.shared
        let raw = try LeastSquares.fit(features: data.trainFeatures, targets: Tensor(data.trainRisk.map(Float.init)))
        let predicted = raw.predict(data.testFeatures).copyScalars()
        var total = 0.0
        for (p, y) in zip(predicted, data.testRisk) { total += (Double(p) - y) * (Double(p) - y) }
        let rmse = (total / Double(data.testRisk.count)).squareRoot()
        let measured = try #require(lab.metrics.latest("test_rmse"))
        #expect(abs(measured - rmse) < 1e-3, "lab \(measured), by hand \(rmse)")
        // A line cannot beat the trees here (the risk is not linear in the features), but it is far better than the mean.
        let spread = BoostingLab.rms(data.testRisk.map { $0 - data.trainRisk.reduce(0, +) / Double(data.trainRisk.count) })
        #expect(measured < spread)
        // A second step does nothing more.
        #expect(try lab.step().finished)
        #expect(lab.metrics.values("test_rmse").count == 1)
        for id in BoostingLab.panelNames { #expect(lab.panel(id) != nil, "\(id)") }
    }

    @Test func classifyWithALineIsRefusedAtTheStep() throws {
        // Least squares and SGD alike fit a number: the 0/1 event is refused rather than fitted.
        for model in ["linear", "sgd"] {
            var lab = try lab(["task": .choice("classify"), "model": .choice(model)])
            #expect(throws: HyperparameterError.self) { _ = try lab.step() }
        }
    }

    @Test func aRestoredFitMatchesBitForBit() throws {
        var first = try lab(Self.linear, seed: 11)
        _ = try first.step()
        var resumed = BoostingLab(seed: 0)
        try resumed.restore(first.snapshot())
        #expect(resumed.metrics == first.metrics)
        #expect(resumed.trainResiduals == first.trainResiduals)
        #expect(resumed.snapshot().metadata == first.snapshot().metadata)
        #expect(try resumed.step().finished)
        #expect(resumed.metrics == first.metrics)
    }

    @Test func theMapRowScoresWhatTheLabReports() throws {
        let row = try #require(MapRows.row("linear-ols"))
        let recipe = try #require(row.recipe)
        #expect(recipe.steps(scale: 0.1) == 1 && recipe.steps(scale: 1) == 1)
        let result = try MapRowRun.train(row, seed: 42, budget: recipe.steps(scale: 1), catalogue: CourseCatalogue.labs)
        var lab = try lab(Self.linear)
        _ = try lab.step()
        #expect(result.score == lab.metrics.latest("test_rmse"))
    }
}
