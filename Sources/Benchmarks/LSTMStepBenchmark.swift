import MLEngine

/// The median time, in milliseconds, of one training step of the recurrent model the issue
/// names: an LSTM with input size 1 and hidden size 64 over 100 time steps, batch 32, then
/// cross-entropy on the last hidden state through Linear(64 -> 2), backpropagation through
/// time, and an Adam update. `Benchmarks/reference/lstm_step.py` times the same model in
/// PyTorch (`torch.nn.LSTM`, 2 threads).
public func measureLSTMStepMilliseconds(iterations: Int = 100, steps: Int = 100, batch: Int = 32,
                                        hidden: Int = 64) -> Double {
    precondition(iterations > 0 && steps > 0 && batch > 0 && hidden > 0, "sizes must be positive")
    var generator = SeededGenerator(seed: 2025)
    struct Model: Layer {
        var lstm: LSTM
        var head: Linear
        func forward(_ input: Tensor) -> Tensor { head(lstm(input)) }
        mutating func visitParameters(_ visit: (String, inout Tensor) throws -> Void) rethrows {
            try lstm.visitParameters { try visit("lstm.\($0)", &$1) }
            try head.visitParameters { try visit("head.\($0)", &$1) }
        }
    }
    var model = Model(lstm: LSTM(inputs: 1, hidden: hidden, generator: &generator),
                      head: Linear(inputs: hidden, outputs: 2, generator: &generator))
    var optimizer = Adam(learningRate: 1e-3)
    let inputs = Tensor.normal([steps, batch, 1], generator: &generator)
    let labels = (0..<batch).map { _ in generator.int(below: 2) }

    func step() {
        model.zeroGrad()
        // Labels are 0 or 1 by construction, so the loss cannot throw here.
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
