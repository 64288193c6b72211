import Course
import MLEngine
import Testing
@testable import Labs

extension BoostingLab {
    /// A lab with `values` set (in name order) and reset, as a lesson's lab block builds it.
    static func built(_ values: [String: HyperValue], seed: UInt64) throws -> BoostingLab {
        var lab = BoostingLab(seed: seed)
        for (name, value) in values.sorted(by: { $0.key < $1.key }) { try lab.set(name, to: value) }
        lab.reset(seed: seed)
        return lab
    }
}

/// `boosting` with `task=beats`: softmax boosting on the 250 samples of the beats-hard beats,
/// the map's production classification row. Small trees keep a debug build quick.
@Suite struct BoostingBeatsTests {
    static let beats: [String: HyperValue] = ["task": .choice("beats"), "depth": .number(2), "bins": .number(16)]

    func lab(_ values: [String: HyperValue], seed: UInt64 = 42) throws -> BoostingLab { try BoostingLab.built(values, seed: seed) }

    @Test func eachRoundGrowsFiveTreesAndTheAccuracyIsTheConfusionsDiagonal() throws {
        var lab = try lab(Self.beats)
        for _ in 0..<4 { _ = try lab.step() }
        #expect(lab.metrics.values("test_accuracy").count == 4 && lab.metrics.values("train_accuracy").count == 4)
        let snapshot = lab.snapshot()
        let rounds = try #require(snapshot.metadata["trees"]?.array)
        #expect(rounds.count == 4 && rounds.allSatisfy { $0.array?.count == 5 })
        // Four rounds of depth-2 trees already beat guessing (0.2) by far, and the loss falls.
        let accuracy = try #require(lab.metrics.latest("test_accuracy"))
        #expect(accuracy > 0.5, "test accuracy \(accuracy)")
        let losses = lab.metrics.values("train_loss")
        #expect(losses.last! < losses.first!)
        // The confusion panel counts the same test predictions: its diagonal over 1,000 is the accuracy.
        let panel = try #require(lab.panel("confusion"))
        guard case .heatmap(let spec) = panel.content else { Issue.record("confusion is a heatmap"); return }
        #expect(spec.values.reduce(0, +) == 1000)
        let diagonal = (0..<5).map { spec.values[$0 * 5 + $0] }.reduce(0, +)
        #expect(diagonal / 1000 == accuracy)
        for id in BoostingLab.panelNames { #expect(lab.panel(id) != nil, "\(id)") }
        // Five trees a round, one shown: the tree and its ledger say which class's it is.
        #expect(lab.panel("tree")?.title.contains("the normal class's tree of 5") == true)
        #expect(lab.panel("ledger")?.title.contains("the normal class's tree of 5") == true)
    }

    @Test func onlyTheTreesReadTheBeats() throws {
        for model in ["mlp", "linear", "sgd"] {
            var lab = try lab(Self.beats.merging(["model": .choice(model)]) { $1 })
            #expect(throws: HyperparameterError.self) { _ = try lab.step() }
        }
    }

    @Test func theMapRowTrainsTheBeatsTaskAndScoresItsTestAccuracy() throws {
        let row = try #require(MapRows.row("boosting-beats"))
        let recipe = try #require(row.recipe)
        #expect(recipe.metric == "test_accuracy" && recipe.settings.contains(.init(name: "task", value: "beats")))
        let result = try MapRowRun.train(row, seed: 42, budget: 2, catalogue: CourseCatalogue.labs)
        var lab = try lab(["task": .choice("beats"), "model": .choice("trees")])
        for _ in 0..<2 { _ = try lab.step() }
        #expect(result.score == lab.metrics.latest("test_accuracy"))
    }
}

/// `boosting` with `model=sgd`: the least-squares line found by minibatch SGD instead.
@Suite struct BoostingSGDTests {
    static let sgd: [String: HyperValue] = ["task": .choice("regress"), "model": .choice("sgd"), "lr": .number(0.03)]

    func lab(_ values: [String: HyperValue], seed: UInt64 = 42) throws -> BoostingLab { try BoostingLab.built(values, seed: seed) }

    @Test func sgdHeadsForTheLeastSquaresLine() throws {
        var ols = try lab(["task": .choice("regress"), "model": .choice("linear")])
        _ = try ols.step()
        let target = try #require(ols.metrics.latest("test_rmse"))
        var lab = try lab(Self.sgd)
        var finished = false
        while !finished { finished = try lab.step().finished }
        let rmse = lab.metrics.values("test_rmse")
        #expect(rmse.count == TabularSGD.steps)
        // Far from the line after one step, within 1% of it (and never below it by much) at the end.
        #expect(rmse[0] > target * 1.1, "first \(rmse[0]), least squares \(target)")
        #expect(abs(rmse.last! / target - 1) < 0.01, "last \(rmse.last!), least squares \(target)")
        let panel = try #require(lab.panel("score"))
        #expect(panel.title.contains("least squares \(TreeFlowchart.number(target))"))
        for id in BoostingLab.panelNames { #expect(lab.panel(id) != nil, "\(id)") }
    }

    @Test func aRestoredRunContinuesBitForBit() throws {
        var first = try lab(Self.sgd, seed: 11)
        for _ in 0..<7 { _ = try first.step() }
        var resumed = BoostingLab(seed: 0)
        try resumed.restore(first.snapshot())
        #expect(resumed.snapshot().metadata == first.snapshot().metadata)
        for _ in 0..<5 {
            _ = try first.step()
            _ = try resumed.step()
        }
        #expect(resumed.metrics == first.metrics)
        #expect(resumed.trainResiduals == first.trainResiduals)
    }

    @Test func theMapRowScoresWhatTheLabReports() throws {
        let row = try #require(MapRows.row("linear-sgd"))
        let recipe = try #require(row.recipe)
        #expect(row.training == "MSE -> SGD" && MapRows.row("linear-ols")?.training == "MSE -> OLS")
        #expect(MapRows.ids.firstIndex(of: "linear-sgd") == MapRows.ids.firstIndex(of: "linear-ols")! + 1)
        let result = try MapRowRun.train(row, seed: 42, budget: 30, catalogue: CourseCatalogue.labs)
        var lab = try lab(Self.sgd)
        for _ in 0..<30 { _ = try lab.step() }
        #expect(result.score == lab.metrics.latest("test_rmse") && recipe.budget == TabularSGD.steps)
    }
}
