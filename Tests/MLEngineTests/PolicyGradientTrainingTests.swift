import Foundation
import Testing
@testable import MLEngine

/// REINFORCE with a baseline and PPO, run end to end on a two-armed bandit whose better arm is
/// known, and the advantages each method feeds its loss.
@Suite struct PolicyGradientTrainingTests {
    /// One-step episodes from a constant state: arm 1 pays 1, arm 0 pays 0.2, each +- 0.3 noise.
    static func banditRollout(_ model: ActorCritic, count: Int, generator: inout SeededGenerator) -> PolicyRollout {
        let states = [Float](repeating: 1, count: count)
        let acted = model.act(states: states, count: count, generator: &generator)
        var rollout = PolicyRollout(stateSize: 1)
        for i in 0..<count {
            let reward = (acted.actions[i] == 1 ? 1 : 0.2) + generator.uniform(-0.3, 0.3)
            rollout.append(state: [1], action: acted.actions[i], reward: reward, done: true,
                           logProbability: acted.logProbabilities[i], value: acted.values[i])
        }
        return rollout
    }

    static func train(_ method: PolicyGradientMethod, updates: Int, seed: UInt64) throws -> (p1: Float, model: ActorCritic, last: PolicyUpdateReport?) {
        var generator = SeededGenerator(seed: seed)
        var model = ActorCritic(stateSize: 1, actions: 2, hidden: 8, generator: &generator)
        var optimizer = Adam(learningRate: 0.01)
        var settings = PolicyGradientSettings()
        settings.method = method
        var last: PolicyUpdateReport?
        for _ in 0..<updates {
            let rollout = banditRollout(model, count: 32, generator: &generator)
            last = try PolicyGradient.update(model: &model, optimizer: &optimizer, rollout: rollout, settings: settings, generator: &generator)
        }
        return (model.probabilities(states: [1], count: 1)[1], model, last)
    }

    @Test(arguments: PolicyGradientMethod.allCases)
    func movesTheBanditOntoTheBetterArm(method: PolicyGradientMethod) throws {
        let start = try Self.train(method, updates: 0, seed: 4).p1
        #expect(Swift.abs(start - 0.5) < 0.05, "both arms start about equally likely: \(start)")
        let trained = try Self.train(method, updates: 60, seed: 4)
        #expect(trained.p1 > 0.9, "\(method): p(better arm) = \(trained.p1)")
        let report = try #require(trained.last)
        #expect(report.approxKL >= 0 && report.approxKL.isFinite)
        #expect(report.gradientSteps == (method == .ppo ? 16 : 1))
    }

    /// PPO reuses each rollout for 16 steps, so after the same few rollouts it has moved further.
    @Test func ppoMovesFurtherThanReinforceOnTheSameData() throws {
        let ppo = try Self.train(.ppo, updates: 5, seed: 9).p1
        let reinforce = try Self.train(.reinforce, updates: 5, seed: 9).p1
        #expect(ppo > reinforce, "ppo \(ppo), reinforce \(reinforce)")
    }

    @Test func sameSeedSameParameters() throws {
        let a = try Self.train(.ppo, updates: 3, seed: 2).model
        let b = try Self.train(.ppo, updates: 3, seed: 2).model
        for (x, y) in zip(a.parameters, b.parameters) { #expect(x.value.copyScalars() == y.value.copyScalars(), "\(x.name)") }
    }

    /// A tighter clip range keeps one update's policy closer to the one that collected the data.
    @Test func aTighterClipMovesThePolicyLess() throws {
        func kl(_ clip: Float) throws -> Double {
            var generator = SeededGenerator(seed: 6)
            var model = ActorCritic(stateSize: 1, actions: 2, hidden: 8, generator: &generator)
            var optimizer = Adam(learningRate: 0.05)
            var settings = PolicyGradientSettings()
            settings.clip = clip
            settings.epochs = 10
            let rollout = Self.banditRollout(model, count: 64, generator: &generator)
            return try PolicyGradient.update(model: &model, optimizer: &optimizer, rollout: rollout, settings: settings,
                                             generator: &generator).approxKL
        }
        let tight = try kl(0.05), loose = try kl(10)
        #expect(tight < loose, "clip 0.05: KL \(tight); clip 10: KL \(loose)")
    }

    /// REINFORCE's advantage is the discounted return minus the baseline (lambda forced to 1);
    /// PPO's uses GAE's lambda. By hand with gamma 0.5, rewards 0, 2 (episode ends), values 1, 1:
    /// REINFORCE: returns 1, 2, advantages 0, 1. PPO (lambda 0): deltas 0 + 0.5 x 1 - 1 = -0.5 and 1.
    @Test func advantagesByMethod() {
        var rollout = PolicyRollout(stateSize: 1)
        rollout.append(state: [0], action: 0, reward: 0, done: false, logProbability: 0, value: 1)
        rollout.append(state: [1], action: 0, reward: 2, done: true, logProbability: 0, value: 1)
        var settings = PolicyGradientSettings()
        settings.gamma = 0.5
        settings.lambda = 0
        settings.method = .reinforce
        let r = PolicyGradient.advantages(rollout, settings: settings)
        #expect(r.advantages == [0, 1] && r.returns == [1, 2])
        settings.method = .ppo
        #expect(PolicyGradient.advantages(rollout, settings: settings).advantages == [-0.5, 1])
    }

    @Test func refusesTooFewSamplesAndABadClip() throws {
        var generator = SeededGenerator(seed: 1)
        var model = ActorCritic(stateSize: 1, actions: 2, hidden: 4, generator: &generator)
        var optimizer = Adam()
        var settings = PolicyGradientSettings()
        let one = Self.banditRollout(model, count: 1, generator: &generator)
        #expect(throws: EngineError.self) {
            try PolicyGradient.update(model: &model, optimizer: &optimizer, rollout: one, settings: settings, generator: &generator)
        }
        settings.clip = 0
        let two = Self.banditRollout(model, count: 2, generator: &generator)
        #expect(throws: EngineError.self) {
            try PolicyGradient.update(model: &model, optimizer: &optimizer, rollout: two, settings: settings, generator: &generator)
        }
    }
}
