import CardioSim
import Course
import MLEngine
import TextPlot

/// `mlp-ecg`: an MLP reads one heartbeat (250 samples) and names its class among five:
/// 250 -> hidden ReLU -> 5 logits, softmax cross-entropy, AdamW on random minibatches.
///
/// Two switches show what an MLP cannot see. `permute=on` scrambles the sample positions with
/// one fixed shuffle (training and test alike): the accuracy barely changes, so the network never
/// used the order. `shift=N` moves only the test beats N samples later: the accuracy falls,
/// because every position has its own weights. `shift` is live and touches only evaluation.
public struct BeatClassifierLab: Lab {
    public static let labID = "mlp-ecg"
    /// Steps within which the default configuration reaches 95% test accuracy (the tests check it).
    public static let defaultStepBudget = 400
    /// The test set is evaluated every this many steps (and after the first).
    public static let evaluationInterval = 20
    /// The example shown in the `beat` panel changes every this many steps.
    public static let exampleInterval = 50
    /// Hidden units drawn in the `weights` panel (all of them when there are fewer).
    public static let shownUnits = 32

    public let id = BeatClassifierLab.labID
    public let title = "An MLP classifies heartbeats"
    public private(set) var seed: UInt64

    // Settings; hidden, batch and permute take effect at the next reset.
    private var learningRate = 0.001
    private var hidden = 256
    private var batch = 64
    private var permute = false
    private var shift = 0

    private struct Built: Equatable { var hidden: Int, batch: Int, permute: Bool }
    private var built: Built
    let dataset: BeatDataset
    private(set) var inputs: BeatInputs
    private(set) var model: Sequential
    private var optimizer: any Optimizer
    private var sampler: BatchSampler
    private(set) var steps = 0
    /// The learner's recording as this model classified it (`:data NAME`); not part of a
    /// checkpoint: it is the learner's file, read again on request.
    var importedView: ImportedBeatView?
    private var lastEvaluation: ClassifierEvaluation?
    public private(set) var metrics = Metrics()

    /// A lab on the "beats" recipe (generated here: about 5000 beats).
    public init(seed: UInt64) {
        self.init(seed: seed, dataset: LabData.beats())
    }

    /// A lab on a given beat data set (tests share one; nil falls back to the recipe).
    public init(seed: UInt64, dataset: BeatDataset?, hidden: Int = 256) {
        let data = dataset ?? LabData.beats() ?? Self.emergencyDataset()
        self.dataset = data
        self.seed = seed
        self.hidden = hidden
        built = Built(hidden: hidden, batch: 64, permute: false)
        inputs = BeatInputs(dataset: data, permutation: nil)
        var generator = SeededGenerator(seed: seed)
        model = Self.makeModel(inputs: inputs, hidden: hidden, generator: &generator)
        optimizer = OptimizerKind.adamw.make(learningRate: 0.001)
        sampler = BatchSampler(generator: generator)
        reset(seed: seed)
    }

    /// The built-in recipe's settings cannot fail validation; this exists so that a lab can
    /// always be made, even if the simulator reported an error for the "beats" recipe.
    static func emergencyDataset() -> BeatDataset {
        // swiftlint:disable:next force_try
        try! BeatDataset.generate(BeatDatasetConfig(), seed: 42)
    }

    static func makeModel(inputs: BeatInputs, hidden: Int, generator: inout SeededGenerator) -> Sequential {
        MLPBuilder.make(inputs: inputs.window, hidden: hidden, layers: 1, outputs: inputs.classCount,
                        activation: .relu, generator: &generator)
    }

    // MARK: Hyperparameters

    public var parameters: [Hyperparameter] {
        Self.parameters(learningRate: learningRate, hidden: hidden, batch: batch, permute: permute, shift: shift)
    }

    /// The hyperparameters at their defaults, without generating any data.
    public static var defaultParameters: [Hyperparameter] {
        parameters(learningRate: 0.001, hidden: 256, batch: 64, permute: false, shift: 0)
    }

    private static func parameters(learningRate: Double, hidden: Int, batch: Int, permute: Bool, shift: Int) -> [Hyperparameter] {
        [
            .logScale("lr", learningRate, in: 0.00001...1, factor: 2, help: "AdamW learning rate"),
            .logScale("hidden", Double(hidden), in: 4...1024, factor: 2, integer: true, effect: .reset,
                      help: "hidden ReLU units"),
            .logScale("batch", Double(batch), in: 1...1024, factor: 2, integer: true, effect: .reset,
                      help: "training beats per step"),
            .choice("permute", permute ? "on" : "off", among: ["off", "on"], effect: .reset,
                    help: "on: scramble the 250 sample positions with one fixed shuffle, training and test alike"),
            .linear("shift", Double(shift), in: 0...60, step: 5, integer: true,
                    help: "move the test beats this many samples later (4 ms each); training beats stay put"),
        ]
    }

    public mutating func set(_ name: String, to value: HyperValue) throws {
        let checked = try parameters.checked(name, value, lab: id)
        switch name {
        case "lr":
            learningRate = checked.number ?? learningRate
            optimizer.learningRate = Float(learningRate)
        case "hidden": hidden = Int(checked.number ?? 256)
        case "batch": batch = Int(checked.number ?? 64)
        case "permute": permute = checked.choice == "on"
        default:
            let samples = Int(checked.number ?? 0)
            try inputs.setShift(samples)
            shift = samples
            // Evaluation only: the weights are untouched, so measure again at once.
            if steps > 0 { try evaluate() }
        }
    }

    // MARK: Training

    public mutating func reset(seed: UInt64) {
        self.seed = seed
        built = Built(hidden: hidden, batch: batch, permute: permute)
        var generator = SeededGenerator(seed: seed)
        var scrambler = generator.split()
        sampler = BatchSampler(generator: generator.split())
        let permutation = permute ? BeatInputs.scramble(window: dataset.train.beats.shape[1], generator: &scrambler) : nil
        inputs = BeatInputs(dataset: dataset, permutation: permutation)
        // A shift the simulator accepted before is accepted again.
        try? inputs.setShift(shift)
        model = Self.makeModel(inputs: inputs, hidden: hidden, generator: &generator)
        optimizer = OptimizerKind.adamw.make(learningRate: learningRate)
        steps = 0
        lastEvaluation = nil
        metrics = Metrics(series: ["train_loss", "test_loss", "test_accuracy", "test_step"].map { .init(name: $0) })
    }

    public mutating func step() throws -> StepReport {
        let rows = sampler.indices(size: built.batch, from: inputs.trainLabels.count)
        let batchInputs = inputs.train.gathering(rows, alongAxis: 0)
        let labels = rows.map { inputs.trainLabels[$0] }
        model.zeroGrad()
        let loss = try crossEntropy(logits: model(batchInputs), labels: labels)
        loss.backward()
        optimizer.step(&model)
        steps += 1
        let value = Double(loss.item)
        metrics.append(value, to: "train_loss")
        if steps == 1 || steps % Self.evaluationInterval == 0 { try evaluate() }
        return StepReport(loss: value)
    }

    /// Measures the test set now and appends the result to the test series.
    private mutating func evaluate() throws {
        let result = try ClassifierEvaluation.evaluate(model, inputs: inputs.test, labels: inputs.testLabels,
                                                       classes: inputs.classCount)
        lastEvaluation = result
        metrics.append(result.loss, to: "test_loss")
        metrics.append(result.accuracy, to: "test_accuracy")
        metrics.append(Double(steps), to: "test_step")
    }

    public var isFinite: Bool { MLPBuilder.isFinite(model) }

    public var completion: CompletionCondition? {
        CompletionCondition(metric: "test_accuracy", .atLeast, 0.95, description: "test accuracy reached 95%")
    }

    public func divergenceHint() -> String? {
        "learning rate \(NumberText.format(learningRate)) is too high for AdamW here; lower lr (around 0.001 works) and press r"
    }

    // MARK: What the panels read

    /// The test beat the `beat` panel shows now: it changes every `exampleInterval` steps.
    public var exampleIndex: Int {
        (steps / Self.exampleInterval) * 7919 % max(inputs.testLabels.count, 1)
    }

    /// The example beat as the network receives it (scrambled, shifted).
    public var exampleInput: [Double] {
        let window = inputs.window, row = exampleIndex
        return inputs.test.withUnsafeScalars { Array($0[(row * window)..<((row + 1) * window)]).map(Double.init) }
    }

    /// The network's class probabilities for the example beat.
    public var exampleProbabilities: [Double] {
        ClassifierEvaluation.probabilities(model, input: Tensor(exampleInput.map(Float.init)))
    }

    /// Counts from the last evaluation: row = true class, column = predicted class.
    public var confusionMatrix: [[Int]] {
        lastEvaluation?.confusion ?? Array(repeating: Array(repeating: 0, count: inputs.classCount), count: inputs.classCount)
    }

    /// The class names, in label order.
    public var classNames: [String] { inputs.classNames }

    /// The first layer's weights [hidden, 250], in the order the network reads its inputs.
    public var firstLayerWeights: Tensor {
        model.parameters.first { $0.name == "fc1.weight" }?.value.detached() ?? Tensor(zeros: [0, 0])
    }

    // MARK: Panels

    public var panelIDs: [String] { ["loss", "accuracy", "confusion", "weights", "beat"] }

    public func panel(_ id: String) -> Panel? {
        let testSteps = metrics.values("test_step")
        switch id {
        case "loss":
            let chart = LineChartSpec(series: [
                LineSeries(name: "train", values: metrics.values("train_loss"), x: metrics.measurementIndices("train_loss")),
                LineSeries(name: "test", values: metrics.values("test_loss"), x: testSteps),
            ], yScale: .logarithmic, smoothing: 0.9)
            return Panel(title: "Loss (cross-entropy)", content: .lineChart(chart))
        case "accuracy":
            // Short titles and legends: a panel may be 34 cells wide, and the shift is the news.
            let shiftNote = inputs.shift > 0 ? " (shift \(inputs.shift))" : ""
            return MetricChart.panel(title: "Test accuracy\(shiftNote)", metrics: metrics, series: ["test_accuracy"],
                                     labels: ["test"], x: "test_step", target: TargetLine(0.95, label: "goal"),
                                     yRange: 0...1)
        case "confusion":
            let names = classNames
            let spec = HeatmapSpec(rows: names.count, columns: names.count, values: confusionMatrix.flatMap { $0.map(Double.init) },
                                   palette: .sequential, rowLabels: names, columnLabels: names, showValues: true,
                                   showColorBar: false)  // the counts are in the cells; a bar's numbers read as a sixth column
            return Panel(title: "Confusion: true (rows) vs predicted (columns)", content: .heatmap(spec))
        case "weights":
            let weights = firstLayerWeights
            guard weights.rank == 2 else { return nil }
            let rows = min(Self.shownUnits, weights.shape[0]), columns = weights.shape[1]
            let values = weights.withUnsafeScalars { Array($0[0..<(rows * columns)]).map(Double.init) }
            let spec = HeatmapSpec(rows: rows, columns: columns, values: values, palette: .diverging)
            let order = built.permute ? ", scrambled" : ""
            return Panel(title: "Layer-1 weights\(order): \(rows) of \(weights.shape[0]) units", content: .heatmap(spec))
        case "beat":
            return beatPanel()
        case "data":
            return importedView?.panel
        default:
            return nil
        }
    }

    /// The current test beat as the network receives it (left or top) and the network's five
    /// class probabilities as bars (right or bottom), the predicted class highlighted.
    private func beatPanel() -> Panel {
        let probabilities = exampleProbabilities
        let names = classNames
        let truth = names[inputs.testLabels[exampleIndex]]
        let predicted = probabilities.indices.max { probabilities[$0] < probabilities[$1] } ?? 0
        let how = (built.permute ? ", scrambled" : "") + (inputs.shift > 0 ? ", shifted \(inputs.shift)" : "")
        let beat = LineChartSpec(series: [LineSeries(name: "beat", values: exampleInput)], showLegend: false)
        let bars = BarChartSpec(bars: zip(names, probabilities).map { Bar(label: $0, value: $1) }, maxValue: 1,
                                highlighted: predicted)
        let verdict = predicted == inputs.testLabels[exampleIndex] ? "right" : "wrong"
        // The true class first: the number only tells beats apart when the example changes.
        return Panel(title: "Test beat: \(truth)\(how) (#\(exampleIndex))", content: .split([
            PanelPart(.lineChart(beat), weight: 3, caption: "as the network receives it (mV)"),
            PanelPart(.bars(bars), weight: 2, caption: "predicted \(names[predicted]) (\(verdict))"),
        ]))
    }

    // MARK: Checkpoints

    public func snapshot() -> LabState {
        var tensors: [String: Tensor] = [:]
        CheckpointParts.store(model, as: "model", into: &tensors)
        CheckpointParts.store(optimizer, as: "optimizer", into: &tensors)
        if let permutation = inputs.permutation {
            tensors["permutation"] = Tensor(permutation.map(Float.init))
        }
        var metadata: [String: JSONValue] = [
            "seed": .string(String(seed)),
            "step": .number(Double(steps)),
            "built": .object(["hidden": .number(Double(built.hidden)), "batch": .number(Double(built.batch)),
                              "permute": .bool(built.permute)]),
            "shift": .number(Double(inputs.shift)),
            "lr": .number(learningRate),
            "sampler": StateCoding.json(sampler.generator),
            "metrics": StateCoding.json(metrics),
        ]
        if let lastEvaluation {
            metadata["confusion"] = .array(lastEvaluation.confusion.map { .array($0.map { .number(Double($0)) }) })
        }
        return LabState(labID: id, tensors: tensors, metadata: metadata)
    }

    public mutating func restore(_ state: LabState) throws {
        try state.expect(lab: id)
        func bad(_ key: String, _ problem: String) -> LabStateError { .badMetadata(lab: id, key: key, problem: problem) }
        guard let saved = state.metadata["built"]?.object, let h = saved["hidden"]?.number, let b = saved["batch"]?.number,
              case .bool(let p)? = saved["permute"], (4...1024).contains(h), (1...1024).contains(b) else {
            throw bad("built", "must give hidden 4-1024, batch 1-1024 and permute true/false")
        }
        let savedSeed = try CheckpointParts.seed(in: state)
        let savedShift = try CheckpointParts.integer("shift", in: state)
        guard (0...60).contains(savedShift) else { throw bad("shift", "must be 0-60") }
        guard let savedRate = state.metadata["lr"]?.number, (0.00001...1).contains(savedRate) else {
            throw bad("lr", "must be a learning rate in 0.00001...1")
        }
        let savedSteps = try CheckpointParts.integer("step", in: state)
        let savedMetrics = try StateCoding.metrics(from: state.metadata["metrics"], key: "metrics", lab: id)
        let savedSampler = try StateCoding.generator(from: state.metadata["sampler"], key: "sampler", lab: id)
        var savedPermutation: [Int]?
        if p {
            let window = dataset.train.beats.shape[1]
            let values = try state.tensor("permutation", shape: [window]).copyScalars().compactMap { StateCoding.int(Double($0), in: 0...(window - 1)) }
            guard values.count == window, values.sorted() == Array(0..<window) else {
                throw bad("permutation", "must hold each position 0-\(window - 1) once")
            }
            savedPermutation = values
        }
        var confusion: [[Int]]?
        if let rows = state.metadata["confusion"]?.array {
            // One row and one column per class, each count at most the number of test beats.
            let classes = inputs.classCount, beats = dataset.test.labels.count
            let counts = rows.map { $0.array?.compactMap { $0.number.flatMap { StateCoding.int($0, in: 0...beats) } } ?? [] }
            guard counts.count == classes, counts.allSatisfy({ $0.count == classes }),
                  zip(rows, counts).allSatisfy({ $0.array?.count == $1.count }) else {
                throw bad("confusion", "must be \(classes) rows of \(classes) whole counts from 0 to \(beats)")
            }
            confusion = counts
        }

        (hidden, batch, permute, shift, learningRate) = (Int(h), Int(b), p, savedShift, savedRate)
        reset(seed: savedSeed)
        if let savedPermutation, savedPermutation != inputs.permutation {
            inputs = BeatInputs(dataset: dataset, permutation: savedPermutation)
            try inputs.setShift(savedShift)
        }
        try CheckpointParts.load(&model, from: "model", in: state)
        try CheckpointParts.load(&optimizer, from: "optimizer", in: state, for: model)
        sampler = BatchSampler(generator: savedSampler)
        steps = savedSteps
        metrics = savedMetrics
        if let confusion, let loss = metrics.values("test_loss").last, let accuracy = metrics.values("test_accuracy").last {
            lastEvaluation = ClassifierEvaluation(loss: loss, accuracy: accuracy, confusion: confusion)
        }
    }
}
