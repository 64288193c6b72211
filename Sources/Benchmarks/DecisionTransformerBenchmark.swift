import Labs

/// `dt_step_ms`: the median time of one training step of the `decision-transformer` lab's
/// default model (2 causal pre-norm blocks, width 32, 2 heads, MLP 128; 10 steps of
/// (return-to-go, state, dose) tokens, 30 tokens a course), on a batch of 32 recorded dosing
/// courses: forward, cross-entropy, backward, AdamW. `dt_rollout_ms` is the other work a lab
/// step can hold: 20 patients played for one asked-for return (10 growing forward passes).
public enum DecisionTransformerBenchmark {
    public static func figures(iterations: Int = 100) -> [BenchFigure] {
        var lab = DecisionTransformerLab(seed: 1)
        let clock = ContinuousClock()
        func ms(_ d: Duration) -> Double { Double(d.components.seconds) * 1e3 + Double(d.components.attoseconds) * 1e-15 }
        func median(_ xs: [Double]) -> Double {
            let s = xs.sorted()
            return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
        }
        for _ in 0..<10 { _ = try? lab.trainingStep() }
        var steps: [Double] = []
        for _ in 0..<iterations { steps.append(ms(clock.measure { _ = try? lab.trainingStep() })) }
        var rollouts: [Double] = []
        for _ in 0..<max(3, iterations / 10) { rollouts.append(ms(clock.measure { _ = try? lab.rolloutReturn(asking: 8) })) }
        return [BenchFigure(key: "dt_step_ms", value: .number(median(steps)), unit: "ms per step (median, batch 32)"),
                BenchFigure(key: "dt_rollout_ms", value: .number(median(rollouts)), unit: "ms per rollout of 20 patients (median)")]
    }
}
