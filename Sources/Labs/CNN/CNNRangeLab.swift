import CardioSim
import Course
import MLEngine
import TextPlot

/// `cnn-range`: the limitation of chapter 4. The same CNN family as `cnn-ecg` (see `CNNConfig`),
/// its head fixed as global average pooling and one Linear layer, asked whether the first and
/// the last beat of an 8-beat recording (2,000 samples) are of the same class.
///
/// Every unit of the last convolutional block sees a window of `receptive_field` samples (16 at
/// the defaults), far less than the 1,750 samples between the two beats that decide; the global
/// average pool then turns the whole recording into an average of local detections, roughly a
/// count of what was seen where it does not matter. The middle beats are drawn independently of
/// the label, so counts give almost nothing away (59% at the very best, from CardioSim's exact
/// enumeration), and the network stays near chance (50%) whatever it is trained for.
public struct CNNRangeLab: Lab {
    public static let labID = "cnn-range"
    /// Steps of the promise: after these, the default network is still near chance.
    public static let defaultStepBudget = 600
    /// An evaluation of the test recordings starts at step 1 and every this many steps, spread
    /// over the following steps (`evaluationChunk` recordings a step).
    public static let evaluationInterval = 25
    /// Test recordings measured per step while an evaluation is under way (split so that no
    /// step takes long).
    static let evaluationChunk = 50
    /// The recording the `window` panel shows changes every this many steps.
    public static let exampleInterval = 50
    static let batch = 32
    /// The default network: `cnn-ecg`'s family, narrower so that one step on 2,000 samples stays short.
    static let defaultConfig = CNNConfig(filters: 16, kernel: 5, layers: 2, pool: .max)

    public let id = CNNRangeLab.labID
    public let title = "A CNN compares the first and the last beat"
    public private(set) var seed: UInt64

    private var config = CNNRangeLab.defaultConfig
    private var learningRate = 0.001
    private var built: CNNConfig
    private let data: LongRangeDataset
    private let train: Tensor, test: Tensor
    private var model: Sequential
    private var optimizer: any Optimizer
    private var sampler: BatchSampler
    private var steps = 0
    private var evaluation: StagedEvaluation?
    public private(set) var metrics = Metrics()

    /// A lab on the "long-range" recipe (2,000 training and 500 test recordings).
    public init(seed: UInt64) {
        self.init(seed: seed, dataset: LongRangeData.recordings())
    }

    /// A lab on given recordings (tests use a few; nil falls back to the recipe), with an
    /// optional starting width.
    public init(seed: UInt64, dataset: LongRangeDataset?, filters: Int? = nil) {
        let data = dataset ?? LongRangeData.recordings() ?? LongRangeData.small()
        self.data = data
        self.seed = seed
        if let filters { config.filters = min(max(filters, CNNConfig.filterRange.lowerBound), CNNConfig.filterRange.upperBound) }
        built = config
        train = Self.channels(data.train.signals)
        test = Self.channels(data.test.signals)
        var generator = SeededGenerator(seed: seed)
        model = config.makeModel(classes: 2, generator: &generator)
        optimizer = OptimizerKind.adamw.make(learningRate: 0.001)
        sampler = BatchSampler(generator: generator)
        reset(seed: seed)
    }

    /// Recordings [N, length] as the network reads them: each standardised as `cnn-ecg`'s beats
    /// are, as [N, 1 channel, length].
    private static func channels(_ signals: Tensor) -> Tensor {
        BeatStandardization.rows(signals).reshaped([signals.shape[0], 1, signals.shape[1]])
    }

    // MARK: Hyperparameters

    public var parameters: [Hyperparameter] { Self.parameters(config: config, learningRate: learningRate) }

    public static var defaultParameters: [Hyperparameter] { parameters(config: defaultConfig, learningRate: 0.001) }

    private static func parameters(config: CNNConfig, learningRate: Double) -> [Hyperparameter] {
        [
            .logScale("filters", Double(config.filters), in: 1...64, factor: 2, integer: true, effect: .reset,
                      help: "filters (channels) in every convolutional layer"),
            .linear("kernel", Double(config.kernel), in: 3...15, step: 2, integer: true, effect: .reset,
                    help: "taps per filter (samples one filter covers at once)"),
            .linear("layers", Double(config.layers), in: 1...4, step: 1, integer: true, effect: .reset,
                    help: "convolutional blocks (conv, ReLU, pool) before the global average pool"),
            .choice("pool", config.pool.rawValue, among: CNNConfig.Pooling.allCases.map(\.rawValue), effect: .reset,
                    help: "pooling by 2 after each block: max, avg, or none"),
            .logScale("lr", learningRate, in: 0.00001...1, factor: 2, help: "AdamW learning rate"),
        ]
    }

    public mutating func set(_ name: String, to value: HyperValue) throws {
        let checked = try parameters.checked(name, value, lab: id)
        let number = checked.number.map { Int($0) }
        switch name {
        case "filters": config.filters = number ?? config.filters
        case "kernel": config.kernel = number ?? config.kernel
        case "layers": config.layers = number ?? config.layers
        case "pool": config.pool = checked.choice.flatMap(CNNConfig.Pooling.init(rawValue:)) ?? config.pool
        default:
            learningRate = checked.number ?? learningRate
            optimizer.learningRate = Float(learningRate)
        }
    }

    // MARK: Training

    public mutating func reset(seed: UInt64) {
        self.seed = seed
        built = config
        var generator = SeededGenerator(seed: seed)
        sampler = BatchSampler(generator: generator.split())
        model = built.makeModel(classes: 2, generator: &generator)
        optimizer = OptimizerKind.adamw.make(learningRate: learningRate)
        steps = 0
        evaluation = nil
        metrics = Metrics(series: ["train_loss", "test_loss", "test_accuracy", "test_step"].map { .init(name: $0) })
        metrics.set("receptive_field", Double(built.receptiveField))
    }

    public mutating func step() throws -> StepReport {
        let rows = sampler.indices(size: Self.batch, from: data.train.count)
        let labels = rows.map { data.train.labels[$0] }
        model.zeroGrad()
        let loss = try crossEntropy(logits: model(train.gathering(rows, alongAxis: 0)), labels: labels)
        loss.backward()
        optimizer.step(&model)
        steps += 1
        let value = Double(loss.item)
        metrics.append(value, to: "train_loss")
        // Measure the test set a chunk a step, on the weights frozen when the evaluation began.
        if evaluation == nil && (steps == 1 || steps % Self.evaluationInterval == 0) {
            evaluation = StagedEvaluation(model: model, step: steps, classes: 2)
        }
        if var running = evaluation {
            // The first one too: done whole, the 500 recordings of 2,000 samples made step 1 take
            // about 140 ms. Until it lands (step 10) the readout keeps `test_accuracy`'s place.
            let done = try running.advance(inputs: test, labels: data.test.labels, chunk: Self.evaluationChunk)
            evaluation = done == nil ? running : nil
            if let done {
                metrics.append(done.loss, to: "test_loss")
                metrics.append(done.accuracy, to: "test_accuracy")
                metrics.append(Double(running.step), to: "test_step")
            }
        }
        return StepReport(loss: value)
    }

    public var isFinite: Bool { MLPBuilder.isFinite(model) }

    public func divergenceHint() -> String? {
        "learning rate \(NumberText.format(learningRate)) is too high for AdamW here; lower lr (around 0.001 works) and press r"
    }

    // MARK: What the panels read

    /// The network as built at the last reset.
    public var architecture: (filters: Int, kernel: Int, layers: Int, pool: String) {
        (built.filters, built.kernel, built.layers, built.pool.rawValue)
    }

    /// Per windowed layer: its name and the input samples one of its units sees.
    public var receptiveFields: [(name: String, samples: Int)] {
        model.receptiveFields.map { ($0.name, $0.field.size) }
    }

    /// The test recording the `window` panel shows now: it changes every `exampleInterval` steps.
    public var exampleIndex: Int {
        (steps / Self.exampleInterval) * 7919 % max(data.test.count, 1)
    }

    /// Samples in one recording.
    public var length: Int { data.config.length }

    /// The test steps whose evaluation is finished, and whether one is under way.
    public var evaluating: Bool { evaluation != nil }

    // MARK: Panels

    public var panelIDs: [String] { CNNRangeLab.panelNames }
    public static let panelNames = ["loss", "accuracy", "window", "field"]

    public func panel(_ id: String) -> Panel? {
        switch id {
        case "loss":
            let chart = LineChartSpec(series: [
                LineSeries(name: "train", values: metrics.values("train_loss"), x: metrics.measurementIndices("train_loss")),
                LineSeries(name: "test", values: metrics.values("test_loss"), x: metrics.values("test_step")),
            ], smoothing: 0.9)
            return Panel(title: "Loss (cross-entropy; chance is 0.69)", content: .lineChart(chart))
        case "accuracy":
            return MetricChart.panel(title: "Test accuracy: same class at both ends?", metrics: metrics,
                                     series: ["test_accuracy"], labels: ["test"], x: "test_step",
                                     target: TargetLine(0.5, label: "chance"), yRange: 0...1)
        case "window": return windowPanel()
        case "field": return CNNPanels.receptiveFieldTable(receptiveFields, samplingRate: data.config.samplingRate, window: length)
        default: return nil
        }
    }

    /// One test recording as a line, and under it, at the same scale, the two beats that decide
    /// the label and the window one unit of the last block sees when centred on each of them.
    private func windowPanel() -> Panel {
        let row = exampleIndex, n = length
        let signal = test.withUnsafeScalars { Array($0[(row * n)..<((row + 1) * n)]).map(Double.init) }
        let classes = data.test.beatClasses[row].map { data.classes[$0].rawValue }
        let peaks = data.test.rPeakIndices[row]
        let field = receptiveFields.last?.samples ?? 1
        let slot = data.config.samplesPerSlot
        let strip = CNNPanels.windowStrip(length: n, columns: 200, rows: [
            ("first/last", [0..<slot, (n - slot)..<n]),
            ("1 unit sees", [peaks[0], peaks[peaks.count - 1]].map { centre in
                Swift.max(0, centre - field / 2)..<Swift.min(n, centre - field / 2 + field)
            }),
        ])
        let answer = data.test.labels[row] == 1 ? "same" : "different"
        let line = LineChartSpec(series: [LineSeries(name: "recording", values: signal)], showLegend: false)
        return Panel(title: "One unit's window: \(field) of \(n) samples", content: .split([
            // 7 to 3: at 80x24 the panel has five rows inside, and the recording needs four of
            // them (its caption and three for the chart) or it is not drawn at all; the strip
            // then gets one row, its two bands as the two halves of each cell.
            PanelPart(.lineChart(line), weight: 7,
                      caption: "test #\(row): \(classes.first ?? "?") ... \(classes.last ?? "?") (\(answer))"),
            PanelPart(.heatmap(strip), weight: 3, caption: "first and last beat; one unit's window on each"),
        ], direction: .rows))
    }

    // MARK: Checkpoints

    public func snapshot() -> LabState {
        var tensors: [String: Tensor] = [:]
        CheckpointParts.store(model, as: "model", into: &tensors)
        CheckpointParts.store(optimizer, as: "optimizer", into: &tensors)
        var metadata: [String: JSONValue] = [
            "seed": .string(String(seed)),
            "step": .number(Double(steps)),
            "built": CNNPanels.json(built),
            "lr": .number(learningRate),
            "sampler": StateCoding.json(sampler.generator),
            "metrics": StateCoding.json(metrics),
        ]
        evaluation?.store(into: &tensors, metadata: &metadata)
        return LabState(labID: id, tensors: tensors, metadata: metadata)
    }

    public mutating func restore(_ state: LabState) throws {
        try state.expect(lab: id)
        let savedConfig = try CNNPanels.config(from: state, lab: id)
        let savedSeed = try CheckpointParts.seed(in: state)
        guard let savedRate = state.metadata["lr"]?.number, (0.00001...1).contains(savedRate) else {
            throw LabStateError.badMetadata(lab: id, key: "lr", problem: "must be a learning rate in 0.00001...1")
        }
        let savedSteps = try CheckpointParts.integer("step", in: state)
        let savedMetrics = try StateCoding.metrics(from: state.metadata["metrics"], key: "metrics", lab: id)
        let savedSampler = try StateCoding.generator(from: state.metadata["sampler"], key: "sampler", lab: id)

        (config, learningRate) = (savedConfig, savedRate)
        reset(seed: savedSeed)
        try CheckpointParts.load(&model, from: "model", in: state)
        try CheckpointParts.load(&optimizer, from: "optimizer", in: state, for: model)
        evaluation = try StagedEvaluation.restore(from: state, shape: model, classes: 2, examples: data.test.count)
        sampler = BatchSampler(generator: savedSampler)
        steps = savedSteps
        metrics = savedMetrics
    }
}
