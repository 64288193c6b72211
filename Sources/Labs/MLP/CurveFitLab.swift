import CardioSim
import Course
import MLEngine
import TextPlot

/// `mlp-curve`: an MLP fits the age-55 risk bend (or a step, a sine, a V) by full-batch
/// gradient descent, next to the best straight line.
///
/// Without an activation the network, however deep, is one linear function, so its loss can at
/// best equal the straight line's: `linear_gap` (its loss minus the line's) settles at zero.
/// With ReLU, sigmoid or tanh each hidden unit adds a bend, and the gap goes below zero.
public struct CurveFitLab: Lab {
    public static let labID = "mlp-curve"
    public let id = CurveFitLab.labID
    public let title = "An MLP fits a curve"
    public private(set) var seed: UInt64

    // Settings. Reset-only ones take effect at the next `reset(seed:)`.
    private var hidden = 16
    private var layers = 1
    private var activation = ActivationKind.relu
    private var optimizerKind = OptimizerKind.adam
    private var learningRate = 0.01
    private var shape = CurveShape.bend

    // The run: what the model was built with, its data, weights, optimizer and history.
    private var built: Built
    private var data: CurveData
    private var model: Sequential
    private var optimizer: any Optimizer
    private var steps = 0
    public private(set) var metrics = Metrics()

    /// The settings the current model was built with (reset-only ones may since have changed).
    private struct Built: Equatable {
        var hidden: Int, layers: Int, activation: ActivationKind, optimizer: OptimizerKind, shape: CurveShape
    }

    private let recipe: RiskCurve

    public init(seed: UInt64) {
        recipe = LabData.riskBend()
        self.seed = seed
        built = Built(hidden: 16, layers: 1, activation: .relu, optimizer: .adam, shape: .bend)
        data = CurveData.make(.bend, recipe: recipe)
        var generator = SeededGenerator(seed: seed)
        model = MLPBuilder.make(inputs: 1, hidden: 16, layers: 1, outputs: 1, activation: .relu, generator: &generator)
        optimizer = OptimizerKind.adam.make(learningRate: 0.01)
        reset(seed: seed)
    }

    // MARK: Hyperparameters

    public var parameters: [Hyperparameter] {
        [
            .linear("hidden", Double(hidden), in: 1...64, step: 1, integer: true, effect: .reset,
                    help: "hidden units per layer: each one adds a bend"),
            .linear("layers", Double(layers), in: 1...4, step: 1, integer: true, effect: .reset,
                    help: "number of hidden layers"),
            .choice("activation", activation.rawValue, among: ActivationKind.names, effect: .reset,
                    help: "the bend after each hidden unit; none keeps the whole network linear"),
            .choice("optimizer", optimizerKind.rawValue, among: OptimizerKind.names, effect: .reset,
                    help: "how the weights are nudged (chapter 3): sgd, momentum, adam, adamw"),
            .logScale("lr", learningRate, in: 0.0001...1, factor: 2,
                      help: "learning rate: how far each step moves the weights"),
            .choice("shape", shape.rawValue, among: CurveShape.names, effect: .reset,
                    help: "the data: the age-55 bend, a step, a sine wave or a V (abs)"),
        ]
    }

    public mutating func set(_ name: String, to value: HyperValue) throws {
        let checked = try parameters.checked(name, value, lab: id)
        switch name {
        case "hidden": hidden = Int(checked.number ?? 16)
        case "layers": layers = Int(checked.number ?? 1)
        case "activation": activation = ActivationKind(rawValue: checked.choice ?? "") ?? activation
        case "optimizer": optimizerKind = OptimizerKind(rawValue: checked.choice ?? "") ?? optimizerKind
        case "lr":
            learningRate = checked.number ?? learningRate
            optimizer.learningRate = Float(learningRate)
        default: shape = CurveShape(rawValue: checked.choice ?? "") ?? shape
        }
    }

    // MARK: Training

    public mutating func reset(seed: UInt64) {
        self.seed = seed
        built = Built(hidden: hidden, layers: layers, activation: activation, optimizer: optimizerKind, shape: shape)
        data = CurveData.make(shape, recipe: recipe)
        var generator = SeededGenerator(seed: seed)
        model = MLPBuilder.make(inputs: 1, hidden: hidden, layers: layers, outputs: 1, activation: activation,
                                generator: &generator)
        spreadBends(generator: &generator)
        optimizer = optimizerKind.make(learningRate: learningRate)
        steps = 0
        metrics = Metrics(series: [.init(name: "loss"), .init(name: "linear_gap")],
                          scalars: [.init(name: "line_loss", value: data.lineLoss)])
    }

    /// Places each first-layer unit's bend (where w x + b = 0, the ReLU hinge or the middle of
    /// a tanh or sigmoid) at a random age inside the data. With the usual zero bias every bend
    /// would start at the mean age, and gradient descent takes a long time to pull them apart.
    private mutating func spreadBends(generator: inout SeededGenerator) {
        guard let weight = model.parameters.first(where: { $0.name == "fc1.weight" })?.value else { return }
        let low = data.inputs.copyScalars().min() ?? -1, high = data.inputs.copyScalars().max() ?? 1
        let bias = weight.copyScalars().map { w in -w * generator.uniform(low, high) }
        // fc1.bias exists with one value per hidden unit, so this cannot fail.
        try? model.setParameter("fc1.bias", to: Tensor(bias))
    }

    /// One full-batch step: every point's squared error, backward, one optimizer update. The
    /// loss reported is the model's before the update, in the data's units (risk points squared).
    public mutating func step() throws -> StepReport {
        model.zeroGrad()
        let predictions = model(data.inputs)
        let loss = try meanSquaredError(predictions, data.targets)
        loss.backward()
        optimizer.step(&model)
        steps += 1
        let dataLoss = data.loss(ofStandardised: predictions.detached())
        metrics.append(dataLoss, to: "loss")
        // The network computes in Float32 and the line is solved in Double: a linear network can
        // land a rounding error (about 1e-7 of the loss) below the exact line. Such a gap is zero.
        let gap = dataLoss - data.lineLoss
        metrics.append(Swift.abs(gap) < 1e-5 * data.lineLoss ? 0 : gap, to: "linear_gap")
        return StepReport(loss: dataLoss)
    }

    public var isFinite: Bool { MLPBuilder.isFinite(model) }

    /// Done when the network beats the best straight line by half the line's loss: something
    /// no network without an activation can do, however deep.
    public var completion: CompletionCondition? {
        CompletionCondition(metric: "linear_gap", .atMost, -0.5 * data.lineLoss,
                            description: "the network's loss fell to half the best straight line's")
    }

    public func divergenceHint() -> String? {
        "learning rate \(NumberText.format(learningRate)) is too high for \(built.optimizer.rawValue) on this curve; lower lr and press r"
    }

    /// The current model's risk at each age (for the fit panel and tests).
    public func predictions(ages: [Double]) -> [Double] {
        let standardised = withNoGrad { model(data.standardised(ages: ages)) }
        return standardised.copyScalars().map { Double($0) * data.riskScale + data.riskMean }
    }

    /// The mean squared error of the best straight line through the current data.
    public var straightLineLoss: Double { data.lineLoss }

    // MARK: Panels

    public var panelIDs: [String] { ["fit", "loss"] }

    public func panel(_ id: String) -> Panel? {
        switch id {
        case "fit":
            let low = data.ages.min() ?? 30, high = data.ages.max() ?? 80
            let grid = (0..<100).map { low + (high - low) * Double($0) / 99 }
            let curve = zip(grid, predictions(ages: grid)).map { PlotPoint(x: $0, y: $1) }
            let spec = ScatterSpec(points: zip(data.ages, data.risks).map { ScatterPoint(x: $0, y: $1) },
                                   lines: [OverlayLine(name: "network", points: curve),
                                           OverlayLine(name: "best line", slope: data.lineSlope, intercept: data.lineIntercept)],
                                   showLegend: true)
            // "1 layer of 16 relu", not "1x16": lessons keep x for a variable and write × for times.
            let units = built.activation.rawValue == "none" ? "linear" : built.activation.rawValue
            let layers = built.layers == 1 ? "1 layer" : "\(built.layers) layers"
            return Panel(title: "Fit: \(built.shape.rawValue), \(layers) of \(built.hidden) \(units)", content: .scatter(spec))
        case "loss":
            return MetricChart.panel(title: "Loss (mean squared error)", metrics: metrics, series: ["loss"], labels: ["network"],
                                     target: TargetLine(data.lineLoss, label: "best line"), yScale: .logarithmic)
        default:
            return nil
        }
    }

    // MARK: Checkpoints

    public func snapshot() -> LabState {
        var tensors: [String: Tensor] = [:]
        CheckpointParts.store(model, as: "model", into: &tensors)
        CheckpointParts.store(optimizer, as: "optimizer", into: &tensors)
        return LabState(labID: id, tensors: tensors, metadata: [
            "step": .number(Double(steps)),
            "seed": .string(String(seed)),
            "lr": .number(learningRate),
            "built": .object(["hidden": .number(Double(built.hidden)), "layers": .number(Double(built.layers)),
                              "activation": .string(built.activation.rawValue), "optimizer": .string(built.optimizer.rawValue),
                              "shape": .string(built.shape.rawValue)]),
            "metrics": StateCoding.json(metrics),
        ])
    }

    public mutating func restore(_ state: LabState) throws {
        try state.expect(lab: id)
        // The architecture, optimizer and data come from the saved settings; the weights must fit them.
        guard let saved = state.metadata["built"]?.object,
              let h = saved["hidden"]?.number, let l = saved["layers"]?.number,
              let a = saved["activation"]?.string.flatMap(ActivationKind.init(rawValue:)),
              let o = saved["optimizer"]?.string.flatMap(OptimizerKind.init(rawValue:)),
              let s = saved["shape"]?.string.flatMap(CurveShape.init(rawValue:)),
              (1...64).contains(h), (1...4).contains(l) else {
            throw LabStateError.badMetadata(lab: id, key: "built", problem: "must name hidden 1-64, layers 1-4, an activation, an optimizer and a shape")
        }
        (hidden, layers, activation, optimizerKind, shape) = (Int(h), Int(l), a, o, s)
        guard let savedRate = state.metadata["lr"]?.number, (0.0001...1).contains(savedRate) else {
            throw LabStateError.badMetadata(lab: id, key: "lr", problem: "must be a learning rate in 0.0001...1")
        }
        learningRate = savedRate
        let restoredSteps = try CheckpointParts.integer("step", in: state)
        let restoredMetrics = try StateCoding.metrics(from: state.metadata["metrics"], key: "metrics", lab: id)
        let savedSeed = try CheckpointParts.seed(in: state)
        reset(seed: savedSeed)
        try CheckpointParts.load(&model, from: "model", in: state)
        try CheckpointParts.load(&optimizer, from: "optimizer", in: state, for: model)
        steps = restoredSteps
        metrics = restoredMetrics
    }
}
