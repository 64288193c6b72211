import Foundation
import Labs

/// `simclr`'s training step as the learner meets it: the lab at its defaults (seed 42), each
/// `step()` timed whole (two views of 64 beats drawn, the CNN encoder forward and backward on
/// 128 views, NT-Xent, Adam; and every 100 steps a slice of the staged evaluation).
public enum SimCLRBenchmark {
    /// The median lab step over `steps` steps after `warmUp` untimed ones, and the slowest step
    /// of those (the step that finishes an evaluation: probes, K-means, the map).
    public static func figures(steps: Int = 200, warmUp: Int = 5) -> [BenchFigure] {
        var lab = SimCLRLab(seed: 42)
        var times: [Double] = []
        do {
            for _ in 0..<warmUp { _ = try lab.step() }
            for _ in 0..<steps {
                let start = DispatchTime.now().uptimeNanoseconds
                _ = try lab.step()
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            }
        } catch {
            return [BenchFigure(key: "simclr_error", value: .string("\(error)"), unit: "")]
        }
        return [BenchFigure(key: "simclr_step_ms", value: .number(Timing(samples: times).median), unit: "ms per lab step (median)"),
                BenchFigure(key: "simclr_slowest_step_ms", value: .number(times.max() ?? 0),
                            unit: "ms, slowest lab step (one finishing an evaluation)")]
    }
}
