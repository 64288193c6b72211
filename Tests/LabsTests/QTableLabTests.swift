import CardioSim
import Course
import MLEngine
import Testing
@testable import Labs

/// `q-table` at small budgets: the exact values it measures against, learning toward them,
/// the discount turning the policy, exact checkpoint continuation, refused settings.
@Suite struct QTableLabTests {
    static func lab(_ settings: [String: Double], seed: UInt64) throws -> QTableLab {
        var lab = QTableLab(seed: seed)
        for (name, value) in settings.sorted(by: { $0.key < $1.key }) { try lab.set(name, to: .number(value)) }
        lab.reset(seed: seed)
        return lab
    }

    static func train(_ lab: inout QTableLab, steps: Int) throws {
        for _ in 0..<steps { _ = try lab.step() }
    }

    /// Without slips the chain's values are powers of the discount times the reward ahead:
    /// from state 5 the +10 is one move away, from state 2 four.
    @Test func exactValuesOfTheChainWithoutSlips() {
        let q = ChainWorldProcess.make(ChainWorld(slip: 0)).valueIteration(discount: 0.9)
        let right = (1...5).map { q[$0 * 2 + 1] }
        let want = [6.561, 7.29, 8.1, 9, 10]
        for (got, w) in zip(right, want) { #expect(Swift.abs(got - w) < 1e-9, "\(right)") }
        #expect(Swift.abs(q[1 * 2] - 1) < 1e-9)            // left from state 1: the +1 at once
        // Left from state 2 is one wasted move, then the best from state 1 (turn round: 6.561).
        #expect(Swift.abs(q[2 * 2] - 0.9 * 6.561) < 1e-9)
        #expect(q[0] == 0 && q[13] == 0)                   // the ends: nothing left to earn
    }

    @Test func learnsTowardTheExactValuesAndFasterThanOneOverVisits() throws {
        var decaying = try Self.lab([:], seed: 1)
        var averaging = try Self.lab(["step_decay": 1], seed: 1)
        try Self.train(&decaying, steps: 80)
        try Self.train(&averaging, steps: 80)
        #expect(decaying.maxQError < 0.3, "k = 5: \(decaying.maxQError)")
        // 1/visits keeps every early target (made while the next state's value was still 0) in
        // its average: the same 4,000 episodes leave it far off.
        #expect(averaging.maxQError > 3 * decaying.maxQError, "1/visits \(averaging.maxQError) vs k = 5 \(decaying.maxQError)")
        for s in 1...5 { #expect(decaying.table.greedyAction(s) == 1, "state \(s) should head for the +10") }
        #expect(decaying.metrics.values("episode_return").count == 80)
    }

    /// Below a discount of about 0.3 the +10 four moves away is worth less than the +1 two moves
    /// away (10 x 0.2^3 = 0.08 against 0.2): the agent settles for the near reward.
    @Test func aLowDiscountTurnsTheStartTowardTheNearReward() throws {
        var lab = try Self.lab(["discount": 0.2], seed: 2)
        try Self.train(&lab, steps: 60)
        #expect(lab.table.greedyAction(2) == 0 && lab.table.greedyAction(1) == 0)
        #expect(lab.exact[2 * 2] > lab.exact[2 * 2 + 1])
    }

    @Test func continuesBitForBitAfterACheckpoint() throws {
        func fresh() throws -> QTableLab { try Self.lab(["epsilon": 0.3, "discount": 0.95], seed: 9) }
        var straight = try fresh(), first = try fresh()
        try Self.train(&straight, steps: 3); try Self.train(&first, steps: 3)
        try straight.set("discount", to: .number(0.8)); try first.set("discount", to: .number(0.8))   // live change
        let saved = first.snapshot()
        try Self.train(&straight, steps: 3)
        var resumed = QTableLab(seed: 0)
        try resumed.restore(saved)
        try Self.train(&resumed, steps: 3)
        #expect(resumed.table == straight.table)
        #expect(resumed.metrics == straight.metrics)
        #expect(resumed.parameters == straight.parameters)
        #expect(resumed.snapshot().metadata == straight.snapshot().metadata)
        #expect(resumed.metrics.values("max_q_error").count == 6)
    }

    @Test func refusesSettingsOutOfRange() throws {
        var lab = QTableLab(seed: 0)
        #expect(throws: (any Error).self) { try lab.set("discount", to: .number(1)) }
        #expect(throws: (any Error).self) { try lab.set("epsilon", to: .number(-0.1)) }
        #expect(throws: (any Error).self) { try lab.set("slip", to: .number(0.6)) }
        var broken = lab.snapshot()
        broken.tensors["q.values"] = Tensor(zeros: [3, 2])
        #expect(throws: LabStateError.self) { try lab.restore(broken) }
    }
}

/// `q-table` with `env` dosing: the bins, the table filling in, learning above random on a
/// small budget, exact checkpoint continuation.
@Suite struct QTableDosingTests {
    static func lab(seed: UInt64, _ settings: [String: Double] = [:]) throws -> QTableLab {
        var lab = QTableLab(seed: seed)
        try lab.set("env", to: .choice("dosing"))
        for (name, value) in settings.sorted(by: { $0.key < $1.key }) { try lab.set(name, to: .number(value)) }
        lab.reset(seed: seed)
        return lab
    }

    /// Level edges 1, 2, 3.5, 5, 6 (an edge belongs to the bin above); severity edges 0.3, 0.6;
    /// row = severity bin x 6 + level bin.
    @Test func binsMapStatesAsDocumented() {
        #expect(DosingStateBins.count == 18)
        #expect(DosingStateBins.index(level: 0, severity: 0.1) == 0)
        #expect(DosingStateBins.index(level: 1.99, severity: 0.1) == 1)
        #expect(DosingStateBins.index(level: 2, severity: 0.1) == 2)            // the window starts at 2
        #expect(DosingStateBins.index(level: 4.9, severity: 0.3) == 6 + 3)      // 0.3 is no longer recovered
        #expect(DosingStateBins.index(level: 6.5, severity: 0.95) == 12 + 5)
        #expect(DosingStateBins.label(12 + 2) == "high 2-3.5")
        // The clinician's dose at each bin's representative level: 4 when empty, 0 once toxic.
        let doses = DosingStateBins.representativeLevels.map { DosingEnvironment.expertAction(level: $0, config: DosingConfig()) }
        #expect(doses.first == 3 && doses.last == 0, "\(doses)")
    }

    @Test func theTableFillsAndTheGreedyPolicyBeatsRandom() throws {
        var lab = try Self.lab(seed: 3)
        #expect(lab.table.states == 18 && lab.table.actions == 4)
        #expect(lab.references.expert > lab.references.random + 5, "\(lab.references)")
        _ = try lab.step()
        let early = lab.table.visits.filter { $0 > 0 }.count
        for _ in 0..<19 { _ = try lab.step() }
        let later = lab.table.visits.filter { $0 > 0 }.count
        #expect(early > 4 && later > early, "cells tried: \(early) after 1 step, \(later) after 20")
        // 1,000 patients of experience: the greedy doses are far better than random ones.
        let normalized = try #require(lab.normalizedReturn)
        #expect(normalized > 0.5, "normalized_return \(normalized)")
        #expect(lab.metrics.values("normalized_return").count == 20)
        #expect(lab.metrics.values("max_q_error").isEmpty)
        // The greedy policy doses the empty patient (lowest level, high severity) rather than waiting.
        #expect(lab.table.greedyAction(DosingStateBins.index(level: 0, severity: 0.9)) != 0)
        #expect(lab.panel("qtable") != nil && lab.panel("policy") != nil && lab.panel("error") != nil)
    }

    /// The chain is still the default, and its figures are untouched by the new setting.
    @Test func chainStaysTheDefault() throws {
        let lab = QTableLab(seed: 1)
        #expect(lab.parameters.first { $0.name == "env" }?.value == .choice("chain"))
        #expect(lab.table.states == 7 && lab.normalizedReturn == nil)
        #expect(lab.parameters.first { $0.name == "env" }?.effect == .reset)
    }

    @Test func continuesBitForBitAfterACheckpointOnDosing() throws {
        var straight = try Self.lab(seed: 5, ["epsilon": 0.3]), first = try Self.lab(seed: 5, ["epsilon": 0.3])
        for _ in 0..<3 { _ = try straight.step(); _ = try first.step() }
        try straight.set("discount", to: .number(0.8)); try first.set("discount", to: .number(0.8))   // live change
        let saved = first.snapshot()
        for _ in 0..<3 { _ = try straight.step() }
        var resumed = QTableLab(seed: 0)
        try resumed.restore(saved)
        #expect(resumed.table.states == 18)
        for _ in 0..<3 { _ = try resumed.step() }
        #expect(resumed.table == straight.table)
        #expect(resumed.metrics == straight.metrics)
        #expect(resumed.parameters == straight.parameters)
        #expect(resumed.snapshot().metadata == straight.snapshot().metadata)
        #expect(resumed.metrics.values("normalized_return").count == 6)
    }
}
