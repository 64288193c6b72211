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
