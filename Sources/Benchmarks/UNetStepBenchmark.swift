import Foundation
import Labs
import MLEngine

/// The median time, in milliseconds, of one training step of the benchmark U-Net: 3
/// levels with 16, 32 and 64 channels, kernel 5, skips on, on a batch of 16 seeded random
/// 1,000-sample signals with random labels among 4 classes, Dice + cross-entropy, backward and
/// an Adam update (the `unet-ecg` network at width 16).
public func measureUNetStepMilliseconds(iterations: Int = 30) -> Double {
    precondition(iterations > 0, "iterations must be positive")
    var generator = SeededGenerator(seed: 2024)
    var step = UNetTrainingStep(depth: 3, width: 16, batch: 16, length: 1000, generator: &generator)
    for _ in 0..<min(3, iterations) { step.run() }
    let clock = ContinuousClock()
    var samples: [Double] = []
    for _ in 0..<iterations {
        let elapsed = clock.measure { step.run() }
        samples.append(Double(elapsed.components.seconds) * 1e3 + Double(elapsed.components.attoseconds) * 1e-15)
    }
    return Timing(samples: samples).median
}
