import CardioSim
import Course
import Foundation
import MLEngine
import TextPlot

/// `vanishing-gradient`: the memory task's learning signal, measured at every beat. After each
/// training step the `gradient` panel draws |d(loss)/d(h_t)|, the size of the gradient that
/// reached the hidden state at beat t, on a log scale.
///
/// The plain RNN multiplies the signal by W_mem and tanh' (both below 1 in size) once a beat,
/// so its curve falls by orders of magnitude toward beat 1; the trained LSTM's stays within a
/// few, because its cell state passes the gradient on through the forget gate alone. `scale`
/// multiplies the starting W_mem: from about 2 on, the RNN's memory turns chaotic and the
/// gradient *explodes* toward the start instead (the opposite failure); `clip` caps the norm of
/// each step's gradients, which keeps one such step from throwing the weights away. Adam
/// divides every update by the gradient's recent size, which already tames most explosions;
/// `optimizer=sgd` shows the raw failure: an exploded gradient times the learning rate is the
/// step the weights take, unless `clip` caps it. `weight_norm` (the size of all the weights
/// together) shows it: one unclipped step at scale 4 throws the weights millions of units away,
/// where the tanh units saturate and no gradient flows any more.
public struct VanishingGradientLab: Lab {
    public static let labID = "vanishing-gradient"
    public static let labTitle = "The vanishing gradient, measured beat by beat"
    public static let panelNames = ["gradient", "loss", "norm"]
    /// Steps in a run: short, because the claim is about a freshly trained model.
    public static let stepBudget = 300
    public static let batchSize = 64
    public static let hidden = 64
    /// The LSTM's forget-gate bias at the start (as `memory-task`'s default).
    public static let forgetBias: Float = 3

    public var id: String { Self.labID }
    public var title: String { Self.labTitle }
    public private(set) var seed: UInt64

    struct Settings: Equatable {
        var cell = RecurrentCell.rnn
        var length = 100
        var optimizer = OptimizerKind.adam
        var learningRate = 3e-4
        var clip = 1.0
        var scale = 1.0
    }
    private var settings = Settings()
    private var built = Settings()

    private var sequences: MemorySequences
    var model: SequenceClassifier
    private var optimizer: any Optimizer
    private var stream: SeededGenerator
    private var steps = 0
    public private(set) var metrics = Metrics()
    /// |d(loss)/d(h_t)| of the latest step, t = 1 ... T.
    public private(set) var profile: [Double] = []

    public init(seed: UInt64) {
        self.seed = seed
        sequences = MemorySequences(length: 1)
        var generator = SeededGenerator(seed: seed)
        model = SequenceClassifier(cell: .rnn, hidden: 1, forgetBias: 0, memoryScale: 1, generator: &generator)
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
            .logScale("length", Double(s.length), in: 10...1000, factor: 2, integer: true, effect: .reset,
                      help: "beats per sequence (time steps the gradient must travel back)"),
            .choice("optimizer", s.optimizer.rawValue, among: ["adam", "sgd"], effect: .reset,
                    help: "adam scales each update by the gradient's recent size; sgd steps by lr x gradient"),
            .logScale("lr", s.learningRate, in: 0.00001...1, factor: 2, help: "learning rate"),
            .linear("clip", s.clip, in: 0...100, step: 0.5,
                    help: "gradient-norm clipping: scale all gradients down to this norm (0: off)"),
            .logScale("scale", s.scale, in: 0.25...8, factor: 2, effect: .reset,
                      help: "multiplies the starting W_mem; 2 or more makes the RNN's gradients explode"),
        ]
    }

    public mutating func set(_ name: String, to value: HyperValue) throws {
        let checked = try parameters.checked(name, value, lab: id)
        switch name {
        case "cell": settings.cell = RecurrentCell(rawValue: checked.choice ?? "rnn") ?? .rnn
        case "length": settings.length = Int(checked.number ?? 100)
        case "optimizer": settings.optimizer = OptimizerKind(rawValue: checked.choice ?? "adam") ?? .adam
        case "lr":
            settings.learningRate = checked.number ?? settings.learningRate
            optimizer.learningRate = Float(settings.learningRate)
        case "clip": settings.clip = checked.number ?? settings.clip
        default: settings.scale = checked.number ?? settings.scale
        }
    }

    // MARK: Training

    public mutating func reset(seed: UInt64) {
        self.seed = seed
        built = settings
        var generator = SeededGenerator(seed: seed)
        stream = generator.split()
        sequences = MemorySequences(length: settings.length)
        model = SequenceClassifier(cell: settings.cell, hidden: Self.hidden, forgetBias: Self.forgetBias,
                                   memoryScale: Float(settings.scale), generator: &generator)
        optimizer = settings.optimizer.make(learningRate: settings.learningRate)
        steps = 0
        profile = []
        metrics = Metrics(series: ["loss", "accuracy", "grad_ratio", "grad_norm", "weight_norm"].map { .init(name: $0) })
    }

    public mutating func step() throws -> StepReport {
        let batch = sequences.batch(Self.batchSize, generator: &stream)
        let result = try model.train(on: batch, clip: settings.clip, optimizer: &optimizer)
        steps += 1
        profile = result.gradientProfile
        metrics.append(result.loss, to: "loss")
        metrics.append(result.accuracy, to: "accuracy")
        metrics.append(gradientRatio(profile) ?? .nan, to: "grad_ratio")
        metrics.append(result.gradientNorm, to: "grad_norm")
        metrics.append(model.weightNorm, to: "weight_norm")
        let done = steps == Self.stepBudget
        return StepReport(loss: result.loss, finished: done,
                          note: done ? "vanishing-gradient: the budget of \(Self.stepBudget) steps is spent" : nil)
    }

    public var isFinite: Bool { model.isFinite }

    public func divergenceHint() -> String? {
        "the gradients exploded and took the weights with them; set clip to 1 (or lower scale), then press r"
    }

    // MARK: Panels

    public var panelIDs: [String] { Self.panelNames }

    public func panel(_ id: String) -> Panel? {
        let cellName = built.cell.rawValue.uppercased()
        switch id {
        case "gradient":
            return RecurrentPanels.gradientProfile(profile, cell: built.cell, ratio: gradientRatio(profile))
        case "loss":
            return MetricChart.panel(title: "Loss (\(cellName), \(built.length) beats)", metrics: metrics, series: ["loss"],
                                     labels: ["train"], smoothing: 0.9, finiteOnly: true)
        case "norm":
            let clip = settings.clip > 0 ? [(name: "clip", value: settings.clip)] : []
            return MetricChart.panel(title: "Gradient norm before clipping", metrics: metrics, series: ["grad_norm"],
                                     labels: ["norm"], references: clip, yScale: .logarithmic, finiteOnly: true)
        default:
            return nil
        }
    }

    // MARK: Checkpoints

    public func snapshot() -> LabState {
        var tensors: [String: Tensor] = [:]
        CheckpointParts.store(model, as: "model", into: &tensors)
        CheckpointParts.store(optimizer, as: "optimizer", into: &tensors)
        tensors["profile"] = Tensor(profile.map(Float.init))
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
        if let profile = state.tensors["profile"], profile.rank == 1 {
            copy.profile = profile.copyScalars().map(Double.init)
        }
        copy.stream = savedStream
        copy.steps = saved.step
        copy.metrics = saved.metrics
        self = copy
    }
}
