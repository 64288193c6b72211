import Course
import MLEngine
import Testing
import TextPlot
@testable import Labs

/// `boosting`: trees added one a step on the patients table, the MLP beside them, and a
/// checkpoint that carries the trees themselves.
@Suite struct BoostingLabTests {
    func lab(_ values: [String: HyperValue], seed: UInt64 = 3) throws -> BoostingLab { try BoostingLab.built(values, seed: seed) }

    @Test func trainingLossNeverRisesRoundByRound() throws {
        for task in ["classify", "regress"] {
            var lab = try lab(["task": .choice(task)])
            for _ in 0..<25 { _ = try lab.step() }
            let losses = lab.metrics.values("train_loss")
            #expect(losses.count == 25)
            for (before, after) in zip(losses, losses.dropFirst()) { #expect(after <= before, "\(task): \(before) -> \(after)") }
            #expect(losses.last! < losses.first!)
        }
    }

    @Test func regressionTreesLowerTheTestErrorAndStopAtTheirRounds() throws {
        var lab = try lab(["task": .choice("regress"), "rounds": .number(40), "lr": .number(0.3)])
        var last = StepReport()
        for _ in 0..<45 where !last.finished { last = try lab.step() }
        #expect(last.finished)
        let rmse = lab.metrics.values("test_rmse")
        #expect(rmse.count == 40)
        // The risk's unexplained noise has a standard deviation of 2 points; 40 trees get well under 4.
        #expect(rmse.last! < 4 && rmse.last! < rmse.first! / 2, "\(rmse.first!) -> \(rmse.last!)")
        let text = try #require(lab.panel("comparison")).title
        #expect(text.contains("trees vs MLP"))
        let importance = try #require(lab.panel("importance"))
        guard case .bars(let bars) = importance.content else { Issue.record("importance is not bars"); return }
        // Age drives the risk most (1.1 points a year after 55).
        #expect(bars.bars.max { $0.value < $1.value }?.label == "age")
    }

    @Test func theLedgerShowsTheLatestTreesArithmetic() throws {
        var lab = try lab(["task": .choice("regress"), "node": .number(0)])
        _ = try lab.step()
        let tree = try #require(lab.latestTree)
        let root = tree.nodes[0]
        #expect(!root.isLeaf)
        let (l, r) = (tree.nodes[root.left], tree.nodes[root.right])
        // Gain from the children's sums, lambda 1.
        let gain = l.gradient * l.gradient / (l.hessian + 1) + r.gradient * r.gradient / (r.hessian + 1)
            - root.gradient * root.gradient / (root.hessian + 1)
        #expect(Swift.abs(root.gain - gain) <= 1e-9 * Swift.abs(gain))
        let ledger = try #require(lab.panel("ledger"))
        guard case .table(let table) = ledger.content else { Issue.record("ledger is not a table"); return }
        #expect(table.rows.contains { $0[0] == "gain" && $0[1] == TreeFlowchart.number(root.gain) })
        let flowchart = try #require(lab.panel("tree"))
        guard case .text(let body) = flowchart.content else { Issue.record("tree is not text"); return }
        #expect(body.contains("> [0] ") && body.contains("+-yes [1] ") && body.contains("`-no  [2] "))
        let ascii = body.unicodeScalars.allSatisfy { $0.isASCII }
        #expect(ascii)
    }

    @Test func theMLPComparisonTrainsOnTheSameTable() throws {
        var lab = try lab(["model": .choice("mlp"), "task": .choice("regress")])
        for _ in 0..<60 { _ = try lab.step() }
        let rmse = lab.metrics.values("test_rmse")
        #expect(lab.metrics.values("test_step") == [1, 20, 40, 60])
        #expect(rmse.last! < rmse.first!, "\(rmse)")
    }

    @Test func earlyStoppingRollsBackToTheBestRound() throws {
        // Deep unregularised trees at lr 1 overfit the event labels within a few rounds.
        var lab = try lab(["early_stopping": .number(5), "lr": .number(1), "depth": .number(8), "lambda": .number(0),
                           "min_child_weight": .number(0)])
        var last = StepReport()
        var taken = 0
        while !last.finished && taken < 200 { last = try lab.step(); taken += 1 }
        let best = try #require(lab.metrics.latest("best_round"))
        #expect(last.finished && taken < 200)
        #expect(Int(best) == taken - 5)
        let valid = lab.metrics.values("valid_loss")
        #expect(valid.min() == valid[Int(best) - 1])
    }

    @Test func settingsOutOfRangeAreRefused() throws {
        var lab = BoostingLab(seed: 1)
        #expect(throws: HyperparameterError.self) { try lab.set("depth", to: .number(9)) }
        #expect(throws: HyperparameterError.self) { try lab.set("bins", to: .number(512)) }
        #expect(throws: HyperparameterError.self) { try lab.set("lambda", to: .number(-1)) }
        #expect(throws: HyperparameterError.self) { try lab.set("task", to: .choice("cluster")) }
        #expect(throws: HyperparameterError.self) { try lab.set("lr", to: .number(.nan)) }
    }

    func continuesBitForBit(_ values: [String: HyperValue], steps: Int, liveChange: (String, HyperValue)? = nil) throws {
        var straight = try lab(values, seed: 11), first = try lab(values, seed: 11)
        for i in 0..<steps {
            if i == steps / 2, let (name, value) = liveChange { try straight.set(name, to: value); try first.set(name, to: value) }
            _ = try straight.step(); _ = try first.step()
        }
        let saved = first.snapshot()
        for _ in 0..<steps { _ = try straight.step() }
        var resumed = BoostingLab(seed: 0)
        try resumed.restore(saved)
        for _ in 0..<steps { _ = try resumed.step() }
        let (a, b) = (straight.snapshot(), resumed.snapshot())
        #expect(statesAgree(a, b))
        #expect(a.metadata == b.metadata)
        #expect(straight.metrics == resumed.metrics)
        #expect(resumed.metrics.values("train_loss").count == 2 * steps)
        #expect(resumed.parameters == straight.parameters)
    }

    @Test func aRestoredCheckpointContinuesBitForBit() throws {
        try continuesBitForBit(["task": .choice("classify")], steps: 6, liveChange: ("lr", .number(0.3)))
        try continuesBitForBit(["task": .choice("regress"), "early_stopping": .number(50)], steps: 5)
        try continuesBitForBit(["model": .choice("mlp"), "task": .choice("regress")], steps: 25)
    }

    @Test func aCheckpointWithBrokenTreesIsRefused() throws {
        var lab = try lab([:])
        _ = try lab.step()
        var state = lab.snapshot()
        state.metadata["trees"] = .array([.array([.object(["lr": .number(0.1), "nodes": .array([.array([.number(0), .number(0), .number(1),
            .number(0), .number(0), .number(0), .number(0), .number(0), .number(0), .number(1), .number(0)])])])])])
        var fresh = BoostingLab(seed: 0)
        #expect(throws: LabStateError.self) { try fresh.restore(state) }
    }

    @Test func theEntryDeclaresWhatTheLabHas() throws {
        let lab = BoostingLab(seed: 0)
        #expect(lab.parameters == BoostingLab.defaultParameters)
        #expect(lab.panelIDs == BoostingLab.panelNames)
        #expect(BoostingLab.panelNames.allSatisfy { lab.panel($0) != nil })
    }
}
