import CardioSim
import Course
import MLEngine
import TextPlot

/// `focal`: chapter 2's MLP (250 -> hidden ReLU -> 5 logits, AdamW on random minibatches) on the
/// "beats-imbalanced" data: 98% of the training beats are normal, 25 of each rare class. The test
/// set holds 150 beats of each rare class, so `rare_recall` (the mean recall of pvc, afib, bbb
/// and ste) is a measurement, not a guess from a handful.
///
/// `loss` (ce, focal) and `gamma` are live: focal loss multiplies each beat's cross-entropy by
/// (1 - p)^gamma, p the probability the model gives the true class, so the thousands of easy
/// normal beats stop drowning out the rare ones. `alpha=on` weights each class by the inverse of
/// its training frequency instead (or as well): reweighting classes, where focusing reweights
/// examples, so the two can be shown apart.
public struct FocalLab: Lab {
    public static let labID = "focal"
    public static let labTitle = "Focal loss: rare heartbeats in a sea of normal ones"
    public static let panelNames = ["recall", "confusion", "weights", "curves"]
    /// Steps of a headless run (the promises of `.ci/promises/ch8.sh` hold at this budget).
    public static let stepBudget = 150
    /// The test set is measured every this many steps (and after the first and the last).
    public static let evaluationInterval = 10
    /// Decade bins of the loss-weight panel: below 0.001, ..., 1 and above.
    static let weightBinEdges: [Float] = [0.001, 0.01, 0.1, 1]
    static let weightBinLabels = ["<0.001", "0.001-0.01", "0.01-0.1", "0.1-1", ">=1"]

    public var id: String { Self.labID }
    public var title: String { Self.labTitle }
    public private(set) var seed: UInt64

    public enum LossKind: String, CaseIterable, Sendable { case ce, focal }
    public private(set) var loss = LossKind.ce
    private var gamma = 2.0
    private var alpha = false
    private var learningRate = 0.0003
    private var hidden = 256
    private var batch = 64

    private struct Built: Equatable { var hidden: Int, batch: Int }
    private var built = Built(hidden: 256, batch: 64)
    let dataset: BeatDataset
    private(set) var inputs: BeatInputs
    /// Inverse-frequency class weights of the training set, N / (classes * n_c): 1 on average
    /// over the training beats.
    let classWeights: [Float]
    private(set) var model: Sequential
    private var optimizer: any Optimizer
    private var sampler: BatchSampler
    private(set) var steps = 0
    /// What the last evaluation saw, drawn by the panels (kept in checkpoints).
    private(set) var evaluation = Evaluation.empty(classes: 5)
    public private(set) var metrics = Metrics()

    /// The last measurement of the test set.
    struct Evaluation: Equatable {
        /// Row = true class, column = predicted class.
        var confusion: [[Int]]
        /// Test beats per loss-weight bin (`weightBinLabels`): normal beats, then rare beats.
        var normalBins: [Int], rareBins: [Int]

        static func empty(classes: Int) -> Evaluation {
            Evaluation(confusion: Array(repeating: Array(repeating: 0, count: classes), count: classes),
                       normalBins: Array(repeating: 0, count: FocalLab.weightBinLabels.count),
                       rareBins: Array(repeating: 0, count: FocalLab.weightBinLabels.count))
        }

        var recalls: [Double] {
            confusion.indices.map { c in
                let total = confusion[c].reduce(0, +)
                return total == 0 ? 0 : Double(confusion[c][c]) / Double(total)
            }
        }
    }

    public init(seed: UInt64) {
        self.init(seed: seed, dataset: nil)
    }

    /// A lab on a given beat data set (tests pass a small one; nil uses the recipe).
    init(seed: UInt64, dataset: BeatDataset?) {
        let data = dataset ?? LabData.beatsImbalanced() ?? Self.emergencyDataset()
        self.dataset = data
        self.seed = seed
        inputs = BeatInputs(dataset: data, permutation: nil)
        let counts = (0..<data.classes.count).map { c in data.train.labels.lazy.filter { $0 == c }.count }
        classWeights = counts.map { Float(data.train.labels.count) / Float(data.classes.count * Swift.max($0, 1)) }
        var generator = SeededGenerator(seed: seed)
        model = MLPBuilder.make(inputs: inputs.window, hidden: hidden, layers: 1, outputs: inputs.classCount,
                                activation: .relu, generator: &generator)
        optimizer = OptimizerKind.adamw.make(learningRate: learningRate)
        sampler = BatchSampler(generator: generator)
        reset(seed: seed)
    }

    /// The built-in recipe always validates; this keeps the lab constructible even so.
    static func emergencyDataset() -> BeatDataset {
        // swiftlint:disable:next force_try
        try! BeatDataset.generate(BeatDatasetConfig(classFractions: [0.98, 0.005, 0.005, 0.005, 0.005], trainCount: 5000,
                                                    testCount: 1200, testClassFractions: [0.5, 0.125, 0.125, 0.125, 0.125]),
                                  seed: 43)
    }

    // MARK: Hyperparameters

    public var parameters: [Hyperparameter] {
        Self.parameters(loss: loss, gamma: gamma, alpha: alpha, learningRate: learningRate, hidden: hidden, batch: batch)
    }

    /// The hyperparameters at their defaults, without generating the beats (the catalogue's).
    public static var defaultParameters: [Hyperparameter] {
        parameters(loss: .ce, gamma: 2, alpha: false, learningRate: 0.0003, hidden: 256, batch: 64)
    }

    private static func parameters(loss: LossKind, gamma: Double, alpha: Bool, learningRate: Double, hidden: Int,
                                   batch: Int) -> [Hyperparameter] {
        [
            .choice("loss", loss.rawValue, among: LossKind.allCases.map(\.rawValue), effect: .live,
                    help: "ce: cross-entropy; focal: cross-entropy * (1 - p)^gamma, muting beats already right"),
            .linear("gamma", gamma, in: 0...5, step: 0.5,
                    help: "focal loss's focusing power (loss=focal only); 0 is plain cross-entropy"),
            .choice("alpha", alpha ? "on" : "off", among: ["off", "on"], effect: .live,
                    help: "on: weight each class by 1 / its training frequency (rare beats count ~40x, normal ~0.2x)"),
            .logScale("lr", learningRate, in: 0.00001...0.1, factor: 2, help: "AdamW learning rate"),
            .logScale("hidden", Double(hidden), in: 4...1024, factor: 2, integer: true, effect: .reset,
                      help: "hidden ReLU units"),
            .logScale("batch", Double(batch), in: 8...512, factor: 2, integer: true, effect: .reset,
                      help: "training beats per step"),
        ]
    }

    public mutating func set(_ name: String, to value: HyperValue) throws {
        let checked = try parameters.checked(name, value, lab: id)
        switch name {
        case "loss": loss = LossKind(rawValue: checked.choice!)!
        case "gamma": gamma = checked.number!
        case "alpha": alpha = checked.choice == "on"
        case "lr":
            learningRate = checked.number!
            optimizer.learningRate = Float(learningRate)
        case "hidden": hidden = Int(checked.number!)
        default: batch = Int(checked.number!)
        }
    }

    // MARK: Training

    public mutating func reset(seed: UInt64) {
        self.seed = seed
        built = Built(hidden: hidden, batch: batch)
        var generator = SeededGenerator(seed: seed)
        sampler = BatchSampler(generator: generator.split())
        model = MLPBuilder.make(inputs: inputs.window, hidden: hidden, layers: 1, outputs: inputs.classCount,
                                activation: .relu, generator: &generator)
        optimizer = OptimizerKind.adamw.make(learningRate: learningRate)
        steps = 0
        evaluation = .empty(classes: inputs.classCount)
        metrics = Metrics(series: ["train_loss", "test_accuracy", "rare_recall", "normal_weight", "rare_weight", "test_step"]
            .map { .init(name: $0) })
    }

    /// The focusing power in use: gamma under focal loss, 0 (plain cross-entropy) under ce.
    var effectiveGamma: Float { loss == .focal ? Float(gamma) : 0 }

    /// The weight each beat's cross-entropy gets, alpha_y (1 - p_y)^gamma, for beats of classes
    /// `labels` given true-class probabilities `probabilities`.
    func sampleWeights(probabilities: [Float], labels: [Int]) -> [Float] {
        zip(probabilities, labels).map { p, y in
            focalWeights(probabilities: [p], gamma: effectiveGamma, alpha: alpha ? classWeights[y] : 1)[0]
        }
    }

    public mutating func step() throws -> StepReport {
        let rows = sampler.indices(size: built.batch, from: inputs.trainLabels.count)
        let batchInputs = inputs.train.gathering(rows, alongAxis: 0)
        let labels = rows.map { inputs.trainLabels[$0] }
        model.zeroGrad()
        let value = try focalLoss(logits: model(batchInputs), labels: labels, gamma: effectiveGamma,
                                  alpha: alpha ? classWeights : nil)
        value.backward()
        optimizer.step(&model)
        steps += 1
        metrics.append(Double(value.item), to: "train_loss")
        // The session pauses at the budget, so the runs the lesson compares stop at the same step;
        // Space again trains on.
        let done = steps == Self.stepBudget
        if steps == 1 || steps % Self.evaluationInterval == 0 || done { try evaluate() }
        return StepReport(loss: Double(value.item), finished: done,
                          note: done ? "focal: the budget of \(Self.stepBudget) steps is spent; Space trains on" : nil)
    }

    /// Measures the test set: the confusion matrix, accuracy, rare recall, and each beat's loss
    /// weight under the current loss.
    private mutating func evaluate() throws {
        let classes = inputs.classCount
        let labels = inputs.testLabels
        let probabilities = withNoGrad { model(inputs.test).softmax(alongAxis: 1) }.copyScalars()
        var result = Evaluation.empty(classes: classes)
        var truthProbability = [Float](repeating: 0, count: labels.count)
        probabilities.withUnsafeBufferPointer { p in
            for (i, truth) in labels.enumerated() {
                let row = i * classes
                var best = 0
                for c in 1..<classes where p[row + c] > p[row + best] { best = c }
                result.confusion[truth][best] += 1
                truthProbability[i] = p[row + truth]
            }
        }
        let weights = sampleWeights(probabilities: truthProbability, labels: labels)
        var normalSum = 0.0, rareSum = 0.0, normalCount = 0, rareCount = 0
        for (w, truth) in zip(weights, labels) {
            let bin = Self.weightBinEdges.firstIndex { w < $0 } ?? Self.weightBinEdges.count
            if truth == 0 {
                result.normalBins[bin] += 1; normalSum += Double(w); normalCount += 1
            } else {
                result.rareBins[bin] += 1; rareSum += Double(w); rareCount += 1
            }
        }
        evaluation = result
        let right = (0..<classes).reduce(0) { $0 + result.confusion[$1][$1] }
        let recalls = result.recalls
        metrics.append(Double(right) / Double(Swift.max(labels.count, 1)), to: "test_accuracy")
        metrics.append(recalls.dropFirst().reduce(0, +) / Double(Swift.max(classes - 1, 1)), to: "rare_recall")
        metrics.append(normalSum / Double(Swift.max(normalCount, 1)), to: "normal_weight")
        metrics.append(rareSum / Double(Swift.max(rareCount, 1)), to: "rare_weight")
        metrics.append(Double(steps), to: "test_step")
    }

    public var isFinite: Bool { MLPBuilder.isFinite(model) }

    public func divergenceHint() -> String? {
        "learning rate \(NumberText.format(learningRate)) is too high for AdamW here; lower lr (0.0003 works) and press r"
    }

    // MARK: Panels

    public var panelIDs: [String] { Self.panelNames }

    var classNames: [String] { inputs.classNames }

    func format(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "-" }
        return NumberText.format(x)
    }

    public func panel(_ id: String) -> Panel? {
        switch id {
        case "recall":
            let recalls = evaluation.recalls
            let bars = BarChartSpec(bars: zip(classNames, recalls).map { Bar(label: $0, value: $1) }, maxValue: 1)
            return Panel(title: "Recall per class under \(loss.rawValue): rare_recall \(format(metrics.latest("rare_recall")))",
                         content: .bars(bars))
        case "confusion":
            let names = classNames
            let spec = HeatmapSpec(rows: names.count, columns: names.count,
                                   values: evaluation.confusion.flatMap { $0.map(Double.init) }, palette: .sequential,
                                   rowLabels: names, columnLabels: names, showValues: true, showColorBar: false)
            return Panel(title: "Confusion: true (rows) vs predicted (columns)", content: .heatmap(spec))
        case "weights":
            func share(_ bins: [Int]) -> BarChartSpec {
                let total = Double(Swift.max(bins.reduce(0, +), 1))
                return BarChartSpec(bars: zip(Self.weightBinLabels, bins).map { Bar(label: $0, value: Double($1) / total) },
                                    maxValue: 1)
            }
            let how = loss == .focal ? "alpha (1-p)^\(NumberText.format(gamma))" : "alpha, no focusing"
            return Panel(title: "Loss weight per test beat: \(how)", content: .split([
                PanelPart(.bars(share(evaluation.normalBins)), caption: "normal: mean \(format(metrics.latest("normal_weight")))"),
                PanelPart(.bars(share(evaluation.rareBins)), caption: "rare: mean \(format(metrics.latest("rare_weight")))"),
            ]))
        case "curves":
            return MetricChart.panel(title: "rare_recall and test_accuracy over training", metrics: metrics,
                                     series: ["rare_recall", "test_accuracy"], x: "test_step", yRange: 0...1)
        default:
            return nil
        }
    }

    // MARK: Checkpoints

    public func snapshot() -> LabState {
        var tensors: [String: Tensor] = [:]
        CheckpointParts.store(model, as: "model", into: &tensors)
        CheckpointParts.store(optimizer, as: "optimizer", into: &tensors)
        func ints(_ values: [Int]) -> JSONValue { .array(values.map { .number(Double($0)) }) }
        return LabState(labID: id, tensors: tensors, metadata: [
            "seed": .string(String(seed)),
            "step": .number(Double(steps)),
            "built": StateCoding.json(parameters),
            "settings": StateCoding.json(parameters),
            "sampler": StateCoding.json(sampler.generator),
            "metrics": StateCoding.json(metrics),
            "evaluation": .object([
                "confusion": .array(evaluation.confusion.map(ints)),
                "normal_bins": ints(evaluation.normalBins),
                "rare_bins": ints(evaluation.rareBins),
            ]),
        ])
    }

    public mutating func restore(_ state: LabState) throws {
        try state.expect(lab: id)
        func bad(_ problem: String) -> LabStateError { .badMetadata(lab: id, key: "evaluation", problem: problem) }
        let savedSeed = try CheckpointParts.seed(in: state)
        var copy = try CheckpointParts.rebuild(self, from: state, seed: savedSeed)
        try CheckpointParts.load(&copy.model, from: "model", in: state)
        try CheckpointParts.load(&copy.optimizer, from: "optimizer", in: state, for: copy.model)
        copy.sampler = BatchSampler(generator: try StateCoding.generator(from: state.metadata["sampler"], key: "sampler", lab: id))
        copy.steps = try CheckpointParts.integer("step", in: state)
        copy.metrics = try StateCoding.metrics(from: state.metadata["metrics"], key: "metrics", lab: id)
        let classes = inputs.classCount, beats = inputs.testLabels.count, bins = Self.weightBinLabels.count
        func counts(_ value: JSONValue?, _ length: Int) -> [Int]? {
            guard let items = value?.array, items.count == length else { return nil }
            let whole = items.compactMap { $0.number.flatMap { StateCoding.int($0, in: 0...beats) } }
            return whole.count == length ? whole : nil
        }
        guard let saved = state.metadata["evaluation"]?.object, let rows = saved["confusion"]?.array, rows.count == classes else {
            throw bad("must hold a \(classes) x \(classes) confusion matrix and the weight bins")
        }
        let confusion = rows.compactMap { counts($0, classes) }
        guard confusion.count == classes, let normal = counts(saved["normal_bins"], bins), let rare = counts(saved["rare_bins"], bins) else {
            throw bad("counts must be whole numbers from 0 to \(beats), \(classes) per row and \(bins) per bin list")
        }
        copy.evaluation = Evaluation(confusion: confusion, normalBins: normal, rareBins: rare)
        self = copy
    }
}
