import CardioSim
import Course
import Foundation
import Labs

/// How the `mlp-ecg` lab trains, as the learner meets it: the default configuration (250 -> 256
/// ReLU -> 5, batch 64, AdamW lr 0.001) on the lab's own "beats" data, seed 42 (the session's
/// default). A lab step here is everything `step()` does, including the test-set evaluation it
/// runs every `BeatClassifierLab.evaluationInterval` steps: that is what the screen pays for.
public enum MLPECGBenchmark {
    /// The seed a fresh session gives a lab.
    public static let defaultSeed: UInt64 = 42

    /// Training steps per second: the median over `runs` runs of `steps` steps each, timed on
    /// one lab that keeps training (after `warmUp` untimed steps), so evaluations fall in every
    /// run in their usual proportion when `steps` is a multiple of the evaluation interval.
    /// - Parameter dataset: the beats to train on; nil uses the lab's own "beats" recipe.
    public static func stepsPerSecond(steps: Int = 200, runs: Int = 5, warmUp: Int = 20, hidden: Int = 256,
                                      dataset: BeatDataset? = nil) throws -> Double {
        precondition(steps > 0 && runs > 0 && warmUp >= 0, "steps and runs must be positive")
        var lab = BeatClassifierLab(seed: defaultSeed, dataset: dataset, hidden: hidden)
        for _ in 0..<warmUp { _ = try lab.step() }
        var rates: [Double] = []
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<steps { _ = try lab.step() }
            rates.append(Double(steps) / (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9))
        }
        return Timing(samples: rates).median
    }

    /// One run from a fresh lab until the test accuracy first reaches `target`.
    public struct TimeToTarget: Sendable {
        /// Seconds of training from the first step until the evaluation that reached the target
        /// (evaluations included); nil when `maxSteps` passed first.
        public var seconds: Double?
        /// The step whose evaluation reached the target (nil when it never did).
        public var steps: Int?
        /// The best test accuracy seen.
        public var bestAccuracy: Double
    }

    /// Trains a fresh lab step by step and stops when the latest test accuracy is `target` or
    /// more. Timing starts before the first step and stops after the step whose evaluation
    /// reached the target.
    public static func timeToAccuracy(_ target: Double = 0.95, maxSteps: Int = 5_000, hidden: Int = 256,
                                      seed: UInt64 = defaultSeed, dataset: BeatDataset? = nil) throws -> TimeToTarget {
        precondition(maxSteps > 0, "maxSteps must be positive")
        var lab = BeatClassifierLab(seed: seed, dataset: dataset, hidden: hidden)
        var evaluations = 0, best = 0.0
        let start = DispatchTime.now().uptimeNanoseconds
        for step in 1...maxSteps {
            _ = try lab.step()
            let accuracy = lab.metrics.values("test_accuracy")
            guard accuracy.count > evaluations, let latest = accuracy.last else { continue }
            evaluations = accuracy.count
            best = max(best, latest)
            if latest >= target {
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                return TimeToTarget(seconds: seconds, steps: step, bestAccuracy: best)
            }
        }
        return TimeToTarget(seconds: nil, steps: nil, bestAccuracy: best)
    }

    /// The on-screen pace (`mlcourse open --speed`, default 240) and the screen's frame rate,
    /// for the estimate of how long the learner waits.
    public static let screenPace = 240.0
    public static let framesPerSecond = 30.0

    /// The benchmark's figures: steps/s, seconds to 95% (median of `runs` runs; the step count
    /// is the same every run, training being deterministic), and what that means on screen.
    public static func figures(runs: Int = 3) -> [BenchFigure] {
        do {
            let data: BeatDataset? = nil   // each lab makes the "beats" recipe, as on screen (before timing starts)
            let rate = try stepsPerSecond(dataset: data)
            var results: [TimeToTarget] = []
            for _ in 0..<runs { results.append(try timeToAccuracy(dataset: data)) }
            var figures = [BenchFigure(key: "mlp_ecg_steps_per_s", value: .number(rate), unit: "lab steps/s (evaluations included)")]
            guard let steps = results.first?.steps else {
                let best = results.map(\.bestAccuracy).max() ?? 0
                return figures + [BenchFigure(key: "mlp_ecg_seconds_to_95", value: .null, unit: "s"),
                                  BenchFigure(key: "mlp_ecg_note", value: .string("never reached 0.95 (best \(best))"), unit: "")]
            }
            let seconds = Timing(samples: results.compactMap(\.seconds)).median
            // On screen a frame may take at most pace/fps steps, and no more than compute allows.
            let screenRate = min(screenPace, rate)
            figures += [
                BenchFigure(key: "mlp_ecg_seconds_to_95", value: .number(seconds), unit: "s of training (median)"),
                BenchFigure(key: "mlp_ecg_steps_to_95", value: .number(Double(steps)), unit: "steps"),
                BenchFigure(key: "mlp_ecg_screen_seconds_to_95", value: .number(Double(steps) / screenRate),
                            unit: "s on screen at --speed \(Int(screenPace))"),
                BenchFigure(key: "mlp_ecg_pace_for_10s", value: .number(Double(steps) / 10), unit: "steps/s needed for 95% in 10 s"),
            ]
            return figures
        } catch {
            return [BenchFigure(key: "mlp_ecg_error", value: .string("\(error)"), unit: "")]
        }
    }
}
