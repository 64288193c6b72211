import MLEngine

/// `transformer_step_ms`: the median time of one training step of a small transformer, the
/// model chapters 6, 9 and 10 build on. A 2-layer pre-norm encoder (width 64, 4 heads, MLP 128
/// with ReLU, no dropout, final LayerNorm) reads 32 sequences of 64 seeded random tokens; the
/// tokens are mean-pooled, Linear(64 -> 2) gives logits, then cross-entropy, backward and AdamW.
/// Benchmarks/reference/transformer_step.py runs the same step in PyTorch (2 threads).
public enum TransformerStepBenchmark {
    public struct Model: Layer {
        public var encoder: TransformerEncoder
        public var head: Linear

        public func forward(_ input: Tensor) -> Tensor { head(encoder(input).mean(alongAxis: 1)) }

        public mutating func visitParameters(_ visit: (String, inout Tensor) throws -> Void) rethrows {
            try encoder.visitParameters { try visit("encoder.\($0)", &$1) }
            try head.visitParameters { try visit("head.\($0)", &$1) }
        }
    }

    /// Median milliseconds of `iterations` steps after a warm-up; smaller sizes let a test run it.
    public static func milliseconds(iterations: Int = 100, batch: Int = 32, tokens: Int = 64, width: Int = 64,
                                    heads: Int = 4, mlpWidth: Int = 128, layers: Int = 2) -> Double {
        precondition(iterations > 0, "iterations must be positive")
        var generator = SeededGenerator(seed: 2024)
        var model = Model(encoder: TransformerEncoder(layers: layers, width: width, heads: heads, mlpWidth: mlpWidth,
                                                      generator: &generator),
                          head: Linear(inputs: width, outputs: 2, initializer: .xavierUniform, generator: &generator))
        var optimizer = AdamW(learningRate: 1e-3)
        let inputs = Tensor.normal([batch, tokens, width], generator: &generator)
        let labels = (0..<batch).map { _ in generator.int(below: 2) }

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
        samples.sort()
        return samples.count % 2 == 1 ? samples[samples.count / 2]
                                      : (samples[samples.count / 2 - 1] + samples[samples.count / 2]) / 2
    }
}
