import CardioSim
import Course
import Foundation
import MLEngine
import TextPlot

/// `memory-task`: recall something from the start of a long sequence. Each sequence is a run of
/// RR intervals (one number per beat); the question, asked after the last beat, is whether the
/// first beat was premature. An RNN or an LSTM reads the beats one at a time and a Linear head
/// answers from its last hidden state.
///
/// At 100 beats the plain RNN stays at chance (its gradient from the answer dies out long before
/// beat 1), the LSTM learns it; at 10 beats both do (the task is fair). `forget_bias` sets the
/// LSTM's starting forget-gate bias: 3 (keep about 95% a step) lets the first beat's signal
/// survive before anything is learned; 0-1 (50-73%) usually fails.
public struct MemoryTaskLab: Lab {
    public static let labID = "memory-task"
    public static let labTitle = "Remember the first beat: RNN against LSTM"
    public static let panelNames = ["loss", "accuracy", "forget", "input", "output", "hidden"]
    /// Steps in a run: the session stops here (continue with more steps if you like).
    public static let stepBudget = 1000
    /// Sequences per training step, up to 100 beats long.
    public static let batchSize = 64
    /// Fixed test sequences, drawn from the seed at reset, up to 100 beats long.
    public static let testCount = 256
    /// Beats one training step reads, at most: beyond 100 beats a step takes fewer sequences
    /// (3 at 2,000 beats) so that it stays short and the screen keeps answering keys.
    public static let beatsPerStep = 6400

    /// Sequences per training step at `length` beats: 64 up to 100 beats, then fewer (at least 3).
    public static func batchSize(length: Int) -> Int { min(batchSize, max(3, beatsPerStep / length)) }

    /// Test sequences at `length` beats: 256 up to 100 beats, then fewer (at least 64), so an
    /// evaluation costs no more than at 100 beats until 400.
    public static func testCount(length: Int) -> Int { min(testCount, max(64, 4 * beatsPerStep / length)) }
    /// The test set is evaluated every this many steps (and after the first).
    public static let evaluationInterval = 50

    public var id: String { Self.labID }
    public var title: String { Self.labTitle }
    public private(set) var seed: UInt64

    struct Settings: Equatable {
        var cell = RecurrentCell.lstm
        var length = 100
        var hidden = 64
        var learningRate = 3e-4
        var clip = 1.0
        var forgetBias = 3.0
    }
    private var settings = Settings()
    /// The settings the current run was built with (reset-only ones may have changed since).
    private var built = Settings()

    private var sequences: MemorySequences
    private var testInputs: Tensor
    private var testLabels: [Int]
    var model: SequenceClassifier
    private var optimizer: any Optimizer
    private var stream: SeededGenerator
    private var steps = 0
    public private(set) var metrics = Metrics()
    /// The panels' view of the network: one premature test sequence, run after each evaluation.
    private(set) var view: SequenceView?

    public init(seed: UInt64) {
        self.seed = seed
        sequences = MemorySequences(length: 1)
        testInputs = Tensor(zeros: [1, 1, 1])
        testLabels = []
        var generator = SeededGenerator(seed: seed)
        model = SequenceClassifier(cell: .lstm, hidden: 1, forgetBias: 0, memoryScale: 1, generator: &generator)
        optimizer = OptimizerKind.adam.make(learningRate: 3e-4)
        stream = generator
        reset(seed: seed)
    }

    // MARK: Hyperparameters

    public var parameters: [Hyperparameter] { Self.parameters(settings) }

    public static var defaultParameters: [Hyperparameter] { parameters(Settings()) }

    static func parameters(_ s: Settings) -> [Hyperparameter] {
        [
            .choice("cell", s.cell.rawValue, among: ["rnn", "lstm"], effect: .reset,
                    help: "rnn: memory = tanh(x W_in + memory W_mem + b); lstm: gated memory"),
            .logScale("length", Double(s.length), in: 5...2000, factor: 2, integer: true, effect: .reset,
                      help: "beats per sequence; the answer is about the first one"),
            .logScale("hidden", Double(s.hidden), in: 4...256, factor: 2, integer: true, effect: .reset,
                      help: "memory slots (hidden units)"),
            .logScale("lr", s.learningRate, in: 0.00001...0.1, factor: 2, help: "Adam learning rate"),
            .linear("clip", s.clip, in: 0...100, step: 0.5,
                    help: "gradient-norm clipping: scale all gradients down to this norm (0: off)"),
            .linear("forget_bias", s.forgetBias, in: -2...6, step: 0.5, effect: .reset,
                    help: "LSTM's starting forget-gate bias: 3 keeps 95% of each slot a step, 0 keeps 50%"),
        ]
    }

    public mutating func set(_ name: String, to value: HyperValue) throws {
        let checked = try parameters.checked(name, value, lab: id)
        switch name {
        case "cell": settings.cell = RecurrentCell(rawValue: checked.choice ?? "lstm") ?? .lstm
        case "length": settings.length = Int(checked.number ?? 100)
        case "hidden": settings.hidden = Int(checked.number ?? 64)
        case "lr":
            settings.learningRate = checked.number ?? settings.learningRate
            optimizer.learningRate = Float(settings.learningRate)
        case "clip": settings.clip = checked.number ?? settings.clip
        default: settings.forgetBias = checked.number ?? settings.forgetBias
        }
    }

    // MARK: Training

    public mutating func reset(seed: UInt64) {
        self.seed = seed
        built = settings
        var generator = SeededGenerator(seed: seed)
        var testGenerator = generator.split()
        stream = generator.split()
        sequences = MemorySequences(length: settings.length)
        (testInputs, testLabels) = sequences.batch(Self.testCount(length: settings.length), generator: &testGenerator)
        model = SequenceClassifier(cell: settings.cell, hidden: settings.hidden, forgetBias: Float(settings.forgetBias),
                                   memoryScale: 1, generator: &generator)
        optimizer = OptimizerKind.adam.make(learningRate: settings.learningRate)
        steps = 0
        metrics = Metrics(series: ["loss", "accuracy", "test_accuracy", "test_step", "grad_ratio"].map { .init(name: $0) })
        view = SequenceView.make(model, inputs: testInputs, labels: testLabels)
    }

    public mutating func step() throws -> StepReport {
        let batch = sequences.batch(Self.batchSize(length: built.length), generator: &stream)
        let result = try model.train(on: batch, clip: settings.clip, optimizer: &optimizer)
        steps += 1
        metrics.append(result.loss, to: "loss")
        metrics.append(result.accuracy, to: "accuracy")
        if steps == 1 || steps % Self.evaluationInterval == 0 {
            metrics.append(model.accuracy(on: testInputs, labels: testLabels), to: "test_accuracy")
            metrics.append(Double(steps), to: "test_step")
            metrics.append(gradientRatio(result.gradientProfile) ?? .nan, to: "grad_ratio")
            view = SequenceView.make(model, inputs: testInputs, labels: testLabels)
        }
        let done = steps == Self.stepBudget
        return StepReport(loss: result.loss, finished: done,
                          note: done ? "memory-task: the budget of \(Self.stepBudget) steps is spent" : nil)
    }

    public var isFinite: Bool { model.isFinite }

    public var completion: CompletionCondition? {
        CompletionCondition(metric: "test_accuracy", .atLeast, 0.95, description: "the network remembers the first beat (95% of test sequences)")
    }

    public func divergenceHint() -> String? {
        "the gradients blew up; turn clip on (1 works) or lower lr (3e-4 works), then press r"
    }

    // MARK: Panels

    public var panelIDs: [String] { Self.panelNames }

    public func panel(_ id: String) -> Panel? {
        let cellName = built.cell.rawValue.uppercased()
        switch id {
        case "loss":
            return MetricChart.panel(title: "Loss (\(cellName), \(built.length) beats)", metrics: metrics, series: ["loss"],
                                     labels: ["train"], smoothing: 0.95, finiteOnly: true)
        case "accuracy":
            return MetricChart.panel(title: "Accuracy (\(cellName)): 0.5 is guessing", metrics: metrics,
                                     series: ["test_accuracy"], labels: ["test"], x: "test_step",
                                     target: TargetLine(0.95, label: "goal"), yRange: 0...1)
        case "forget", "input", "output":
            guard let view else { return nil }
            let gate: LSTMGate = id == "forget" ? .forget : id == "input" ? .input : .output
            return RecurrentPanels.gate(gate, of: view, cell: built.cell)
        case "hidden":
            guard let view else { return nil }
            return RecurrentPanels.hidden(view, cell: built.cell)
        default:
            return nil
        }
    }

    // MARK: Checkpoints

    public func snapshot() -> LabState {
        var tensors: [String: Tensor] = [:]
        CheckpointParts.store(model, as: "model", into: &tensors)
        CheckpointParts.store(optimizer, as: "optimizer", into: &tensors)
        var metadata = CheckpointParts.runMetadata(of: self, seed: seed, step: steps, built: Self.parameters(built), metrics: metrics)
        metadata["stream"] = StateCoding.json(stream)
        return LabState(labID: id, tensors: tensors, metadata: metadata)
    }

    public mutating func restore(_ state: LabState) throws {
        try state.expect(lab: id)
        let saved = try CheckpointParts.savedRun(in: state)
        let savedStream = try StateCoding.generator(from: state.metadata["stream"], key: "stream", lab: id)
        var copy = try CheckpointParts.rebuild(self, from: state, seed: saved.seed)
        try CheckpointParts.load(&copy.model, from: "model", in: state)
        try CheckpointParts.load(&copy.optimizer, from: "optimizer", in: state, for: copy.model)
        copy.stream = savedStream
        copy.steps = saved.step
        copy.metrics = saved.metrics
        copy.view = SequenceView.make(copy.model, inputs: copy.testInputs, labels: copy.testLabels)
        self = copy
    }
}
