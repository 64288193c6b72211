import CardioSim
import Course
import Foundation
import MLEngine
import TextPlot

/// `vit-beats`: the classification rows of chapter 10's map, trained on one shared task,
/// "beats-hard" (five classes, every beat moved by up to 40 samples, noisy, wandering).
///
/// The `model` switch picks the row: `logistic` (one linear layer) and `mlp` (one hidden layer)
/// with cross-entropy and plain SGD, the map's conceptual tier; `vit` (a vision transformer:
/// patches, a class token, chapter 6's encoder blocks) with cross-entropy and AdamW, its frontier
/// tier. Each beat is standardised on its own first (`BeatStandardization`), the same for every
/// row. An MLP reads sample 90 through its own weights: a QRS complex at sample 60 in one beat
/// and 120 in the next is two different patterns it has to learn apart. The transformer embeds
/// every patch with the same weights and lets attention find the patches that matter wherever
/// they sit.
///
/// A run stops at `stepBudget`; the last finished run of each row stays on the `comparison`
/// panel (and as a line on the accuracy chart), so after running the rows one after another the
/// three numbers stand side by side. The test set is measured a slice per step on a frozen copy
/// (`StagedEvaluation`), except at the budget, which measures it at once so a run ends with its
/// final figure.
public struct VisionTransformerLab: Lab {
    public static let labID = "vit-beats"
    public static let labTitle = "The map's classification rows: logistic, MLP and ViT on shifted beats"
    public static let panelNames = ["comparison", "accuracy", "loss", "attention", "confusion"]
    /// Steps in a run: the session pauses here (checked at seeds 1-3 by `.ci/promises/ch10-vit.sh`).
    public static let stepBudget = 600
    static let batch = 64
    /// The test set is measured after the first step and every this many steps.
    static let evaluationInterval = 25
    /// Test beats a step measures while an evaluation is under way: 8 steps for the 1,000, so
    /// an evaluating step costs about twice a plain one (about 14 ms in release), not six times.
    static let evaluationChunk = 125
    /// AdamW's learning rate climbs linearly to `adamw_lr` over these first steps.
    static let warmupSteps = 50
    /// The attention panel is redrawn every this many steps.
    static let mapInterval = 10
    /// The hard beats' R peak sits at this sample before its shift.
    static let centre = 90

    public var id: String { Self.labID }
    public var title: String { Self.labTitle }
    public private(set) var seed: UInt64

    struct Settings: Equatable {
        var model = ClassificationModel.vit
        var shape = VisionTransformerShape()
        var sgdRate = 0.1
        var adamwRate = 0.001
        var example = 1
    }
    private var settings = Settings()
    private var built = Settings()

    let dataset: BeatDataset
    /// Standardised beats [N, window].
    private let train: Tensor, test: Tensor
    private(set) var model: Sequential
    private var optimizer: any Optimizer
    private var sampler: BatchSampler
    private(set) var steps = 0
    public private(set) var metrics = Metrics()
    private var evaluation: StagedEvaluation?
    private var lastEvaluation: ClassifierEvaluation?
    private(set) var attention: ClassTokenAttention?
    /// The last run of each row that reached the budget: kept across resets, so the rows compare.
    private(set) var finishedRuns: [ClassificationModel: FinishedRun] = [:]

    /// One row's result at the end of its budget.
    struct FinishedRun: Equatable {
        var accuracy: Double
        var seed: UInt64
        var steps: Int
    }

    /// A lab on the "beats-hard" recipe (simulated once per process).
    public init(seed: UInt64) {
        self.init(seed: seed, dataset: LabData.beatsHard())
    }

    /// A lab on a given beat data set (tests use small ones); nil falls back to the recipe.
    init(seed: UInt64, dataset: BeatDataset?) {
        let data = dataset ?? LabData.beatsHard() ?? BeatClassifierLab.emergencyDataset()
        self.dataset = data
        self.seed = seed
        train = BeatStandardization.rows(data.train.beats)
        test = BeatStandardization.rows(data.test.beats)
        var generator = SeededGenerator(seed: seed)
        model = ClassificationModel.logistic.make(window: data.train.beats.shape[1], classes: data.classes.count,
                                                  vit: VisionTransformerShape(), generator: &generator)
        optimizer = OptimizerKind.sgd.make(learningRate: 0.1)
        sampler = BatchSampler(generator: generator)
        reset(seed: seed)
    }

    var window: Int { dataset.train.beats.shape[1] }
    var classNames: [String] { dataset.classes.map(\.rawValue) }

    // MARK: Hyperparameters

    public var parameters: [Hyperparameter] { Self.parameters(settings, testCount: dataset.test.count) }

    /// The defaults, for the catalogue (building the lab simulates the beats).
    public static var defaultParameters: [Hyperparameter] {
        parameters(Settings(), testCount: BuiltInRecipes.recipe(named: "beats-hard").flatMap { recipe in
            if case .beats(let config) = recipe.parameters { return config.testCount }
            return nil
        } ?? 1)
    }

    /// Patch sizes that cut a 250-sample beat into whole patches.
    static let patchSizes = ["5", "10", "25", "50", "125"]

    static func parameters(_ s: Settings, testCount: Int) -> [Hyperparameter] {
        [
            .choice("model", s.model.rawValue, among: ClassificationModel.names, effect: .reset,
                    help: "the map row to train: logistic (CE -> SGD), mlp (CE -> SGD), vit (CE -> AdamW)"),
            .choice("patch", String(s.shape.patch), among: patchSizes, effect: .reset,
                    help: "ViT: samples per patch (one token each); 10 cuts a beat into 25 patches"),
            .logScale("width", Double(s.shape.width), in: 16...128, factor: 2, integer: true, effect: .reset,
                      help: "ViT: numbers per token (the model width)"),
            .linear("layers", Double(s.shape.layers), in: 1...4, step: 1, integer: true, effect: .reset,
                    help: "ViT: encoder blocks (attention + MLP, each with a residual path)"),
            .logScale("sgd_lr", s.sgdRate, in: 0.0001...1, factor: 2, help: "SGD learning rate of the logistic and mlp rows"),
            .logScale("adamw_lr", s.adamwRate, in: 0.00001...0.01, factor: 2,
                      help: "AdamW learning rate of the vit row, after a warmup of \(warmupSteps) steps"),
            .linear("example", Double(s.example), in: 1...Double(max(testCount, 1)), step: 1, integer: true,
                    help: "which test beat the attention panel shows"),
        ]
    }

    public mutating func set(_ name: String, to value: HyperValue) throws {
        let checked = try parameters.checked(name, value, lab: id)
        let number = checked.number ?? 0
        switch name {
        case "model": settings.model = checked.choice.flatMap(ClassificationModel.init(rawValue:)) ?? settings.model
        case "patch": settings.shape.patch = checked.choice.flatMap { Int($0) } ?? settings.shape.patch
        case "width": settings.shape.width = Int(number)
        case "layers": settings.shape.layers = Int(number)
        case "sgd_lr":
            settings.sgdRate = number
            optimizer.learningRate = learningRate(atStep: steps)
        case "adamw_lr":
            settings.adamwRate = number
            optimizer.learningRate = learningRate(atStep: steps)
        default:
            settings.example = Int(number)
            drawAttention()
        }
    }

    // MARK: Training

    public mutating func reset(seed: UInt64) {
        self.seed = seed
        built = settings
        var generator = SeededGenerator(seed: seed)
        sampler = BatchSampler(generator: generator.split())
        model = built.model.make(window: window, classes: dataset.classes.count, vit: built.shape, generator: &generator)
        optimizer = built.model == .vit ? OptimizerKind.adamw.make(learningRate: built.adamwRate)
                                        : OptimizerKind.sgd.make(learningRate: built.sgdRate)
        steps = 0
        optimizer.learningRate = learningRate(atStep: 0)
        evaluation = nil
        lastEvaluation = nil
        metrics = Metrics(series: ["train_loss", "test_loss", "test_accuracy", "test_step"].map { .init(name: $0) })
        metrics.set("parameters", Double(model.parameterCount))
        drawAttention()
    }

    /// SGD runs at its rate throughout; AdamW warms up first (see `WarmupSchedule`).
    private func learningRate(atStep step: Int) -> Float {
        guard built.model == .vit else { return Float(settings.sgdRate) }
        return WarmupSchedule(peak: Float(settings.adamwRate), warmupSteps: Self.warmupSteps).learningRate(atStep: step)
    }

    public mutating func step() throws -> StepReport {
        optimizer.learningRate = learningRate(atStep: steps)
        let rows = sampler.indices(size: Self.batch, from: dataset.train.count)
        let labels = rows.map { dataset.train.labels[$0] }
        model.zeroGrad()
        let loss = try crossEntropy(logits: model(train.gathering(rows, alongAxis: 0)), labels: labels)
        loss.backward()
        optimizer.step(&model)
        steps += 1
        let value = Double(loss.item)
        metrics.append(value, to: "train_loss")

        let done = steps == Self.stepBudget
        if steps == 1 || steps % Self.evaluationInterval == 0 || done {
            // A new evaluation replaces one under way only after finishing it: each is recorded.
            try finishEvaluation()
            evaluation = StagedEvaluation(model: model, step: steps, classes: dataset.classes.count)
        }
        if done { try finishEvaluation() } else { try advanceEvaluation() }
        if done, let accuracy = lastEvaluation?.accuracy {
            finishedRuns[built.model] = FinishedRun(accuracy: accuracy, seed: seed, steps: steps)
        }
        if steps == 1 || steps % Self.mapInterval == 0 || done { drawAttention() }
        return StepReport(loss: value, finished: done,
                          note: done ? "vit-beats: the budget of \(Self.stepBudget) steps is spent; Space trains on" : nil)
    }

    private mutating func advanceEvaluation() throws {
        guard var running = evaluation else { return }
        let result = try running.advance(inputs: test, labels: dataset.test.labels, chunk: Self.evaluationChunk)
        evaluation = result == nil ? running : nil
        if let result { record(result, step: running.step) }
    }

    private mutating func finishEvaluation() throws {
        while evaluation != nil { try advanceEvaluation() }
    }

    private mutating func record(_ result: ClassifierEvaluation, step: Int) {
        lastEvaluation = result
        metrics.append(result.loss, to: "test_loss")
        metrics.append(result.accuracy, to: "test_accuracy")
        metrics.append(Double(step), to: "test_step")
    }

    /// The transformer inside the model, when the ViT row is built.
    var transformer: VisionTransformer? { model["vit"] as? VisionTransformer }

    /// The test beat the attention panel shows (0-based).
    var exampleIndex: Int { min(max(settings.example, 1), dataset.test.count) - 1 }

    /// Runs the example beat through the transformer and keeps the class token's attention.
    private mutating func drawAttention() {
        guard let vit = transformer, dataset.test.count > 0 else { attention = nil; return }
        let beat = test.slice(alongAxis: 0, exampleIndex..<(exampleIndex + 1))
        let weights = withNoGrad { vit.attend(beat).weights }
        attention = ClassTokenAttention(weights: weights, patchSize: vit.patchSize, step: steps)
    }

    public var isFinite: Bool { MLPBuilder.isFinite(model) }

    public func divergenceHint() -> String? {
        built.model == .vit
            ? "AdamW's learning rate \(NumberText.format(settings.adamwRate)) is too high here; lower adamw_lr (0.001 works) and press r"
            : "SGD's learning rate \(NumberText.format(settings.sgdRate)) is too high for \(built.model.rawValue); lower sgd_lr (0.1 works) and press r"
    }

    // MARK: Panels

    public var panelIDs: [String] { Self.panelNames }

    /// Counts from the last evaluation: row = true class, column = predicted class.
    var confusionMatrix: [[Int]] {
        lastEvaluation?.confusion ?? Array(repeating: Array(repeating: 0, count: classNames.count), count: classNames.count)
    }

    public func panel(_ id: String) -> Panel? {
        switch id {
        case "comparison": return comparisonPanel()
        case "accuracy":
            // The other rows' finished runs as flat lines across the run's steps: the numbers to
            // beat, on the same axes (drawn over steps, not over measurement indices).
            let end = Double(max(steps, Self.evaluationInterval))
            let others = ClassificationModel.allCases.filter { $0 != built.model }.compactMap { row in
                finishedRuns[row].map { LineSeries(name: "\(row.rawValue) \(Self.percent($0.accuracy))",
                                                   values: [$0.accuracy, $0.accuracy], x: [0, end]) }
            }
            let chart = LineChartSpec(series: [LineSeries(name: built.model.rawValue, values: metrics.values("test_accuracy"),
                                                          x: metrics.values("test_step"))] + others, yRange: 0...1)
            return Panel(title: "Test accuracy: \(built.model.rawValue) (\(built.model.recipe))", content: .lineChart(chart))
        case "loss":
            let chart = LineChartSpec(series: [
                LineSeries(name: "train", values: metrics.values("train_loss"), x: metrics.measurementIndices("train_loss")),
                LineSeries(name: "test", values: metrics.values("test_loss"), x: metrics.values("test_step")),
            ], yScale: .logarithmic, smoothing: 0.9)
            return Panel(title: "Loss (cross-entropy): \(built.model.rawValue)", content: .lineChart(chart))
        case "attention": return attentionPanel()
        case "confusion":
            let spec = HeatmapSpec(rows: classNames.count, columns: classNames.count,
                                   values: confusionMatrix.flatMap { $0.map(Double.init) }, palette: .sequential,
                                   rowLabels: classNames, columnLabels: classNames, showValues: true, showColorBar: false)
            return Panel(title: "Confusion (\(built.model.rawValue)): true rows, predicted columns", content: .heatmap(spec))
        default: return nil
        }
    }

    static func percent(_ x: Double) -> String { String(format: "%.1f%%", 100 * x) }

    /// The three rows, each with its last finished run; the row training now shows its latest
    /// measurement until it finishes.
    private func comparisonPanel() -> Panel {
        let rows = ClassificationModel.allCases.map { row -> [String] in
            let name = row.displayName
            if let run = finishedRuns[row], !(row == built.model && steps < Self.stepBudget) {
                return [name, row.recipe, Self.percent(run.accuracy), "\(run.steps)", "\(run.seed)"]
            }
            if row == built.model {
                // The run under way: its latest measurement, marked as not final.
                let now = metrics.latest("test_accuracy").map { Self.percent($0) + " ..." } ?? "-"
                return [name, row.recipe, now, "\(steps)", "\(seed)"]
            }
            return [name, row.recipe, "model=\(row.rawValue)", "-", "-"]
        }
        let current = ClassificationModel.allCases.firstIndex(of: built.model) ?? 0
        let table = TableSpec(headers: ["row", "loss -> opt", "test acc", "steps", "seed"], rows: rows,
                              alignments: [.left, .left, .right, .right, .right], highlightedRows: [current],
                              importance: [4, 2, 5, 1, 0])
        return Panel(title: "Map rows on beats-hard (\(Self.stepBudget) steps each)", content: .table(table))
    }

    /// The example beat as a line, and under it each head's attention from the class token to
    /// the patches, one row per head, the patches left to right along the same beat.
    private func attentionPanel() -> Panel {
        let index = exampleIndex
        let beat = test.withUnsafeScalars { Array($0[(index * window)..<((index + 1) * window)]).map(Double.init) }
        let truth = classNames[dataset.test.labels[index]]
        let offset = dataset.test.rPeakIndices[index] - Self.centre
        let line = LineChartSpec(series: [LineSeries(name: "beat", values: beat)], showLegend: false)
        let heading = "test beat \(index + 1): \(truth), R peak \(offset >= 0 ? "+" : "")\(offset) samples"
        guard let attention else {
            return Panel(title: "Class-token attention: ViT only (model=vit)", content: .split([
                PanelPart(.lineChart(line), weight: 2, caption: heading),
                PanelPart(.text("The \(built.model.displayName) has no attention: every sample has its own weight. Set model=vit and press r."),
                          weight: 1),
            ], direction: .rows))
        }
        return Panel(title: "Class-token attention, last layer, step \(attention.step)", content: .split([
            PanelPart(.lineChart(line), weight: 2, caption: heading),
            PanelPart(.heatmap(attention.heatmap()), weight: 2,
                      caption: "rows: heads, columns: \(attention.patches) patches of \(attention.patchSize) samples"),
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
            "built": StateCoding.json(Self.parameters(built, testCount: dataset.test.count)),
            "settings": StateCoding.json(parameters),
            "sampler": StateCoding.json(sampler.generator),
            "metrics": StateCoding.json(metrics),
            "finished_runs": .object(Dictionary(uniqueKeysWithValues: finishedRuns.map { row, run in
                (row.rawValue, JSONValue.object(["accuracy": StateCoding.json(run.accuracy), "seed": .string(String(run.seed)),
                                                 "steps": .number(Double(run.steps))]))
            })),
        ]
        evaluation?.store(into: &tensors, metadata: &metadata)
        ClassifierEvaluation.storeConfusion(of: lastEvaluation, into: &metadata)
        return LabState(labID: id, tensors: tensors, metadata: metadata)
    }

    public mutating func restore(_ state: LabState) throws {
        try state.expect(lab: id)
        func bad(_ key: String, _ problem: String) -> LabStateError { .badMetadata(lab: id, key: key, problem: problem) }
        let savedSeed = try CheckpointParts.seed(in: state)
        let savedSteps = try CheckpointParts.integer("step", in: state)
        guard savedSteps >= 0 else { throw bad("step", "must not be negative") }
        let savedSampler = try StateCoding.generator(from: state.metadata["sampler"], key: "sampler", lab: id)
        let savedMetrics = try StateCoding.metrics(from: state.metadata["metrics"], key: "metrics", lab: id)
        var runs: [ClassificationModel: FinishedRun] = [:]
        for (name, value) in state.metadata["finished_runs"]?.object ?? [:] {
            guard let row = ClassificationModel(rawValue: name), let fields = value.object,
                  let accuracy = fields["accuracy"]?.number, (0...1).contains(accuracy),
                  let runSeed = fields["seed"]?.string.flatMap({ UInt64($0) }),
                  let runSteps = fields["steps"]?.number.flatMap({ StateCoding.int($0, in: 0...CheckpointParts.maximumInteger) }) else {
                throw bad("finished_runs", "each row needs an accuracy in 0...1, a seed and a step count")
            }
            runs[row] = FinishedRun(accuracy: accuracy, seed: runSeed, steps: runSteps)
        }
        let savedEvaluation = try ClassifierEvaluation.restored(from: state, metrics: savedMetrics, classes: classNames.count,
                                                                examples: dataset.test.count)

        var copy = try CheckpointParts.rebuild(self, from: state, seed: savedSeed)
        try CheckpointParts.load(&copy.model, from: "model", in: state)
        try CheckpointParts.load(&copy.optimizer, from: "optimizer", in: state, for: copy.model)
        copy.evaluation = try StagedEvaluation.restore(from: state, shape: copy.model, classes: classNames.count,
                                                       examples: dataset.test.count)
        copy.sampler = BatchSampler(generator: savedSampler)
        copy.steps = savedSteps
        copy.optimizer.learningRate = copy.learningRate(atStep: savedSteps)
        copy.metrics = savedMetrics
        copy.finishedRuns = runs
        copy.lastEvaluation = savedEvaluation
        copy.drawAttention()
        self = copy
    }
}
