/// One named figure a benchmark reports, e.g. `gemm_gflops` = {"512": 110.2, ...}.
public struct BenchFigure: Sendable {
    public let key: String
    public let value: BenchValue
    /// What the number means, for the table ("GFLOPS", "ms per step", ...).
    public let unit: String

    public init(key: String, value: BenchValue, unit: String) {
        self.key = key
        self.value = value
        self.unit = unit
    }
}

/// A benchmark `mlcourse bench` can run by name: it measures and returns its figures.
public struct BenchmarkEntry: Sendable {
    public let name: String
    public let summary: String
    public let run: @Sendable () -> [BenchFigure]

    public init(name: String, summary: String, run: @escaping @Sendable () -> [BenchFigure]) {
        self.name = name
        self.summary = summary
        self.run = run
    }
}

/// Every benchmark, in the order `mlcourse bench` runs them.
///
/// A new benchmark plugs in by adding one entry here (name, summary, closure returning figures).
public enum BenchmarkCatalog {
    public static let all: [BenchmarkEntry] = [
        BenchmarkEntry(name: "gemm",
                       summary: "square float32 GEMM throughput, with NumPy's matmul measured in the same run",
                       run: GEMMBenchmark.figures),
        BenchmarkEntry(name: "gemm_mlp",
                       summary: "time of each GEMM in one step of the 1000->256->5 MLP at batch 64",
                       run: GEMMBenchmark.mlpFigures),
        BenchmarkEntry(name: "mlp_step",
                       summary: "one full training step (forward, cross-entropy, backward, AdamW) of the 1000->256->5 MLP, batch 64",
                       run: { [BenchFigure(key: "mlp_step_ms", value: .number(measureMLPStepMilliseconds()),
                                           unit: "ms per step (median)")] }),
        BenchmarkEntry(name: "lstm_step",
                       summary: "one training step (forward over 100 steps, cross-entropy through Linear(64->2), backward through time, Adam) of an LSTM 1->64, batch 32",
                       run: { [BenchFigure(key: "lstm_step_ms", value: .number(measureLSTMStepMilliseconds()),
                                           unit: "ms per step (median)")] }),
        BenchmarkEntry(name: "transformer_step",
                       summary: "one training step (forward, cross-entropy on mean-pooled tokens, backward, AdamW) of a 2-layer pre-norm encoder, width 64, 4 heads, MLP 128, 64 tokens, batch 32",
                       run: { [BenchFigure(key: "transformer_step_ms", value: .number(TransformerStepBenchmark.milliseconds()),
                                           unit: "ms per step (median)")] }),
        BenchmarkEntry(name: "dt_step",
                       summary: "one training step (forward, cross-entropy on the doses, backward, AdamW) of the decision-transformer lab's model, 2 causal blocks, width 32, 2 heads, 30 tokens, batch 32; and one rollout of 20 patients",
                       run: { DecisionTransformerBenchmark.figures() }),
        BenchmarkEntry(name: "unet_step",
                       summary: "one training step (forward, Dice + cross-entropy, backward, Adam) of a 1-D U-Net, 3 levels, channels 16-32-64, kernel 5, 1,000 samples, 4 classes, batch 16",
                       run: { [BenchFigure(key: "unet_step_ms", value: .number(measureUNetStepMilliseconds()),
                                           unit: "ms per step (median)")] }),
        BenchmarkEntry(name: "pinn_step",
                       summary: "one default pinn-windkessel training step: 1-32-32-1 tanh net, data term at 12 points, physics term at 200 points with dp/dt by create-graph autodiff, backward, Adam",
                       run: { [BenchFigure(key: "pinn_step_ms", value: .number(measurePINNStepMilliseconds()),
                                           unit: "ms per step (median)")] }),
        BenchmarkEntry(name: "beats",
                       summary: "CardioSim: generate 10,000 labelled beats",
                       run: {
                           do {
                               let perSecond = try measureBeatsPerSecond(count: 10_000)
                               return [BenchFigure(key: "beats_per_second", value: .number(perSecond), unit: "beats/s"),
                                       BenchFigure(key: "beats_10k_seconds", value: .number(10_000 / perSecond), unit: "s")]
                           } catch {
                               return [BenchFigure(key: "beats_error", value: .string("\(error)"), unit: "")]
                           }
                       }),
        BenchmarkEntry(name: "lab_steps",
                       summary: "every lab at default settings, seed 42: the longest and the median of up to 250 steps (the budget is 50 ms a step)",
                       run: LabStepTimes.figures),
        BenchmarkEntry(name: "frame",
                       summary: "build and present a 200x60 frame with four panels (5,000-point line chart, 64x64 heatmap, 1,000-point scatter, bars)",
                       run: { [BenchFigure(key: "frame_ms", value: .number(measureFrameMilliseconds()),
                                           unit: "ms per frame (median)")] }),
        BenchmarkEntry(name: "mlp_ecg",
                       summary: "the mlp-ecg lab's default run: lab steps per second, and seconds of training until test accuracy first reaches 95%",
                       run: { MLPECGBenchmark.figures() }),
        BenchmarkEntry(name: "cnn_step",
                       summary: "one full training step (forward, cross-entropy, backward, AdamW) of cnn-ecg's default CNN, batch 64 of 250 samples",
                       run: { [BenchFigure(key: "cnn_step_ms", value: .number(measureCNNStepMilliseconds()),
                                           unit: "ms per step (median)")] }),
        BenchmarkEntry(name: "cnn_ecg",
                       summary: "the cnn-ecg lab's default run: seconds of training until test accuracy first reaches 95%",
                       run: { CNNECGBenchmark.figures() }),
        BenchmarkEntry(name: "attention_ends",
                       summary: "the attention-ends lab's default run: seconds of training until test accuracy first reaches 90%, and its step time",
                       run: { AttentionEndsBenchmark.figures() }),
        BenchmarkEntry(name: "gbdt_fit",
                       summary: "fit 200 rounds of depth-6 boosted trees (lr 0.1, lambda 1, 256 bins, log-loss on event) on the patients train split",
                       run: { GBDTFitBenchmark.figures() }),
        BenchmarkEntry(name: "kmeans_s",
                       summary: "K-means, k 5, 20 Lloyd iterations from k-means++ seeding, on the 5,000 x 250 beats",
                       run: { UnsupervisedBenchmarks.kmeansFigures() }),
        BenchmarkEntry(name: "pca_s",
                       summary: "PCA: covariance and full symmetric eigendecomposition (Householder + QL) of the 5,000 x 250 beats",
                       run: { UnsupervisedBenchmarks.pcaFigures() }),
        BenchmarkEntry(name: "simclr_step",
                       summary: "the simclr lab's default step (two views of 64 beats, CNN encoder forward and backward on 128 views, NT-Xent, Adam), and its slowest step over 200 (an evaluation finishing)",
                       run: { SimCLRBenchmark.figures() }),
        BenchmarkEntry(name: "ppo_env_steps_per_s",
                       summary: "the ppo lab at its defaults: 20 updates, each a rollout of 32 dosing episodes (320 environment steps) and 4 x 4 PPO minibatch steps",
                       run: { ReinforcementBenchmarks.ppoFigures() }),
        BenchmarkEntry(name: "import",
                       summary: "mlcourse data import of a 30-minute single-lead recording at 360 Hz (CSV parse, resample, baseline, R peaks, beats)",
                       run: { ImportBenchmark.figures() }),
    ]

    /// The entry with this name, or nil.
    public static func entry(named name: String) -> BenchmarkEntry? { all.first { $0.name == name } }
}
