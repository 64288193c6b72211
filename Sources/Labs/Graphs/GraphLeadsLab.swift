import Course
import MLEngine
import TextPlot

/// `gnn-leads`: a graph neural network names the region of ST elevation (none, inferior,
/// anterior, lateral) from a twelve-lead beat, reading the leads as nodes of the lead graph.
///
/// `relabel=on` (live, evaluation only) renumbers the test beats' leads by one fixed permutation
/// and the graph to match. The GNN's answers do not change (`relabel_max_diff`, the largest
/// change of any predicted probability, stays at rounding level); `model=mlp`, which reads the
/// leads concatenated in node order, is lost.
public struct GraphLeadsLab: Lab {
    public static let labID = "gnn-leads"
    /// Steps of the default run (checked in release by `.ci/promises/ch7-gnn-boost.sh`).
    public static let defaultStepBudget = 600
    /// The test set is measured after the first step and every this many steps.
    public static let evaluationInterval = 25
    static let batch = 32

    public let id = GraphLeadsLab.labID
    public let title = "A graph network reads the twelve leads"
    public private(set) var seed: UInt64

    // Settings: rounds, aggregate and model at the next reset; lr and relabel live.
    private var rounds = 2
    private var aggregation = NeighbourAggregation.mean
    private var modelKind = "gnn"
    private var learningRate = 0.003
    private var relabel = false

    private var built: (rounds: Int, aggregation: NeighbourAggregation, model: String) = (2, .mean, "gnn")
    private let data: LeadGraphData
    private let relabelledTest: Tensor
    private let relabelledGraph: GraphNeighbours
    private var model: LeadGraphNetwork
    private var optimizer: any Optimizer
    private var sampler: BatchSampler
    private var steps = 0
    private var lastEvaluation: ClassifierEvaluation?
    public private(set) var metrics = Metrics()

    public init(seed: UInt64) {
        self.init(seed: seed, data: LeadGraphData.shared)
    }

    init(seed: UInt64, data: LeadGraphData) {
        self.seed = seed
        self.data = data
        relabelledTest = LeadGraphData.relabelled(data.test)
        relabelledGraph = data.graph.relabelled(LeadGraphData.relabelling)
        var generator = SeededGenerator(seed: seed)
        model = LeadGraphNetwork(gnnRounds: 2, aggregation: .mean, samples: data.samples, classes: data.classNames.count,
                                 graph: data.graph, generator: &generator)
        optimizer = OptimizerKind.adamw.make(learningRate: learningRate)
        sampler = BatchSampler(generator: generator)
        reset(seed: seed)
    }

    // MARK: Hyperparameters

    public var parameters: [Hyperparameter] {
        Self.parameters(rounds: rounds, aggregation: aggregation, model: modelKind, learningRate: learningRate, relabel: relabel)
    }

    public static var defaultParameters: [Hyperparameter] {
        parameters(rounds: 2, aggregation: .mean, model: "gnn", learningRate: 0.003, relabel: false)
    }

    private static func parameters(rounds: Int, aggregation: NeighbourAggregation, model: String, learningRate: Double,
                                   relabel: Bool) -> [Hyperparameter] {
        [
            .linear("rounds", Double(rounds), in: 1...4, step: 1, integer: true, effect: .reset,
                    help: "message-passing rounds: after k rounds a lead's state covers leads up to k edges away"),
            .choice("aggregate", aggregation.rawValue, among: NeighbourAggregation.allCases.map(\.rawValue),
                    help: "how a lead combines its neighbours' states: sum, mean or max (all order-free)"),
            .choice("model", model, among: ["gnn", "mlp"],
                    help: "gnn: message passing over the lead graph; mlp: the 12 leads concatenated in node order"),
            .logScale("lr", learningRate, in: 0.00001...1, factor: 2, help: "AdamW learning rate"),
            .choice("relabel", relabel ? "on" : "off", among: ["off", "on"], effect: .live,
                    help: "renumber the test beats' leads (and the graph) by one fixed permutation; training is untouched"),
        ]
    }

    public mutating func set(_ name: String, to value: HyperValue) throws {
        let checked = try parameters.checked(name, value, lab: id)
        switch name {
        case "rounds": rounds = Int(checked.number ?? Double(rounds))
        case "aggregate": aggregation = checked.choice.flatMap(NeighbourAggregation.init(rawValue:)) ?? aggregation
        case "model": modelKind = checked.choice ?? modelKind
        case "lr":
            learningRate = checked.number ?? learningRate
            optimizer.learningRate = Float(learningRate)
        default:
            relabel = checked.choice == "on"
            // Evaluation only: the weights are untouched, so measure again at once.
            if steps > 0 { try evaluate(step: steps) }
        }
    }

    // MARK: Training

    public mutating func reset(seed: UInt64) {
        self.seed = seed
        built = (rounds, aggregation, modelKind)
        var generator = SeededGenerator(seed: seed)
        sampler = BatchSampler(generator: generator.split())
        let classes = data.classNames.count
        model = built.model == "gnn"
            ? LeadGraphNetwork(gnnRounds: built.rounds, aggregation: built.aggregation, samples: data.samples, classes: classes,
                               graph: data.graph, generator: &generator)
            : LeadGraphNetwork(mlpInputs: 12 * data.samples, classes: classes, generator: &generator)
        optimizer = OptimizerKind.adamw.make(learningRate: learningRate)
        steps = 0
        lastEvaluation = nil
        metrics = Metrics(series: ["train_loss", "test_loss", "test_accuracy", "test_step"].map { .init(name: $0) })
        metrics.set("parameters", Double(model.parameterCount))
    }

    public mutating func step() throws -> StepReport {
        let rows = sampler.indices(size: Self.batch, from: data.trainLabels.count)
        let beats = data.train.gathering(rows, alongAxis: 0)
        model.zeroGrad()
        let loss = try crossEntropy(logits: model(beats), labels: rows.map { data.trainLabels[$0] })
        loss.backward()
        optimizer.step(&model)
        steps += 1
        let value = Double(loss.item)
        metrics.append(value, to: "train_loss")
        if steps == 1 || steps % Self.evaluationInterval == 0 { try evaluate(step: steps) }
        return StepReport(loss: value)
    }

    /// Measures the test set as the current `relabel` setting shows it, and how far every
    /// predicted probability moves between the two numberings.
    private mutating func evaluate(step: Int) throws {
        let plain = withNoGrad { model(data.test).softmax(alongAxis: 1) }
        let moved = withNoGrad { model.on(relabelledGraph)(relabelledTest).softmax(alongAxis: 1) }
        let difference = plain.withUnsafeScalars { a in moved.withUnsafeScalars { b in
            zip(a, b).reduce(0.0) { Swift.max($0, Double(Swift.abs($1.0 - $1.1))) }
        } }
        let shown = relabel ? model.on(relabelledGraph) : model
        let result = try ClassifierEvaluation.evaluate(shown, inputs: relabel ? relabelledTest : data.test,
                                                       labels: data.testLabels, classes: data.classNames.count)
        lastEvaluation = result
        metrics.append(result.loss, to: "test_loss")
        metrics.append(result.accuracy, to: "test_accuracy")
        metrics.append(Double(step), to: "test_step")
        metrics.set("relabel_max_diff", difference)
        if let spread = nodeSpread { metrics.set("node_spread", spread) }
    }

    public var isFinite: Bool {
        model.parameters.allSatisfy { $0.value.withUnsafeScalars { $0.allSatisfy(\.isFinite) } }
    }

    public var completion: CompletionCondition? {
        CompletionCondition(metric: "test_accuracy", .atLeast, 0.9, description: "test accuracy reached 90%")
    }

    public func divergenceHint() -> String? {
        "learning rate \(NumberText.format(learningRate)) is too high for AdamW here; lower lr (0.003 works) and press r"
    }

    // MARK: What the panels read

    /// The test beat the graph panel shows: the first of its class in the test set, turning
    /// through the classes every 100 steps.
    var exampleIndex: Int {
        let wanted = (steps / 100) % max(data.classNames.count, 1)
        return data.testLabels.firstIndex(of: wanted) ?? 0
    }

    /// Each lead's state for the example beat, per round (round 0 = after the encoder), as the
    /// mean of its hidden units: [rounds + 1][12], in lead order whatever the numbering.
    var exampleStates: [[Double]] {
        let beat = data.test.slice(alongAxis: 0, exampleIndex..<(exampleIndex + 1))
        return withNoGrad { model.nodeStates(beat) }.map { state in
            let values = state.copyScalars(), width = state.shape[2]
            return (0..<12).map { node in Double(values[(node * width)..<((node + 1) * width)].reduce(0, +)) / Double(width) }
        }
    }

    /// How different the leads' final states are on the test set: the spread across nodes of
    /// each hidden unit, relative to the states' size. Near 0 when every node says the same
    /// thing (over-smoothing).
    var nodeSpread: Double? {
        guard model.isGNN else { return nil }
        let beats = data.test.slice(alongAxis: 0, 0..<min(50, data.testLabels.count))
        guard let last = withNoGrad({ model.nodeStates(beats) }).last else { return nil }
        let spread = last.variance(alongAxis: 1).mean().item, size = (last * last).mean().item
        return size > 0 ? Double((spread / size).squareRoot()) : 0
    }

    public var confusionMatrix: [[Int]] {
        lastEvaluation?.confusion ?? Array(repeating: Array(repeating: 0, count: data.classNames.count), count: data.classNames.count)
    }

    // MARK: Panels

    public var panelIDs: [String] { Self.panelNames }
    public static let panelNames = ["graph", "loss", "accuracy", "confusion"]

    public func panel(_ id: String) -> Panel? {
        switch id {
        case "graph": return LeadGraphPanel.panel(adjacency: (relabel ? relabelledGraph : data.graph).neighbours,
                                                  states: model.isGNN ? exampleStates : [],
                                                  relabel: relabel, truth: data.classNames[data.testLabels[exampleIndex]],
                                                  spread: metrics.latest("node_spread"))
        case "loss":
            let chart = LineChartSpec(series: [
                LineSeries(name: "train", values: metrics.values("train_loss"), x: metrics.measurementIndices("train_loss")),
                LineSeries(name: "test", values: metrics.values("test_loss"), x: metrics.values("test_step")),
            ], yScale: .logarithmic, smoothing: 0.9)
            return Panel(title: "Loss (cross-entropy)", content: .lineChart(chart))
        case "accuracy":
            // The largest probability change first: it is what the relabel page asks the learner to read.
            let diff = metrics.latest("relabel_max_diff").map { String(format: "%.1e", $0) } ?? "-"
            let title = relabel ? "Test accuracy (relabelled): p moved <= \(diff)" : "Test accuracy: relabel would move p <= \(diff)"
            return MetricChart.panel(title: title, metrics: metrics, series: ["test_accuracy"],
                                     labels: ["test"], x: "test_step", target: TargetLine(0.9, label: "goal"), yRange: 0...1)
        case "confusion":
            let names = data.classNames
            let spec = HeatmapSpec(rows: names.count, columns: names.count, values: confusionMatrix.flatMap { $0.map(Double.init) },
                                   palette: .sequential, rowLabels: names, columnLabels: names, showValues: true, showColorBar: false)
            return Panel(title: "Confusion: true (rows) vs predicted (columns)", content: .heatmap(spec))
        default: return nil
        }
    }

    // MARK: Checkpoints

    public func snapshot() -> LabState {
        var tensors: [String: Tensor] = [:]
        CheckpointParts.store(model, as: "model", into: &tensors)
        CheckpointParts.store(optimizer, as: "optimizer", into: &tensors)
        var metadata: [String: JSONValue] = [
            "seed": .string(String(seed)),
            "step": .number(Double(steps)),
            "built": .object(["rounds": .number(Double(built.rounds)), "aggregate": .string(built.aggregation.rawValue),
                              "model": .string(built.model)]),
            "settings": StateCoding.json(parameters),
            "sampler": StateCoding.json(sampler.generator),
            "metrics": StateCoding.json(metrics),
        ]
        ClassifierEvaluation.storeConfusion(of: lastEvaluation, into: &metadata)
        return LabState(labID: id, tensors: tensors, metadata: metadata)
    }

    public mutating func restore(_ state: LabState) throws {
        try state.expect(lab: id)
        func bad(_ key: String, _ problem: String) -> LabStateError { .badMetadata(lab: id, key: key, problem: problem) }
        let savedSeed = try CheckpointParts.seed(in: state)
        let builtObject = state.metadata["built"]
        guard let r = builtObject?["rounds"]?.number.flatMap({ StateCoding.int($0, in: 1...4) }),
              let a = builtObject?["aggregate"]?.string.flatMap(NeighbourAggregation.init(rawValue:)),
              let m = builtObject?["model"]?.string, ["gnn", "mlp"].contains(m) else {
            throw bad("built", "must be {rounds: 1-4, aggregate: sum|mean|max, model: gnn|mlp}")
        }
        let settings = try StateCoding.settings(from: state.metadata["settings"], for: parameters, key: "settings", lab: id)
        let savedSteps = try CheckpointParts.integer("step", in: state)
        let savedMetrics = try StateCoding.metrics(from: state.metadata["metrics"], key: "metrics", lab: id)
        let savedSampler = try StateCoding.generator(from: state.metadata["sampler"], key: "sampler", lab: id)
        let savedEvaluation = try ClassifierEvaluation.restored(from: state, metrics: savedMetrics, classes: data.classNames.count,
                                                                examples: data.testLabels.count)
        (rounds, aggregation, modelKind) = (r, a, m)
        reset(seed: savedSeed)
        try CheckpointParts.load(&model, from: "model", in: state)
        try CheckpointParts.load(&optimizer, from: "optimizer", in: state, for: model)
        sampler = BatchSampler(generator: savedSampler)
        steps = savedSteps
        metrics = savedMetrics
        lastEvaluation = savedEvaluation
        // The live and pending settings as they were (relabel without measuring again: the
        // metrics already hold that measurement).
        for (name, value) in settings where name != "relabel" { try set(name, to: value) }
        relabel = settings.first { $0.name == "relabel" }?.value.choice == "on"
    }
}
