import Foundation

/// A small actor-critic: two separate networks reading the same state. The actor (policy) gives
/// one raw score (logit) per action, pi(a | s) = softmax(logits); the critic estimates V(s), the
/// return expected from this state under the current policy, which the policy-gradient methods
/// subtract from what actually happened (the baseline) so only the surprise pushes the policy.
///
/// Parameters are named "policy.fc1.weight", ..., "critic.out.bias".
public struct ActorCritic: Layer {
    public var policy: Sequential
    public var critic: Sequential
    public let stateSize: Int
    public let actionCount: Int

    public init(stateSize: Int, actions: Int, hidden: Int, generator: inout SeededGenerator) {
        precondition(stateSize > 0 && actions > 1 && hidden > 0, "an actor-critic needs a state, two actions or more and hidden units")
        self.stateSize = stateSize
        actionCount = actions
        policy = Sequential(named: [
            ("fc1", Linear(inputs: stateSize, outputs: hidden, initializer: .xavierUniform, generator: &generator)),
            ("act", Tanh()),
            // Small output weights: every action starts almost equally likely.
            ("out", Linear(inputs: hidden, outputs: actions, initializer: .uniform(low: -0.01, high: 0.01), generator: &generator)),
        ])
        critic = Sequential(named: [
            ("fc1", Linear(inputs: stateSize, outputs: hidden, initializer: .xavierUniform, generator: &generator)),
            ("act", Tanh()),
            ("out", Linear(inputs: hidden, outputs: 1, initializer: .xavierUniform, generator: &generator)),
        ])
    }

    /// [batch, actions] logits for [batch, stateSize] states.
    public func forward(_ input: Tensor) -> Tensor { policy.forward(input) }

    /// [batch] values V(s).
    public func values(_ input: Tensor) -> Tensor {
        critic.forward(input).reshaped([input.shape[0]])
    }

    public mutating func visitParameters(_ visit: (String, inout Tensor) throws -> Void) rethrows {
        try policy.visitParameters { name, p in try visit("policy.\(name)", &p) }
        try critic.visitParameters { name, p in try visit("critic.\(name)", &p) }
    }

    /// Samples one action per state from the current policy (no gradients), with its
    /// log-probability and the critic's value, as a rollout records them.
    /// - Parameter states: row-major [count, stateSize].
    public func act(states: [Float], count: Int, generator: inout SeededGenerator)
        -> (actions: [Int], logProbabilities: [Float], values: [Double]) {
        precondition(states.count == count * stateSize, "act needs \(count) states of \(stateSize) numbers")
        let input = Tensor(shape: [count, stateSize], scalars: states)
        let (logProbs, values) = withNoGrad { (forward(input).logSoftmax(alongAxis: 1), self.values(input)) }
        let lp = logProbs.copyScalars(), v = values.copyScalars()
        var actions: [Int] = [], chosen: [Float] = []
        actions.reserveCapacity(count); chosen.reserveCapacity(count)
        for row in 0..<count {
            let base = row * actionCount
            var u = generator.nextDouble()
            var pick = actionCount - 1
            for a in 0..<actionCount {
                u -= Foundation.exp(Double(lp[base + a]))
                if u < 0 { pick = a; break }
            }
            actions.append(pick)
            chosen.append(lp[base + pick])
        }
        return (actions, chosen, v.map(Double.init))
    }

    /// pi(a | s) for each state, row-major [count, actions] (no gradients).
    public func probabilities(states: [Float], count: Int) -> [Float] {
        withNoGrad { forward(Tensor(shape: [count, stateSize], scalars: states)).softmax(alongAxis: 1) }.copyScalars()
    }
}

/// What one rollout recorded: each step's state, action, reward, whether it ended its episode,
/// and, as the acting policy saw it, the log-probability of the action and the critic's value.
/// Episodes follow each other in order (an environment's steps are consecutive).
public struct PolicyRollout: Sendable {
    public var stateSize: Int
    /// Row-major [count, stateSize].
    public var states: [Float] = []
    public var actions: [Int] = []
    public var rewards: [Double] = []
    public var dones: [Bool] = []
    public var logProbabilities: [Float] = []
    public var values: [Double] = []
    /// V of the state after the last step (used only if that step did not end its episode).
    public var bootstrapValue = 0.0

    public init(stateSize: Int) { self.stateSize = stateSize }

    public var count: Int { actions.count }

    public mutating func append(state: [Float], action: Int, reward: Double, done: Bool, logProbability: Float, value: Double) {
        precondition(state.count == stateSize, "a state of \(stateSize) numbers")
        states += state; actions.append(action); rewards.append(reward); dones.append(done)
        logProbabilities.append(logProbability); values.append(value)
    }
}

/// REINFORCE with a baseline, or PPO.
public enum PolicyGradientMethod: String, CaseIterable, Sendable {
    /// One gradient step on -log pi(a | s) x advantage per rollout, then the data are thrown away.
    case reinforce
    /// Several epochs of minibatch steps on the clipped surrogate over the same rollout.
    case ppo
}

/// The knobs of a policy-gradient update, with the values practitioners start from.
public struct PolicyGradientSettings: Sendable, Equatable {
    public var method: PolicyGradientMethod = .ppo
    /// Discount of later rewards.
    public var gamma = 0.99
    /// GAE's lambda (REINFORCE always uses 1: the full discounted return minus the baseline).
    public var lambda = 0.95
    /// PPO's epsilon: how far pi_new / pi_old may move before a sample stops pushing.
    public var clip: Float = 0.2
    /// Weight of the policy's entropy (a bonus: it keeps the policy from deciding too early).
    public var entropyCoefficient: Float = 0.01
    /// Weight of the critic's squared error in the total loss.
    public var valueCoefficient: Float = 0.5
    /// PPO: passes over the rollout, and the minibatches each pass is cut into.
    public var epochs = 4
    public var minibatches = 4
    /// Gradients scaled down together when their norm exceeds this.
    public var maxGradientNorm: Float = 0.5
    /// Advantages shifted and scaled to mean 0, standard deviation 1 within each batch.
    public var normalizeAdvantages = true

    public init() {}
}

/// What one update did, as practitioners watch it.
public struct PolicyUpdateReport: Sendable, Equatable {
    /// Mean policy loss (surrogate for PPO, -log pi x advantage for REINFORCE) over the gradient steps.
    public var policyLoss: Double
    /// Mean squared error of the critic against its targets, over the gradient steps.
    public var valueLoss: Double
    /// Mean entropy of the policy over the rollout's states before the update (nats).
    public var entropy: Double
    /// KL(old || new) estimated on the rollout after the update.
    public var approxKL: Double
    /// Share of the rollout's samples whose probability ratio ended outside 1 +- clip.
    public var clipFraction: Double
    /// Gradient norm before clipping, averaged over the gradient steps.
    public var gradientNorm: Double
    /// Gradient steps taken.
    public var gradientSteps: Int
}

/// Updates an actor-critic from one rollout.
public enum PolicyGradient {
    /// The advantages and critic targets of a rollout: REINFORCE uses lambda = 1 (return minus
    /// baseline), PPO the settings' lambda.
    public static func advantages(_ rollout: PolicyRollout, settings: PolicyGradientSettings) -> (advantages: [Double], returns: [Double]) {
        let lambda = settings.method == .reinforce ? 1.0 : settings.lambda
        let estimate = GeneralizedAdvantage.estimate(rewards: rollout.rewards, values: rollout.values + [rollout.bootstrapValue],
                                                     dones: rollout.dones, gamma: settings.gamma, lambda: lambda)
        if settings.method == .reinforce {
            // The critic learns the plain discounted return; the policy sees return - V(s).
            return (estimate.advantages, estimate.returns)
        }
        return estimate
    }

    /// One update: REINFORCE takes one gradient step on the whole rollout; PPO takes `epochs`
    /// passes, each over the rollout shuffled and cut into `minibatches`.
    public static func update<O: Optimizer>(model: inout ActorCritic, optimizer: inout O, rollout: PolicyRollout,
                                            settings: PolicyGradientSettings, generator: inout SeededGenerator) throws -> PolicyUpdateReport {
        let n = rollout.count
        guard n > 1 else { throw EngineError.invalidArgument("a policy update needs at least 2 samples, got \(n)") }
        guard settings.clip > 0 else { throw EngineError.invalidArgument("the clip range must be above 0, got \(settings.clip)") }
        let (rawAdvantages, returns) = advantages(rollout, settings: settings)
        let advantages = settings.normalizeAdvantages ? GeneralizedAdvantage.normalized(rawAdvantages) : rawAdvantages
        let entropy = meanEntropy(model, rollout)

        var batches: [[Int]]
        switch settings.method {
        case .reinforce:
            batches = [Array(0..<n)]
        case .ppo:
            batches = []
            let parts = Swift.max(1, Swift.min(settings.minibatches, n / 2))
            for _ in 0..<Swift.max(1, settings.epochs) {
                let order = generator.permutation(n)
                for part in 0..<parts {
                    let lo = part * n / parts, hi = (part + 1) * n / parts
                    batches.append(Array(order[lo..<hi]))
                }
            }
        }

        var policyTotal = 0.0, valueTotal = 0.0, normTotal = 0.0
        for rows in batches {
            var states: [Float] = []
            states.reserveCapacity(rows.count * rollout.stateSize)
            for r in rows { states += rollout.states[(r * rollout.stateSize)..<((r + 1) * rollout.stateSize)] }
            let input = Tensor(shape: [rows.count, rollout.stateSize], scalars: states)
            let actions = rows.map { rollout.actions[$0] }
            let adv = Tensor(rows.map { Float(advantages[$0]) })
            let target = Tensor(rows.map { Float(returns[$0]) })

            model.zeroGrad()
            let logits = model.forward(input)
            let policyLoss: Tensor
            switch settings.method {
            case .reinforce:
                policyLoss = try policyGradientLoss(logits: logits, actions: actions, advantages: adv)
            case .ppo:
                let old = Tensor(rows.map { rollout.logProbabilities[$0] })
                policyLoss = try clippedSurrogateLoss(logits: logits, actions: actions, oldLogProbabilities: old,
                                                      advantages: adv, clip: settings.clip)
            }
            let logP = logits.logSoftmax(alongAxis: 1)
            let entropyTerm = -(logP.exp() * logP).sum(alongAxis: 1).mean()
            let valueLoss = (model.values(input) - target).squared().mean()
            let loss = policyLoss - entropyTerm * settings.entropyCoefficient + valueLoss * settings.valueCoefficient
            loss.backward()
            normTotal += Double(model.clipGradientNorm(maxNorm: settings.maxGradientNorm))
            optimizer.step(&model)
            policyTotal += Double(policyLoss.item)
            valueTotal += Double(valueLoss.item)
        }
        model.zeroGrad()

        let newLogProbabilities = takenLogProbabilities(model, rollout)
        let steps = Double(batches.count)
        return PolicyUpdateReport(
            policyLoss: policyTotal / steps, valueLoss: valueTotal / steps, entropy: entropy,
            approxKL: PolicyUpdateDiagnostics.approximateKL(old: rollout.logProbabilities, new: newLogProbabilities),
            clipFraction: PolicyUpdateDiagnostics.clipFraction(old: rollout.logProbabilities, new: newLogProbabilities, clip: settings.clip),
            gradientNorm: normTotal / steps, gradientSteps: batches.count)
    }

    /// log pi(a | s) of each recorded action under the model as it is now.
    static func takenLogProbabilities(_ model: ActorCritic, _ rollout: PolicyRollout) -> [Float] {
        let lp = withNoGrad {
            model.forward(Tensor(shape: [rollout.count, rollout.stateSize], scalars: rollout.states)).logSoftmax(alongAxis: 1)
        }.copyScalars()
        return rollout.actions.enumerated().map { lp[$0.offset * model.actionCount + $0.element] }
    }

    static func meanEntropy(_ model: ActorCritic, _ rollout: PolicyRollout) -> Double {
        let lp = withNoGrad {
            model.forward(Tensor(shape: [rollout.count, rollout.stateSize], scalars: rollout.states)).logSoftmax(alongAxis: 1)
        }.copyScalars()
        var total = 0.0
        for x in lp { total -= Foundation.exp(Double(x)) * Double(x) }
        return total / Double(rollout.count)
    }
}
