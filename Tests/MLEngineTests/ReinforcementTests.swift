import Foundation
import Testing
@testable import MLEngine

/// Q-learning, value iteration and the two reinforcement losses, on problems small enough to
/// solve by hand.
@Suite struct ReinforcementTests {
    /// A 3-state chain: 0 -> 1 -> 2 (the goal, reward 1, episode over). Action 1 moves right,
    /// action 0 moves left (at state 0 it stays put). No slips.
    ///
    /// By hand, with discount 0.9:
    ///   Q(1, right) = 1                       (the goal is one step away)
    ///   Q(0, right) = 0 + 0.9 x Q(1, right) = 0.9
    ///   Q(1, left)  = 0 + 0.9 x max Q(0, .) = 0.81
    ///   Q(0, left)  = 0 + 0.9 x max Q(0, .) = 0.81   (stays at 0)
    ///   Q(2, .)     = 0                       (the episode is over)
    static let handValues: [Double] = [0.81, 0.9, 0.81, 1, 0, 0]

    static func threeStateChain() -> TabularProcess {
        typealias O = TabularProcess.Outcome
        return TabularProcess(states: 3, actions: 2, outcomes: [
            [O(probability: 1, next: 0, reward: 0, terminal: false)], [O(probability: 1, next: 1, reward: 0, terminal: false)],
            [O(probability: 1, next: 0, reward: 0, terminal: false)], [O(probability: 1, next: 2, reward: 1, terminal: true)],
            [], [],
        ])
    }

    @Test func bellmanTargetSyllabusNumber() {
        // Reward 0, discount 0.99, best next value 10: target 9.9. At the end, just the reward.
        #expect(Swift.abs(QTable.bellmanTarget(reward: 0, nextBest: 10, terminal: false, discount: 0.99) - 9.9) < 1e-5)
        #expect(QTable.bellmanTarget(reward: 3, nextBest: 10, terminal: true, discount: 0.99) == 3)
        // A reward 100 steps away is worth 0.99^100 = about 0.37 of itself now.
        #expect(Swift.abs(Foundation.pow(0.99, 100) - 0.366) < 0.001)
    }

    @Test func valueIterationMatchesTheHandComputedChain() {
        let q = Self.threeStateChain().valueIteration(discount: 0.9)
        for (got, want) in zip(q, Self.handValues) { #expect(Swift.abs(got - want) < 1e-9, "\(q)") }
    }

    @Test func qLearningFindsTheHandComputedValuesFromExperienceAlone() {
        var table = QTable(states: 3, actions: 2)
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<300 {
            var state = 0
            for _ in 0..<20 {
                let action = table.action(state, epsilon: 1, generator: &generator)   // explore everything
                let next = action == 1 ? state + 1 : Swift.max(state - 1, 0)
                let reward: Float = next == 2 ? 1 : 0
                table.update(state: state, action: action, reward: reward, nextState: next, terminal: next == 2,
                             discount: 0.9, stepSize: .constant(0.5))
                state = next
                if state == 2 { break }
            }
        }
        for (got, want) in zip(table.values, Self.handValues) { #expect(Swift.abs(Double(got) - want) < 1e-3, "\(table.values)") }
        #expect(table.greedyAction(0) == 1 && table.greedyAction(1) == 1)
    }

    @Test func oneUpdateMovesByTheStepSizeTimesTheError() {
        var table = QTable(states: 2, actions: 2)
        table[1, 0] = 10
        table[0, 1] = 4
        // target = 0 + 0.99 x 10 = 9.9; error 5.9; constant 0.1 moves Q(0, 1) to 4.59.
        let error = table.update(state: 0, action: 1, reward: 0, nextState: 1, terminal: false, discount: 0.99, stepSize: .constant(0.1))
        #expect(Swift.abs(error - 5.9) < 1e-5)
        #expect(Swift.abs(table[0, 1] - 4.59) < 1e-5)
        // 1/visits averages: targets 2 then 4 leave the mean, 3.
        var averaging = QTable(states: 1, actions: 1)
        averaging.update(state: 0, action: 0, reward: 2, nextState: 0, terminal: true, discount: 0.9, stepSize: .inverseVisits)
        averaging.update(state: 0, action: 0, reward: 4, nextState: 0, terminal: true, discount: 0.9, stepSize: .inverseVisits)
        #expect(averaging[0, 0] == 3 && averaging.visits == [2])
        // k / (k + earlier updates) with k = 4: rates 1, 0.8, 0.667. Targets 6, 1, 4 give
        // 6, then 6 + 0.8 x (1 - 6) = 2, then 2 + (4/6) x (4 - 2) = 3.333.
        var slower = QTable(states: 1, actions: 1)
        for target: Float in [6, 1, 4] {
            slower.update(state: 0, action: 0, reward: target, nextState: 0, terminal: true, discount: 0.9,
                          stepSize: .decaying(visitsScale: 4))
        }
        #expect(Swift.abs(slower[0, 0] - 10.0 / 3) < 1e-5)
    }

    @Test func epsilonGreedyExploresAtTheRateAsked() {
        var table = QTable(states: 1, actions: 4)
        table[0, 2] = 1
        var generator = SeededGenerator(seed: 3)
        let picks = (0..<4000).map { _ in table.action(0, epsilon: 0.2, generator: &generator) }
        // Greedy 80% of the time, plus a quarter of the 20% random picks: 0.85.
        let share = Double(picks.filter { $0 == 2 }.count) / 4000
        #expect(Swift.abs(share - 0.85) < 0.02)
        #expect(table.action(0, epsilon: 0, generator: &generator) == 2)
    }

    @Test func temporalDifferenceGradientIsTheTabularUpdate() throws {
        let q = Tensor(rows: [[4, 1], [2, 3]])
        let targets = Tensor([9.9, 1])
        let leaf = q.requiringGrad()
        let loss = try temporalDifferenceLoss(values: leaf, actions: [0, 1], targets: targets)
        // 0.5 x mean((4 - 9.9)^2, (3 - 1)^2) = 0.5 x (34.81 + 4) / 2.
        #expect(Swift.abs(loss.item - 9.7025) < 1e-4)
        try loss.backward()
        // d/dQ(s, a) = (Q - target) / batch on the taken cells only, 0 elsewhere.
        expectClose(leaf.grad!.copyScalars(), [-2.95, 0, 0, 1])
        expectGradientsMatch([randomInput([3, 4], seed: 11)]) {
            try! temporalDifferenceLoss(values: $0[0], actions: [3, 0, 2], targets: Tensor([0.5, -1, 2]))
        }
    }

    @Test func policyGradientLossHasTheClosedFormGradient() throws {
        let logits = randomInput([3, 4], seed: 12, low: -2, high: 2)
        let advantages = Tensor([1.5, -0.5, 2])
        let actions = [1, 3, 0]
        let leaf = logits.requiringGrad()
        try policyGradientLoss(logits: leaf, actions: actions, advantages: advantages).backward()
        // d/dz = -(onehot - softmax) x advantage / batch.
        let want = ((logits.softmax() - Tensor.oneHot(actions, classes: 4)) * advantages.reshaped([3, 1]) / 3).copyScalars()
        expectClose(leaf.grad!.copyScalars(), want)
        expectGradientsMatch([logits]) { try! policyGradientLoss(logits: $0[0], actions: actions, advantages: advantages) }
        #expect(throws: EngineError.self) { try policyGradientLoss(logits: logits, actions: [0, 4, 1], advantages: advantages) }
    }

    /// A two-armed bandit: arm 1 pays 1 on average, arm 0 pays 0.2. REINFORCE with the average
    /// reward as baseline must move the policy onto the better arm.
    @Test func policyGradientMovesTheBanditOntoTheBetterArm() throws {
        var logits = Tensor(zeros: [1, 2])
        var generator = SeededGenerator(seed: 5)
        var baseline: Float = 0
        for _ in 0..<200 {
            let p1 = logits.softmax().copyScalars()[1]
            let actions = (0..<16).map { _ in generator.nextFloat() < p1 ? 1 : 0 }
            let rewards = actions.map { Float($0 == 1 ? 1 : 0.2) + generator.uniform(Float(-0.3), Float(0.3)) }
            baseline = 0.9 * baseline + 0.1 * rewards.reduce(0, +) / 16
            let leaf = logits.requiringGrad()
            let batch = Tensor.concatenate(Array(repeating: leaf, count: 16))
            try policyGradientLoss(logits: batch, actions: actions, advantages: Tensor(rewards.map { $0 - baseline })).backward()
            logits = logits - leaf.grad! * 1.0
        }
        #expect(logits.softmax().copyScalars()[1] > 0.95, "\(logits.softmax().copyScalars())")
    }
}
