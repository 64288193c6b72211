import Foundation
import Testing
@testable import MLEngine

/// GAE, PPO's clipped surrogate loss and its diagnostics, on numbers worked by hand.
@Suite struct PolicyOptimizationTests {
    /// rewards 1, 0, 2 (the episode ends after the third), values 0.5, 1, 0.2, gamma 0.9,
    /// lambda 0.8. By hand: delta = 1 + 0.9 x 1 - 0.5 = 1.4, 0 + 0.9 x 0.2 - 1 = -0.82,
    /// 2 - 0.2 = 1.8; A_2 = 1.8, A_1 = -0.82 + 0.72 x 1.8 = 0.476, A_0 = 1.4 + 0.72 x 0.476 = 1.74272.
    @Test func advantagesMatchTheHandComputedRollout() {
        let (a, r) = GeneralizedAdvantage.estimate(rewards: [1, 0, 2], values: [0.5, 1, 0.2, 99], dones: [false, false, true],
                                                   gamma: 0.9, lambda: 0.8)
        for (got, want) in zip(a, [1.74272, 0.476, 1.8]) { #expect(Swift.abs(got - want) < 1e-12, "\(a)") }
        for (got, want) in zip(r, [2.24272, 1.476, 2.0]) { #expect(Swift.abs(got - want) < 1e-12, "\(r)") }
    }

    @Test func lambdaZeroIsTheOneStepErrorAndLambdaOneTheReturnMinusValue() {
        let rewards = [0.5, -1, 2, 1], values = [0.3, 0.1, -0.4, 0.8, 0.6], dones = [false, true, false, false]
        let (zero, _) = GeneralizedAdvantage.estimate(rewards: rewards, values: values, dones: dones, gamma: 0.9, lambda: 0)
        let (one, _) = GeneralizedAdvantage.estimate(rewards: rewards, values: values, dones: dones, gamma: 0.9, lambda: 1)
        for t in 0..<4 {
            let delta = rewards[t] + (dones[t] ? 0 : 0.9 * values[t + 1]) - values[t]
            #expect(Swift.abs(zero[t] - delta) < 1e-12)
        }
        // lambda 1: discounted rewards to the episode's end (or to the bootstrap value) minus V.
        let returns = [0.5 + 0.9 * -1, -1, 2 + 0.9 * 1 + 0.81 * 0.6, 1 + 0.9 * 0.6]
        for t in 0..<4 { #expect(Swift.abs(one[t] - (returns[t] - values[t])) < 1e-12) }
        let normalized = GeneralizedAdvantage.normalized(one)
        #expect(Swift.abs(normalized.reduce(0, +)) < 1e-9)
        #expect(Swift.abs(normalized.map { $0 * $0 }.reduce(0, +) / 4 - 1) < 1e-6)
    }

    @Test func atRatioOneTheClippedLossHasThePolicyGradient() throws {
        let logits = randomInput([4, 3], seed: 21, low: -1.5, high: 1.5)
        let actions = [2, 0, 1, 1]
        let advantages = Tensor([1, -2, 0.5, 1.5])
        let old = (logits.logSoftmax(alongAxis: 1) * Tensor.oneHot(actions, classes: 3)).sum(alongAxis: 1)
        let a = logits.requiringGrad(), b = logits.requiringGrad()
        try clippedSurrogateLoss(logits: a, actions: actions, oldLogProbabilities: old, advantages: advantages, clip: 0.2).backward()
        try policyGradientLoss(logits: b, actions: actions, advantages: advantages).backward()
        expectClose(a.grad!.copyScalars(), b.grad!.copyScalars(), tolerance: 1e-5)
        expectGradientsMatch([logits]) {
            try! clippedSurrogateLoss(logits: $0[0], actions: actions, oldLogProbabilities: old - 0.1, advantages: advantages, clip: 0.2)
        }
    }

    /// An action whose probability already rose from 0.5 to 0.8 (ratio 1.6, beyond 1.2) with a
    /// positive advantage stops pushing: no gradient. With a negative advantage it still pulls
    /// back (the unclipped, lower term wins the min).
    @Test func clippingStopsASampleThatHasMovedFarEnough() throws {
        let logits = Tensor(rows: [[Foundation.log(0.8), Foundation.log(0.2)]])
        let old = Tensor([Foundation.log(0.5)])
        let ahead = logits.requiringGrad()
        let loss = try clippedSurrogateLoss(logits: ahead, actions: [0], oldLogProbabilities: old, advantages: Tensor([1]), clip: 0.2)
        #expect(Swift.abs(loss.item + 1.2) < 1e-5)                 // -min(1.6 x 1, 1.2 x 1)
        try loss.backward()
        #expect(ahead.grad!.copyScalars().allSatisfy { $0 == 0 })
        let back = logits.requiringGrad()
        try clippedSurrogateLoss(logits: back, actions: [0], oldLogProbabilities: old, advantages: Tensor([-1]), clip: 0.2).backward()
        #expect(back.grad!.copyScalars()[0] > 0)                    // descent lowers the action's logit
        #expect(throws: EngineError.self) {
            try clippedSurrogateLoss(logits: logits, actions: [0], oldLogProbabilities: old, advantages: Tensor([1]), clip: 0)
        }
    }

    @Test func diagnosticsReadZeroWhenNothingMovedAndCountTheClipped() {
        let old: [Float] = [-0.7, -1.2, -0.3, -2]
        #expect(PolicyUpdateDiagnostics.approximateKL(old: old, new: old) == 0)
        #expect(PolicyUpdateDiagnostics.clipFraction(old: old, new: old, clip: 0.2) == 0)
        // Ratios e^0.1 = 1.105 (inside), e^0.3 = 1.35 (outside), e^-0.3 = 0.74 (outside), 1.
        let new: [Float] = [-0.6, -0.9, -0.6, -2]
        #expect(PolicyUpdateDiagnostics.clipFraction(old: old, new: new, clip: 0.2) == 0.5)
        let kl = PolicyUpdateDiagnostics.approximateKL(old: old, new: new)
        let want = ([0.1, 0.3, -0.3, 0] as [Double]).map { Foundation.exp($0) - 1 - $0 }.reduce(0, +) / 4
        #expect(Swift.abs(kl - want) < 1e-6 && kl > 0)
    }
}
