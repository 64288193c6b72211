import CardioSim
import Course
import Foundation
import Labs
import MLEngine

/// The median time, in milliseconds, of one full training step of `cnn-ecg`'s default network:
/// Conv1d(1->64, k 5, pad 2) ReLU MaxPool(2) -> Conv1d(64->64, k 5, pad 2) ReLU MaxPool(2) ->
/// global average pool -> Linear(64->5), on a batch of 64 seeded random 250-sample beats, with
/// cross-entropy, backward and an AdamW update. Benchmarks/reference/cnn_step.py times the same
/// step in PyTorch.
public func measureCNNStepMilliseconds(iterations: Int = 100) -> Double {
    precondition(iterations > 0, "iterations must be positive")
    var generator = SeededGenerator(seed: 2024)
    var model = Sequential(named: [
        ("conv1", Conv1d(inChannels: 1, outChannels: 64, kernelSize: 5, padding: 2, generator: &generator)),
        ("relu1", ReLU()), ("pool1", MaxPool1d(kernelSize: 2)),
        ("conv2", Conv1d(inChannels: 64, outChannels: 64, kernelSize: 5, padding: 2, generator: &generator)),
        ("relu2", ReLU()), ("pool2", MaxPool1d(kernelSize: 2)),
        ("gap", GlobalAvgPool1d()),
        ("fc", Linear(inputs: 64, outputs: 5, generator: &generator)),
    ])
    var optimizer = AdamW(learningRate: 1e-3)
    let inputs = Tensor.normal([64, 1, 250], generator: &generator)
    let labels = (0..<64).map { _ in generator.int(below: 5) }

    func step() {
        model.zeroGrad()
        // Labels are in range by construction, so the loss cannot throw here.
        let loss = try! crossEntropy(logits: model(inputs), labels: labels)
        loss.backward()
        optimizer.step(&model)
    }

    for _ in 0..<min(10, iterations) { step() }
    let clock = ContinuousClock()
    var samples: [Double] = []
    for _ in 0..<iterations {
        let elapsed = clock.measure { step() }
        samples.append(Double(elapsed.components.seconds) * 1e3 + Double(elapsed.components.attoseconds) * 1e-15)
    }
    return Timing(samples: samples).median
}

/// How the `cnn-ecg` lab trains as the learner meets it: default settings, its own "beats"
/// data, seed 42. A lab step is everything `step()` does, test evaluations included.
public enum CNNECGBenchmark {
    /// Trains a fresh lab until the latest test accuracy first reaches `target`; nil seconds
    /// when `maxSteps` passed first.
    public static func timeToAccuracy(_ target: Double = 0.95, maxSteps: Int = 3_000,
                                      seed: UInt64 = MLPECGBenchmark.defaultSeed) throws -> MLPECGBenchmark.TimeToTarget {
        var lab = CNNBeatLab(seed: seed)
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
                return MLPECGBenchmark.TimeToTarget(seconds: seconds, steps: step, bestAccuracy: best)
            }
        }
        return MLPECGBenchmark.TimeToTarget(seconds: nil, steps: nil, bestAccuracy: best)
    }

    /// Seconds to 95% (median of `runs`; the step count is the same every run) and its steps.
    public static func figures(runs: Int = 3) -> [BenchFigure] {
        do {
            var results: [MLPECGBenchmark.TimeToTarget] = []
            for _ in 0..<runs { results.append(try timeToAccuracy()) }
            guard let steps = results.first?.steps else {
                let best = results.map(\.bestAccuracy).max() ?? 0
                return [BenchFigure(key: "cnn_ecg_seconds_to_95", value: .null, unit: "s"),
                        BenchFigure(key: "cnn_ecg_note", value: .string("never reached 0.95 (best \(best))"), unit: "")]
            }
            return [
                BenchFigure(key: "cnn_ecg_seconds_to_95", value: .number(Timing(samples: results.compactMap(\.seconds)).median),
                            unit: "s of training (median)"),
                BenchFigure(key: "cnn_ecg_steps_to_95", value: .number(Double(steps)), unit: "steps"),
            ]
        } catch {
            return [BenchFigure(key: "cnn_ecg_error", value: .string("\(error)"), unit: "")]
        }
    }
}
