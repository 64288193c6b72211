import Foundation
import Labs
import MLEngine

/// `ppo_env_steps_per_s`: the `ppo` lab at its defaults, timed over whole updates (rollout of
/// 32 patients x 10 decisions, then 4 epochs x 4 minibatches of PPO), so the rate includes the
/// learning, not only the simulator.
public enum ReinforcementBenchmarks {
    public static func ppoFigures() -> [BenchFigure] {
        let updates = 20
        var lab = PPOLab(seed: 1)
        var stepSeconds: [Double] = []
        let started = Date()
        for _ in 0..<updates {
            let t = Date()
            guard (try? lab.step()) != nil else { return [BenchFigure(key: "ppo_error", value: .string("step failed"), unit: "")] }
            stepSeconds.append(Date().timeIntervalSince(t))
        }
        let total = Date().timeIntervalSince(started)
        let envSteps = Double(lab.environmentSteps)
        stepSeconds.sort()
        return [BenchFigure(key: "ppo_env_steps_per_s", value: .number(envSteps / total),
                            unit: "environment steps/s including updates (default ppo, \(updates) updates of \(PPOLab.episodesPerUpdate * 10) steps)"),
                BenchFigure(key: "ppo_step_ms", value: .number(stepSeconds[stepSeconds.count / 2] * 1000),
                            unit: "ms per lab step (one rollout and its update; median)")]
    }
}
