import CardioSim
import Course
import MLEngine
import TextPlot

/// `cnn-ecg`: a small convolutional network names a heartbeat's class among five, on the very
/// beats and split `mlp-ecg` uses (see `CNNConfig` for the network).
///
/// Each beat is standardised on its own (`BeatStandardization`: mean 0, standard deviation 1)
/// before the network reads it. Its filters slide along the beat, so a QRS complex found at
/// sample 90 is found at sample 120 too, and global average pooling forgets where: `shift=N` (test beats moved N samples later,
/// live, evaluation only) costs it little, where the same shift ruins the MLP. It needs about a
/// third of the MLP's weights for it, because every position shares the same filters.
public struct CNNBeatLab: Lab {
    public static let labID = "cnn-ecg"
    /// Steps within which the default configuration reaches 95% test accuracy (checked in
    /// release by `.ci/promises/ch4.sh`; the unit tests use a small network).
    public static let defaultStepBudget = 800
    /// An evaluation of the test set starts after the first step and every this many steps; it
    /// is spread over the following steps (`StagedEvaluation`), `evaluationChunk` beats a step.
    /// The example shown in the `maps` panel changes every this many steps.
    public static let exampleInterval = 50
    /// Test beats measured per step while an evaluation is under way (the 1,000 test beats take
    /// 8 steps, so no step is slow).
    static let evaluationChunk = 125
    public static let evaluationInterval = 20
    static let batch = 64

    public let id = CNNBeatLab.labID
    public let title = "A CNN classifies heartbeats"
    public private(set) var seed: UInt64

    // Settings: filters, kernel, layers and pool at the next reset; lr, shift, map and filter live.
    private var config = CNNConfig()
    private var learningRate = 0.001
    private var shift = 0
    private var mapLayer = 1
    private var shownFilter = 0

    private var built: CNNConfig
    let dataset: BeatDataset
    private(set) var inputs: BeatInputs
    /// The beats as the network reads them: [N, 1, window], each standardised.
    private let train: Tensor
    private var test: Tensor
    private(set) var model: Sequential
    private var optimizer: any Optimizer
    private var sampler: BatchSampler
    private(set) var steps = 0
    /// The learner's recording as this model classified it (`:data NAME`); not part of a
    /// checkpoint: it is the learner's file, read again on request.
    var importedView: ImportedBeatView?
    private var lastEvaluation: ClassifierEvaluation?
    private var evaluation: StagedEvaluation?
    public private(set) var metrics = Metrics()
    /// `mlp-ecg`'s parameter count at its default size, for the weight-sharing comparison.
    public let mlpParameterCount: Int

    /// A lab on the "beats" recipe (generated here: about 5000 beats), the data of `mlp-ecg`.
    public init(seed: UInt64) {
        self.init(seed: seed, dataset: LabData.beats())
    }

    /// A lab on a given beat data set (tests share one; nil falls back to the recipe), with an
    /// optional starting network (tests use small ones; the settings stay in range).
    public init(seed: UInt64, dataset: BeatDataset?, filters: Int = 64, layers: Int = 2) {
        let data = dataset ?? LabData.beats() ?? BeatClassifierLab.emergencyDataset()
        self.dataset = data
        self.seed = seed
        config.filters = min(max(filters, CNNConfig.filterRange.lowerBound), CNNConfig.filterRange.upperBound)
        config.layers = min(max(layers, CNNConfig.layerRange.lowerBound), CNNConfig.layerRange.upperBound)
        built = config
        inputs = BeatInputs(dataset: data, permutation: nil)
        train = Self.channels(inputs.train)
        test = Self.channels(inputs.test)
        var generator = SeededGenerator(seed: seed)
        model = config.makeModel(classes: inputs.classCount, generator: &generator)
        optimizer = OptimizerKind.adamw.make(learningRate: 0.001)
        sampler = BatchSampler(generator: generator)
        var mlpGenerator = SeededGenerator(seed: 0)
        mlpParameterCount = MLPBuilder.make(inputs: inputs.window, hidden: 256, layers: 1, outputs: inputs.classCount,
                                            activation: .relu, generator: &mlpGenerator).parameterCount
        reset(seed: seed)
    }

    // MARK: Hyperparameters

    public var parameters: [Hyperparameter] {
        Self.parameters(config: config, learningRate: learningRate, shift: shift, mapLayer: mapLayer, filter: shownFilter)
    }

    /// The hyperparameters at their defaults, without generating any data.
    public static var defaultParameters: [Hyperparameter] {
        parameters(config: CNNConfig(), learningRate: 0.001, shift: 0, mapLayer: 1, filter: 0)
    }

    private static func parameters(config: CNNConfig, learningRate: Double, shift: Int, mapLayer: Int, filter: Int) -> [Hyperparameter] {
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
            .linear("shift", Double(shift), in: 0...60, step: 5, integer: true,
                    help: "move the test beats this many samples later (4 ms each); training beats stay put"),
            .linear("map", Double(mapLayer), in: 1...4, step: 1, integer: true,
                    help: "which layer's feature maps the maps panel shows"),
            .linear("filter", Double(filter), in: 0...63, step: 1, integer: true,
                    help: "which first-layer filter the filters panel draws as a line"),
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
        case "lr":
            learningRate = checked.number ?? learningRate
            optimizer.learningRate = Float(learningRate)
        case "map": mapLayer = number ?? mapLayer
        case "filter": shownFilter = number ?? shownFilter
        default:
            let samples = number ?? 0
            try inputs.setShift(samples)
            test = Self.channels(inputs.test)
            shift = samples
            // Evaluation only: the weights are untouched, so measure again at once (a key press,
            // not a training step: it may take a moment).
            if steps > 0 { try evaluate() }
        }
    }

    // MARK: Training

    public mutating func reset(seed: UInt64) {
        self.seed = seed
        built = config
        var generator = SeededGenerator(seed: seed)
        sampler = BatchSampler(generator: generator.split())
        model = built.makeModel(classes: inputs.classCount, generator: &generator)
        optimizer = OptimizerKind.adamw.make(learningRate: learningRate)
        steps = 0
        lastEvaluation = nil
        evaluation = nil
        metrics = Metrics(series: ["train_loss", "test_loss", "test_accuracy", "test_step"].map { .init(name: $0) })
        metrics.set("receptive_field", Double(built.receptiveField))
        metrics.set("parameters", Double(model.parameterCount))
    }

    /// Beats [N, window] as the network reads them: each standardised, as [N, 1 channel, window].
    static func channels(_ beats: Tensor) -> Tensor {
        BeatStandardization.rows(beats).reshaped([beats.shape[0], 1, beats.shape[1]])
    }

    public mutating func step() throws -> StepReport {
        let rows = sampler.indices(size: Self.batch, from: inputs.trainLabels.count)
        let batchInputs = train.gathering(rows, alongAxis: 0)
        let labels = rows.map { inputs.trainLabels[$0] }
        model.zeroGrad()
        let loss = try crossEntropy(logits: model(batchInputs), labels: labels)
        loss.backward()
        optimizer.step(&model)
        steps += 1
        let value = Double(loss.item)
        metrics.append(value, to: "train_loss")
        // Measure the test set a chunk a step, on the weights frozen when the evaluation began.
        if evaluation == nil && (steps == 1 || steps % Self.evaluationInterval == 0) {
            evaluation = StagedEvaluation(model: model, step: steps, classes: inputs.classCount)
        }
        if var running = evaluation {
            let done = try running.advance(inputs: test, labels: inputs.testLabels, chunk: Self.evaluationChunk)
            evaluation = done == nil ? running : nil
            if let done { record(done, step: running.step) }
        }
        return StepReport(loss: value)
    }

    /// Measures the whole test set now (after a change of shift) and records it. An evaluation
    /// under way is dropped: it was measuring the beats before the change.
    private mutating func evaluate() throws {
        evaluation = nil
        record(try ClassifierEvaluation.evaluate(model, inputs: test, labels: inputs.testLabels,
                                                 classes: inputs.classCount, chunk: Self.evaluationChunk), step: steps)
    }

    private mutating func record(_ result: ClassifierEvaluation, step: Int) {
        lastEvaluation = result
        metrics.append(result.loss, to: "test_loss")
        metrics.append(result.accuracy, to: "test_accuracy")
        metrics.append(Double(step), to: "test_step")
    }

    public var isFinite: Bool { MLPBuilder.isFinite(model) }

    public var completion: CompletionCondition? {
        CompletionCondition(metric: "test_accuracy", .atLeast, 0.95, description: "test accuracy reached 95%")
    }

    public func divergenceHint() -> String? {
        "learning rate \(NumberText.format(learningRate)) is too high for AdamW here; lower lr (around 0.001 works) and press r"
    }

    // MARK: What the panels read

    /// The network as built at the last reset.
    public var architecture: (filters: Int, kernel: Int, layers: Int, pool: String) {
        (built.filters, built.kernel, built.layers, built.pool.rawValue)
    }

    /// The test beat the `maps` panel shows now: it changes every `exampleInterval` steps.
    public var exampleIndex: Int {
        (steps / Self.exampleInterval) * 7919 % max(inputs.testLabels.count, 1)
    }

    /// The example beat as the network receives it (standardised; shifted when `shift` is set).
    public var exampleInput: [Double] {
        let window = inputs.window, row = exampleIndex
        return test.withUnsafeScalars { Array($0[(row * window)..<((row + 1) * window)]).map(Double.init) }
    }

    /// The feature maps of the example beat after each block's ReLU: [filters, length] each.
    public var exampleFeatureMaps: [Tensor] {
        let beat = Tensor(shape: [1, 1, inputs.window], scalars: exampleInput.map(Float.init))
        return model.featureMaps(beat).map { $0.reshaped(Array($0.shape.dropFirst())) }
    }

    /// Counts from the last evaluation: row = true class, column = predicted class.
    public var confusionMatrix: [[Int]] {
        lastEvaluation?.confusion ?? Array(repeating: Array(repeating: 0, count: inputs.classCount), count: inputs.classCount)
    }

    public var classNames: [String] { inputs.classNames }

    /// The first layer's filters [filters, taps] (one input channel, so one row of taps each).
    public var firstLayerFilters: Tensor {
        guard let w = model.parameters.first(where: { $0.name == "conv1.weight" })?.value.detached() else { return Tensor(zeros: [0, 0]) }
        return w.reshaped([w.shape[0], w.shape[2]])
    }

    /// Per windowed layer: its name and the input samples one of its units sees.
    public var receptiveFields: [(name: String, samples: Int)] {
        model.receptiveFields.map { ($0.name, $0.field.size) }
    }

    // MARK: Panels

    public var panelIDs: [String] { CNNBeatLab.panelNames }
    public static let panelNames = ["loss", "accuracy", "confusion", "filters", "maps", "field", "parameters"]

    public func panel(_ id: String) -> Panel? {
        switch id {
        case "loss":
            let chart = LineChartSpec(series: [
                LineSeries(name: "train", values: metrics.values("train_loss"), x: metrics.measurementIndices("train_loss")),
                LineSeries(name: "test", values: metrics.values("test_loss"), x: metrics.values("test_step")),
            ], yScale: .logarithmic, smoothing: 0.9)
            return Panel(title: "Loss (cross-entropy)", content: .lineChart(chart))
        case "accuracy":
            let shiftNote = inputs.shift > 0 ? " (shift \(inputs.shift))" : ""
            return MetricChart.panel(title: "Test accuracy\(shiftNote)", metrics: metrics, series: ["test_accuracy"],
                                     labels: ["test"], x: "test_step", target: TargetLine(0.95, label: "goal"), yRange: 0...1)
        case "confusion":
            let names = classNames
            let spec = HeatmapSpec(rows: names.count, columns: names.count, values: confusionMatrix.flatMap { $0.map(Double.init) },
                                   palette: .sequential, rowLabels: names, columnLabels: names, showValues: true,
                                   showColorBar: false)
            return Panel(title: "Confusion: true (rows) vs predicted (columns)", content: .heatmap(spec))
        case "filters": return filtersPanel()
        case "maps": return mapsPanel()
        case "field": return CNNPanels.receptiveFieldTable(receptiveFields, samplingRate: dataset.config.beat.samplingRate,
                                                           window: inputs.window)
        case "parameters": return parametersPanel()
        case "data": return importedView?.panel
        default: return nil
        }
    }

    /// Layer-1 filters as a heatmap (one row per filter, one column per tap) and the selected
    /// filter as a small line under it.
    private func filtersPanel() -> Panel {
        let w = firstLayerFilters
        let (rows, taps) = (w.shape[0], w.shape[1])
        let values = w.copyScalars().map(Double.init)
        let chosen = min(shownFilter, max(rows - 1, 0))
        let bound = values.map(Swift.abs).max() ?? 1
        let map = HeatmapSpec(rows: rows, columns: taps, values: values, palette: .diverging,
                              range: -max(bound, 1e-6)...max(bound, 1e-6),
                              columnLabels: (0..<taps).map(String.init))
        let line = LineChartSpec(series: [LineSeries(name: "filter \(chosen)", values: Array(values[(chosen * taps)..<((chosen + 1) * taps)]))],
                                 showLegend: false)
        return Panel(title: "Layer-1 filters: \(rows) x \(taps) taps", content: .split([
            PanelPart(.heatmap(map), weight: 3, caption: "rows: filters, columns: taps"),
            PanelPart(.lineChart(line), weight: 2, caption: "filter \(chosen) (set filter=N)"),
        ], direction: .rows))
    }

    /// The example beat as a line, and one layer's feature maps as a heatmap under it (one row
    /// per filter, the positions stretched to the beat's width so they line up with it).
    private func mapsPanel() -> Panel {
        let maps = exampleFeatureMaps
        let layer = min(mapLayer, maps.count)
        let beat = LineChartSpec(series: [LineSeries(name: "beat", values: exampleInput)], showLegend: false)
        let truth = classNames[inputs.testLabels[exampleIndex]]
        guard layer >= 1 else { return Panel(title: "Test beat: \(truth)", content: .lineChart(beat)) }
        let chosen = maps[layer - 1]
        let (rows, length) = (min(chosen.shape[0], 32), chosen.shape[1])
        let values = chosen.withUnsafeScalars { Array($0[0..<(rows * length)]).map(Double.init) }
        let heat = HeatmapSpec(rows: rows, columns: length, values: values, palette: .sequential, showColorBar: false)
        let shifted = inputs.shift > 0 ? ", shifted \(inputs.shift)" : ""
        return Panel(title: "Feature maps, layer \(layer) of \(maps.count): \(truth)\(shifted)", content: .split([
            PanelPart(.lineChart(beat), weight: 1, caption: "test beat #\(exampleIndex) (standardised)"),
            PanelPart(.heatmap(heat), weight: 2, caption: "\(rows) channels x \(length) positions (set map=N)"),
        ], direction: .rows))
    }

    /// This network's weights beside `mlp-ecg`'s, layer by layer.
    private func parametersPanel() -> Panel {
        var rows = model.parameters.map { [$0.name, $0.value.shape.map(String.init).joined(separator: "x"), CNNPanels.grouped($0.value.count)] }
        rows.append(["cnn-ecg total", "", CNNPanels.grouped(model.parameterCount)])
        rows.append(["mlp-ecg total", "250-256-5", CNNPanels.grouped(mlpParameterCount)])
        let table = TableSpec(headers: ["tensor", "shape", "weights"], rows: rows, alignments: [.left, .left, .right],
                              highlightedRows: [rows.count - 2, rows.count - 1])
        return Panel(title: "Parameters: \(CNNPanels.grouped(model.parameterCount)) vs mlp-ecg's \(CNNPanels.grouped(mlpParameterCount))",
                     content: .table(table))
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
            "shift": .number(Double(inputs.shift)),
            "lr": .number(learningRate),
            "map": .number(Double(mapLayer)),
            "filter": .number(Double(shownFilter)),
            "sampler": StateCoding.json(sampler.generator),
            "metrics": StateCoding.json(metrics),
        ]
        evaluation?.store(into: &tensors, metadata: &metadata)
        ClassifierEvaluation.storeConfusion(of: lastEvaluation, into: &metadata)
        return LabState(labID: id, tensors: tensors, metadata: metadata)
    }

    public mutating func restore(_ state: LabState) throws {
        try state.expect(lab: id)
        func bad(_ key: String, _ problem: String) -> LabStateError { .badMetadata(lab: id, key: key, problem: problem) }
        let savedConfig = try CNNPanels.config(from: state, lab: id)
        let savedSeed = try CheckpointParts.seed(in: state)
        let savedShift = try CheckpointParts.integer("shift", in: state)
        guard (0...60).contains(savedShift) else { throw bad("shift", "must be 0-60") }
        guard let savedRate = state.metadata["lr"]?.number, (0.00001...1).contains(savedRate) else {
            throw bad("lr", "must be a learning rate in 0.00001...1")
        }
        let savedMap = try CheckpointParts.integer("map", in: state), savedFilter = try CheckpointParts.integer("filter", in: state)
        guard (1...4).contains(savedMap), (0...63).contains(savedFilter) else { throw bad("map", "map must be 1-4 and filter 0-63") }
        let savedSteps = try CheckpointParts.integer("step", in: state)
        let savedMetrics = try StateCoding.metrics(from: state.metadata["metrics"], key: "metrics", lab: id)
        let savedSampler = try StateCoding.generator(from: state.metadata["sampler"], key: "sampler", lab: id)
        let savedEvaluation = try ClassifierEvaluation.restored(from: state, metrics: savedMetrics, classes: inputs.classCount,
                                                                examples: inputs.testLabels.count)

        try inputs.setShift(savedShift)
        test = Self.channels(inputs.test)
        (config, shift, learningRate, mapLayer, shownFilter) = (savedConfig, savedShift, savedRate, savedMap, savedFilter)
        reset(seed: savedSeed)
        try CheckpointParts.load(&model, from: "model", in: state)
        try CheckpointParts.load(&optimizer, from: "optimizer", in: state, for: model)
        evaluation = try StagedEvaluation.restore(from: state, shape: model, classes: inputs.classCount,
                                                  examples: inputs.testLabels.count)
        sampler = BatchSampler(generator: savedSampler)
        steps = savedSteps
        metrics = savedMetrics
        lastEvaluation = savedEvaluation
    }
}
