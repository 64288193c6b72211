/// Generalised advantage estimation (GAE): how much better each action turned out than the
/// critic expected, blending short and long looks ahead.
///
/// The one-step surprise is delta_t = r_t + gamma x V(s_t+1) - V(s_t) (no V(s_t+1) after the
/// episode's last step). The advantage adds later surprises, each shrunk by gamma x lambda per
/// step: A_t = delta_t + gamma x lambda x A_t+1. lambda = 0 trusts the critic (just delta_t: low
/// variance, biased when the critic is wrong); lambda = 1 trusts the rewards (the discounted
/// return minus V(s_t): unbiased, noisy). PPO usually runs lambda = 0.95.
public enum GeneralizedAdvantage {
    /// - Parameters:
    ///   - rewards: r_t for each step of a rollout (several episodes may follow each other).
    ///   - values: V(s_t) for each step, plus one more: the value of the state after the last step
    ///     (used only if that step did not end its episode, e.g. a rollout cut mid-episode).
    ///   - dones: whether step t ended its episode (then nothing after it counts).
    /// - Returns: the advantages, and the critic's training targets (advantage + value).
    public static func estimate(rewards: [Double], values: [Double], dones: [Bool], gamma: Double,
                                lambda: Double) -> (advantages: [Double], returns: [Double]) {
        precondition(values.count == rewards.count + 1 && dones.count == rewards.count,
                     "GAE needs one value per step plus the bootstrap value, and one done flag per step")
        var advantages = [Double](repeating: 0, count: rewards.count)
        var next = 0.0
        for t in stride(from: rewards.count - 1, through: 0, by: -1) {
            let continues = dones[t] ? 0.0 : 1.0
            let delta = rewards[t] + gamma * values[t + 1] * continues - values[t]
            next = delta + gamma * lambda * continues * next
            advantages[t] = next
        }
        return (advantages, zip(advantages, values).map { $0 + $1 })
    }

    /// Advantages shifted and scaled to mean 0 and standard deviation 1 across the batch, as PPO
    /// does before each update: the step size then no longer depends on the rewards' units.
    public static func normalized(_ advantages: [Double]) -> [Double] {
        guard advantages.count > 1 else { return advantages.map { _ in 0 } }
        let mean = advantages.reduce(0, +) / Double(advantages.count)
        let variance = advantages.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(advantages.count)
        let scale = 1 / (variance.squareRoot() + 1e-8)
        return advantages.map { ($0 - mean) * scale }
    }
}
