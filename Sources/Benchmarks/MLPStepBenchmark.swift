import MLEngine

/// The median time, in milliseconds, of one full training step of a small classifier: an MLP
/// 1000 -> 256 ReLU -> 5 on a batch of 64 seeded random inputs, with cross-entropy, backward and
/// an AdamW update. This is the step most lessons run dozens of times per frame, so it is the
/// engine's headline figure (target: <= 1.5 ms in release on two cores).
public func measureMLPStepMilliseconds(iterations: Int = 200) -> Double {
    precondition(iterations > 0, "iterations must be positive")
    var generator = SeededGenerator(seed: 2024)
    var model = Sequential(named: [
        ("fc1", Linear(inputs: 1000, outputs: 256, generator: &generator)),
        ("relu", ReLU()),
        ("fc2", Linear(inputs: 256, outputs: 5, generator: &generator)),
    ])
    var optimizer = AdamW(learningRate: 1e-3)
    let inputs = Tensor.normal([64, 1000], generator: &generator)
    let labels = (0..<64).map { _ in generator.int(below: 5) }

    func step() {
        model.zeroGrad()
        // Labels are in range by construction, so the loss cannot throw here.
        let loss = try! crossEntropy(logits: model(inputs), labels: labels)
        loss.backward()
        optimizer.step(&model)
    }

    for _ in 0..<min(10, iterations) { step() }   // warm caches and allocator
    let clock = ContinuousClock()
    var samples: [Double] = []
    samples.reserveCapacity(iterations)
    for _ in 0..<iterations {
        let elapsed = clock.measure { step() }
        samples.append(Double(elapsed.components.seconds) * 1e3 + Double(elapsed.components.attoseconds) * 1e-15)
    }
    samples.sort()
    return samples.count % 2 == 1 ? samples[samples.count / 2]
                                  : (samples[samples.count / 2 - 1] + samples[samples.count / 2]) / 2
}
