import CardioSim
import Course
import MLEngine
import TextPlot

/// `optimizer-mlp`: four copies of the heartbeat MLP, one per optimizer (SGD, momentum, Adam,
/// AdamW), start from the same weights and see the same minibatches, so the only difference
/// between their loss curves is how each one turns gradients into steps.
public struct MLPOptimizerRaceLab: Lab {
    public static let labID = "optimizer-mlp"
    /// The racers, in display order.
    static let racers: [OptimizerKind] = [.sgd, .momentum, .adam, .adamw]
    /// Each racer's default learning rate: one that suits it (the Adam family's steps do not
    /// grow with the gradient, so it wants a far smaller rate than SGD).
    static let defaultRates: [OptimizerKind: Double] = [.sgd: 0.1, .momentum: 0.02, .adam: 0.001, .adamw: 0.001]
    static let batch = 64

    public let id = MLPOptimizerRaceLab.labID
    public let title = "Four optimizers train the heartbeat MLP"
    public private(set) var seed: UInt64

    private var rates = MLPOptimizerRaceLab.defaultRates
    private var hidden = 256
    private var builtHidden = 256
    private let dataset: BeatDataset
    private let inputs: BeatInputs
    private var models: [Sequential] = []
    private var optimizers: [any Optimizer] = []
    private var sampler: BatchSampler
    private var steps = 0
    public private(set) var metrics = Metrics()

    public init(seed: UInt64) {
        self.init(seed: seed, dataset: LabData.beats())
    }

    /// A lab on a given beat data set (tests share one; nil falls back to the recipe).
    public init(seed: UInt64, dataset: BeatDataset?, hidden: Int = 256) {
        let data = dataset ?? LabData.beats() ?? BeatClassifierLab.emergencyDataset()
        self.dataset = data
        inputs = BeatInputs(dataset: data, permutation: nil)
        self.seed = seed
        self.hidden = hidden
        sampler = BatchSampler(generator: SeededGenerator(seed: seed))
        reset(seed: seed)
    }

    private static func rateName(_ kind: OptimizerKind) -> String { "lr_\(kind.rawValue)" }

    // MARK: Hyperparameters

    public var parameters: [Hyperparameter] { Self.parameters(rates: rates, hidden: hidden) }

    /// The hyperparameters at their defaults, without generating any data.
    public static var defaultParameters: [Hyperparameter] { parameters(rates: defaultRates, hidden: 256) }

    private static func parameters(rates: [OptimizerKind: Double], hidden: Int) -> [Hyperparameter] {
        racers.map { kind in
            .logScale(rateName(kind), rates[kind] ?? 0.001, in: 0.00001...1, factor: 2,
                      help: "learning rate of the \(kind.rawValue) racer")
        } + [
            .logScale("hidden", Double(hidden), in: 4...1024, factor: 2, integer: true, effect: .reset,
                      help: "hidden ReLU units of every racer's network"),
        ]
    }

    public mutating func set(_ name: String, to value: HyperValue) throws {
        let checked = try parameters.checked(name, value, lab: id)
        if name == "hidden" { hidden = Int(checked.number ?? 256); return }
        guard let index = Self.racers.firstIndex(where: { Self.rateName($0) == name }), let rate = checked.number else { return }
        rates[Self.racers[index]] = rate
        if optimizers.indices.contains(index) { optimizers[index].learningRate = Float(rate) }
    }

    // MARK: Training

    public mutating func reset(seed: UInt64) {
        self.seed = seed
        builtHidden = hidden
        var generator = SeededGenerator(seed: seed)
        let start = BeatClassifierLab.makeModel(inputs: inputs, hidden: hidden, generator: &generator)
        sampler = BatchSampler(generator: generator.split())
        // The same starting weights for every racer, each with its own gradients.
        models = Self.racers.map { _ in MLPBuilder.independentCopy(of: start) }
        optimizers = Self.racers.map { $0.make(learningRate: rates[$0] ?? 0.001) }
        steps = 0
        metrics = Metrics(series: Self.racers.map { .init(name: "loss_\($0.rawValue)") }
                          + Self.racers.map { .init(name: "accuracy_\($0.rawValue)") } + [.init(name: "test_step")])
    }

    /// One minibatch, the same for all four racers; each takes one step with its optimizer. The
    /// step's loss is the mean of the four.
    public mutating func step() throws -> StepReport {
        let rows = sampler.indices(size: Self.batch, from: inputs.trainLabels.count)
        let batchInputs = inputs.train.gathering(rows, alongAxis: 0)
        let labels = rows.map { inputs.trainLabels[$0] }
        var losses: [Double] = []
        for index in models.indices {
            models[index].zeroGrad()
            let loss = try crossEntropy(logits: models[index](batchInputs), labels: labels)
            loss.backward()
            optimizers[index].step(&models[index])
            losses.append(Double(loss.item))
            metrics.append(losses[index], to: "loss_\(Self.racers[index].rawValue)")
        }
        steps += 1
        if steps == 1 || steps % BeatClassifierLab.evaluationInterval == 0 {
            for index in models.indices {
                let result = try ClassifierEvaluation.evaluate(models[index], inputs: inputs.test, labels: inputs.testLabels,
                                                               classes: inputs.classCount)
                metrics.append(result.accuracy, to: "accuracy_\(Self.racers[index].rawValue)")
                if result.accuracy >= 0.95, metrics.latest("steps_to_95_\(Self.racers[index].rawValue)") == nil {
                    metrics.set("steps_to_95_\(Self.racers[index].rawValue)", Double(steps))
                }
            }
            metrics.append(Double(steps), to: "test_step")
        }
        return StepReport(loss: losses.reduce(0, +) / Double(max(losses.count, 1)))
    }

    public var isFinite: Bool { models.allSatisfy(MLPBuilder.isFinite) }

    public func divergenceHint() -> String? {
        // The racer whose loss went bad first names the learning rate to lower.
        for (index, kind) in Self.racers.enumerated() {
            let lastLoss = metrics.values("loss_\(kind.rawValue)").last ?? 0
            if !lastLoss.isFinite || !MLPBuilder.isFinite(models[index]) {
                return "the \(kind.rawValue) racer blew up: \(Self.rateName(kind)) = \(NumberText.format(rates[kind] ?? 0)) is too high for it; lower it and press r"
            }
        }
        return nil
    }

    // MARK: Panels

    public var panelIDs: [String] { ["loss", "accuracy"] }

    public func panel(_ id: String) -> Panel? {
        switch id {
        case "loss":
            return MetricChart.panel(title: "Training loss per optimizer", metrics: metrics,
                                     series: Self.racers.map { "loss_\($0.rawValue)" }, labels: Self.racers.map(\.rawValue),
                                     yScale: .logarithmic, smoothing: 0.9)
        case "accuracy":
            return MetricChart.panel(title: "Test accuracy per optimizer", metrics: metrics,
                                     series: Self.racers.map { "accuracy_\($0.rawValue)" }, labels: Self.racers.map(\.rawValue),
                                     x: "test_step", target: TargetLine(0.95, label: "goal"), yRange: 0...1)
        default:
            return nil
        }
    }

    // MARK: Checkpoints

    public func snapshot() -> LabState {
        var tensors: [String: Tensor] = [:]
        for (index, kind) in Self.racers.enumerated() {
            CheckpointParts.store(models[index], as: "\(kind.rawValue).model", into: &tensors)
            CheckpointParts.store(optimizers[index], as: "\(kind.rawValue).optimizer", into: &tensors)
        }
        return LabState(labID: id, tensors: tensors, metadata: [
            "seed": .string(String(seed)),
            "step": .number(Double(steps)),
            "hidden": .number(Double(builtHidden)),
            "rates": .object(Dictionary(uniqueKeysWithValues: Self.racers.map { (Self.rateName($0), JSONValue.number(rates[$0] ?? 0)) })),
            "sampler": StateCoding.json(sampler.generator),
            "metrics": StateCoding.json(metrics),
        ])
    }

    public mutating func restore(_ state: LabState) throws {
        try state.expect(lab: id)
        let savedHidden = try CheckpointParts.integer("hidden", in: state)
        guard (4...1024).contains(savedHidden) else {
            throw LabStateError.badMetadata(lab: id, key: "hidden", problem: "must be 4-1024")
        }
        let savedSeed = try CheckpointParts.seed(in: state)
        var savedRates: [OptimizerKind: Double] = [:]
        for kind in Self.racers {
            guard let rate = state.metadata["rates"]?[Self.rateName(kind)]?.number, (0.00001...1).contains(rate) else {
                throw LabStateError.badMetadata(lab: id, key: "rates", problem: "must give \(Self.rateName(kind)) in 0.00001...1")
            }
            savedRates[kind] = rate
        }
        let savedSteps = try CheckpointParts.integer("step", in: state)
        let savedMetrics = try StateCoding.metrics(from: state.metadata["metrics"], key: "metrics", lab: id)
        let savedSampler = try StateCoding.generator(from: state.metadata["sampler"], key: "sampler", lab: id)
        hidden = savedHidden
        rates = savedRates
        reset(seed: savedSeed)
        for (index, kind) in Self.racers.enumerated() {
            try CheckpointParts.load(&models[index], from: "\(kind.rawValue).model", in: state)
            try CheckpointParts.load(&optimizers[index], from: "\(kind.rawValue).optimizer", in: state, for: models[index])
        }
        sampler = BatchSampler(generator: savedSampler)
        steps = savedSteps
        metrics = savedMetrics
    }
}
