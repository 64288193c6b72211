import Foundation
import Labs

/// How `attention-ends` trains as the learner meets it: default settings (one token per beat,
/// width 64, 2 layers of 4 heads, sine positions), seed 1. A lab step is everything `step()`
/// does: the training step, a slice of the test evaluation and, every 10 steps, the attention maps.
public enum AttentionEndsBenchmark {
    public static let seed: UInt64 = 1

    /// Trains a fresh lab until the latest test accuracy first reaches `target`, timing every
    /// step; nil seconds when `maxSteps` passed first. The recordings are simulated before the
    /// clock starts (the course does that in the background at start).
    public static func run(to target: Double = 0.9, maxSteps: Int = AttentionEndsLab.stepBudget)
        throws -> (result: MLPECGBenchmark.TimeToTarget, stepMilliseconds: [Double]) {
        var lab = AttentionEndsLab(seed: seed)
        var evaluations = 0, best = 0.0, stepMilliseconds: [Double] = []
        let clock = ContinuousClock(), start = clock.now
        for step in 1...maxSteps {
            let elapsed = try clock.measure { _ = try lab.step() }
            stepMilliseconds.append(Double(elapsed.components.seconds) * 1e3 + Double(elapsed.components.attoseconds) * 1e-15)
            let accuracy = lab.metrics.values("test_accuracy")
            guard accuracy.count > evaluations, let latest = accuracy.last else { continue }
            evaluations = accuracy.count
            best = max(best, latest)
            if latest >= target {
                let total = start.duration(to: clock.now)
                let seconds = Double(total.components.seconds) + Double(total.components.attoseconds) * 1e-18
                return (MLPECGBenchmark.TimeToTarget(seconds: seconds, steps: step, bestAccuracy: best), stepMilliseconds)
            }
        }
        return (MLPECGBenchmark.TimeToTarget(seconds: nil, steps: nil, bestAccuracy: best), stepMilliseconds)
    }

    /// Seconds of training to 90% (median of `runs`; the step count is the same every run), the
    /// time the learner waits on screen at the course's pace, and the median and slowest lab step
    /// (the screen must never wait long for one step).
    public static func figures(runs: Int = 3) -> [BenchFigure] {
        do {
            var results: [MLPECGBenchmark.TimeToTarget] = [], steps: [Double] = []
            for _ in 0..<runs {
                let (result, times) = try run()
                results.append(result)
                steps += times
            }
            var figures = [
                BenchFigure(key: "attention_ends_step_ms", value: .number(Timing(samples: steps).median),
                            unit: "ms per lab step (median, evaluation slices and maps included)"),
                BenchFigure(key: "attention_ends_slowest_step_ms", value: .number(steps.max() ?? 0), unit: "ms (the slowest lab step)"),
            ]
            guard let reached = results.first?.steps else {
                let best = results.map(\.bestAccuracy).max() ?? 0
                return figures + [BenchFigure(key: "attention_ends_seconds_to_90", value: .null, unit: "s"),
                                  BenchFigure(key: "attention_ends_note", value: .string("never reached 0.9 (best \(best))"), unit: "")]
            }
            let seconds = Timing(samples: results.compactMap(\.seconds)).median
            // On screen a frame takes at most pace/fps steps, and no more than compute allows.
            let rate = Double(reached) / seconds
            let screenRate = min(MLPECGBenchmark.screenPace, rate)
            figures += [
                BenchFigure(key: "attention_ends_seconds_to_90", value: .number(seconds), unit: "s of training (median)"),
                BenchFigure(key: "attention_ends_steps_to_90", value: .number(Double(reached)), unit: "steps"),
                BenchFigure(key: "attention_ends_screen_seconds_to_90", value: .number(Double(reached) / screenRate),
                            unit: "s on screen at --speed \(Int(MLPECGBenchmark.screenPace))"),
            ]
            return figures
        } catch {
            return [BenchFigure(key: "attention_ends_error", value: .string("\(error)"), unit: "")]
        }
    }
}
