import Course
import MLEngine
import Testing
@testable import Labs

/// `gnn-leads`: the GNN learns the ST-elevation regions, renumbering the leads leaves its
/// answers alone, and a checkpoint continues bit for bit.
@Suite struct GraphLeadsLabTests {
    func lab(_ values: [String: HyperValue], seed: UInt64 = 5) throws -> GraphLeadsLab {
        var lab = GraphLeadsLab(seed: seed)
        for (name, value) in values.sorted(by: { $0.key < $1.key }) { try lab.set(name, to: value) }
        lab.reset(seed: seed)
        return lab
    }

    @Test func relabellingLeavesTheGNNAloneAndMovesTheMLP() throws {
        var gnn = try lab(["model": .choice("gnn"), "aggregate": .choice("max")])
        for _ in 0..<GraphLeadsLab.evaluationInterval { _ = try gnn.step() }
        let before = try #require(gnn.metrics.values("test_accuracy").last)
        try gnn.set("relabel", to: .choice("on"))
        #expect(gnn.metrics.values("test_accuracy").last == before)
        #expect(try #require(gnn.metrics.latest("relabel_max_diff")) < 1e-5)

        var mlp = try lab(["model": .choice("mlp")])
        for _ in 0..<GraphLeadsLab.evaluationInterval { _ = try mlp.step() }
        // The MLP's weights belong to positions: its probabilities move a lot.
        #expect(try #require(mlp.metrics.latest("relabel_max_diff")) > 0.05)
    }

    @Test func theGNNLearnsAboveChance() throws {
        var lab = try lab([:])
        for _ in 0..<75 { _ = try lab.step() }
        let accuracy = lab.metrics.values("test_accuracy")
        // Four balanced classes: chance is 0.25.
        #expect(accuracy.last! > 0.4, "\(accuracy)")
        let losses = lab.metrics.values("train_loss")
        #expect(losses.suffix(10).reduce(0, +) < losses.prefix(10).reduce(0, +))
    }

    @Test func aRestoredCheckpointContinuesBitForBit() throws {
        for values: [String: HyperValue] in [["rounds": .number(3), "aggregate": .choice("sum")], ["model": .choice("mlp")]] {
            var straight = try lab(values, seed: 12), first = try lab(values, seed: 12)
            let steps = 26
            for _ in 0..<steps { _ = try straight.step(); _ = try first.step() }
            try straight.set("relabel", to: .choice("on")); try first.set("relabel", to: .choice("on"))
            let saved = first.snapshot()
            for _ in 0..<steps { _ = try straight.step() }
            var resumed = GraphLeadsLab(seed: 0)
            try resumed.restore(saved)
            for _ in 0..<steps { _ = try resumed.step() }
            #expect(statesAgree(straight.snapshot(), resumed.snapshot()))
            #expect(straight.metrics == resumed.metrics)
            #expect(resumed.parameters == straight.parameters)
        }
    }

    @Test func theGraphPanelColoursEachLeadsStatePerRoundAndNamesTheLeadEachNodeCarries() throws {
        var lab = try lab(["rounds": .number(3)])
        _ = try lab.step()
        let plain = try #require(lab.panel("graph"))
        guard case .heatmap(let map) = plain.content else { Issue.record("graph is not a heatmap"); return }
        #expect(map.rows == 4 && map.rowLabels == ["r0", "r1", "r2", "r3"] && map.columns == 12)
        #expect(map.columnLabels[1] == "II")
        // Each round's row is the nodes' deviation from that round's mean: it sums to zero, and
        // it is not all zero (the leads differ).
        for round in 0..<4 {
            let row = map.values[(round * 12)..<((round + 1) * 12)]
            #expect(abs(row.reduce(0, +)) < 1e-9)
            #expect(row.contains { abs($0) > 1e-3 })
        }
        try lab.set("relabel", to: .choice("on"))
        guard case .heatmap(let moved) = try #require(lab.panel("graph")).content else { return }
        // Lead II (1) is node 5 x 1 + 3 = 8 after relabelling, with the same states.
        #expect(moved.columnLabels[8] == "II")
        let movedII: [Double] = (0..<4).map { moved.values[$0 * 12 + 8] }
        let plainII: [Double] = (0..<4).map { map.values[$0 * 12 + 1] }
        #expect(movedII == plainII)
    }

    @Test func overSmoothedStatesFadeToZero() {
        #expect(LeadGraphPanel.relativeDeviations([2, 2, 2]) == [0, 0, 0])
        let spread = LeadGraphPanel.relativeDeviations([1, 2, 3]), alike = LeadGraphPanel.relativeDeviations([1.9, 2, 2.1])
        #expect(spread.map { abs($0) }.max()! > 5 * alike.map { abs($0) }.max()!)
    }

    @Test func settingsOutOfRangeAreRefused() throws {
        var lab = GraphLeadsLab(seed: 1)
        #expect(throws: HyperparameterError.self) { try lab.set("rounds", to: .number(5)) }
        #expect(throws: HyperparameterError.self) { try lab.set("aggregate", to: .choice("median")) }
        #expect(throws: HyperparameterError.self) { try lab.set("relabel", to: .choice("maybe")) }
    }

    @Test func theEntryDeclaresWhatTheLabHas() throws {
        let lab = GraphLeadsLab(seed: 0)
        #expect(lab.parameters == GraphLeadsLab.defaultParameters)
        #expect(GraphLeadsLab.panelNames.allSatisfy { lab.panel($0) != nil })
    }
}
