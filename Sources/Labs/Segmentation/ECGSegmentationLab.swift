import CardioSim
import Course
import MLEngine
import TextPlot

/// `unet-ecg`, `window-cnn` and `swin-unet`: a label for every sample of an ECG (P wave, QRS complex, T wave
/// or background), on CardioSim's "segmentation" recordings (4 s at 250 Hz, 1,000 samples).
///
/// - `unet-ecg` trains a 1-D U-Net (`UNet`) with Adam. Switches: skip connections on or off, and
///   the loss: per-sample cross-entropy, soft Dice, or both added (nnU-Net's default).
/// - `window-cnn` is the baseline: two convolutions see a fixed window around each sample
///   (`WindowCNN`), trained with per-sample cross-entropy and SGD with momentum.
/// - `swin-unet` (chapter 10's frontier row) trains a 1-D Swin-UNet (`SwinUNet`): the U-Net's
///   shape built from window-attention blocks, with Dice + cross-entropy and AdamW. Switch: the
///   shifted windows on or off.
///
/// All are measured on the 50 test recordings every `evaluationInterval` steps, the work spread
/// over the following steps (`evaluationChunk` recordings a step, on weights frozen when it
/// began), so no step is slow. Each finished measurement is also kept per configuration, so the
/// `runs` panel shows, side by side, what each setting of the switches reached.
public struct ECGSegmentationLab: Lab {
    public enum Kind: String, Sendable { case unet = "unet-ecg", window = "window-cnn", swin = "swin-unet" }
    public enum LossKind: String, CaseIterable, Sendable { case ce, dice, diceCE = "dice+ce" }

    public static let unetID = Kind.unet.rawValue
    public static let windowID = Kind.window.rawValue
    public static let swinID = Kind.swin.rawValue
    /// Steps of the default run (checked in release by `.ci/promises/ch7-unet-pinn.sh`).
    public static let defaultStepBudget = 600
    public static let evaluationInterval = 50
    static let evaluationChunk = 10
    static let batch = 8
    static let exampleInterval = 100
    static let classNames = ["background", "P", "QRS", "T"]

    public let kind: Kind
    public var id: String { kind.rawValue }
    public var title: String { Self.title(kind) }

    public static func title(_ kind: Kind) -> String {
        switch kind {
        case .unet: "A U-Net labels every sample of an ECG"
        case .window: "A sliding-window CNN labels every sample"
        case .swin: "A Swin-UNet: attention in shifted windows labels every sample"
        }
    }
    public private(set) var seed: UInt64

    // Settings; all but lr apply at the next reset.
    private var skips = true
    private var lossKind = LossKind.diceCE
    private var depth: Int
    private var width: Int
    private var window = 64
    private var shift = true
    private var attentionWindow = 8
    private var learningRate: Double

    /// The settings the current network was built with.
    private var built: [String: String] = [:]
    private let data: SegmentationData
    private var model: SegmentationNetwork
    private var optimizer: any Optimizer
    private var sampler: BatchSampler
    private var steps = 0
    private var evaluation: Evaluation?
    private var lastScores: SegmentationScores?
    /// The latest finished measurement of each configuration met so far, for the `runs` panel.
    private var runs: [String: [Double]] = [:]
    public private(set) var metrics = Metrics()

    /// A measurement under way: frozen weights and the scores of the recordings done so far.
    struct Evaluation {
        let model: SegmentationNetwork
        let step: Int
        var next = 0
        var scores = SegmentationScores()
    }

    public init(_ kind: Kind, seed: UInt64) {
        self.init(kind, seed: seed, data: nil)
    }

    /// A lab on given data (tests use a few recordings); nil uses the recipe's. `width` gives a
    /// smaller starting network for tests.
    init(_ kind: Kind, seed: UInt64, data: SegmentationData?, width: Int? = nil) {
        self.kind = kind
        self.seed = seed
        // The recipe always generates; a broken override file falls back to the built-in recipe.
        self.data = data ?? SegmentationData.shared!
        self.width = width ?? Self.defaultWidth(kind)
        depth = Self.defaultDepth(kind)
        learningRate = Self.defaultRate(kind)
        var generator = SeededGenerator(seed: seed)
        model = .window(WindowCNN(window: 4, width: 1, classes: 4, generator: &generator))
        optimizer = OptimizerKind.adam.make(learningRate: learningRate)
        sampler = BatchSampler(generator: generator)
        reset(seed: seed)
    }

    // MARK: Hyperparameters

    public var parameters: [Hyperparameter] {
        Self.parameters(kind, skips: skips, loss: lossKind, depth: depth, width: width, window: window, shift: shift,
                        attentionWindow: attentionWindow, learningRate: learningRate)
    }

    public static func defaultParameters(_ kind: Kind) -> [Hyperparameter] {
        parameters(kind, skips: true, loss: .diceCE, depth: defaultDepth(kind), width: defaultWidth(kind), window: 64, shift: true,
                   attentionWindow: 8, learningRate: defaultRate(kind))
    }

    private static func defaultWidth(_ kind: Kind) -> Int { kind == .unet ? 8 : 16 }
    /// The Swin-UNet's default: 256 tokens of 4 samples, then 128, and 64 at the bottleneck.
    private static func defaultDepth(_ kind: Kind) -> Int { kind == .swin ? 2 : 3 }
    private static func defaultRate(_ kind: Kind) -> Double {
        switch kind {
        case .unet: 0.003
        case .window: 0.05
        case .swin: 0.004
        }
    }

    private static func parameters(_ kind: Kind, skips: Bool, loss: LossKind, depth: Int, width: Int, window: Int, shift: Bool,
                                   attentionWindow: Int, learningRate: Double) -> [Hyperparameter] {
        switch kind {
        case .unet:
            return [
                .choice("skips", skips ? "on" : "off", among: ["on", "off"], help: "skip connections: the encoder's sharp maps joined to the decoder's"),
                .choice("loss", loss.rawValue, among: LossKind.allCases.map(\.rawValue), help: "per-sample cross-entropy, soft Dice, or both added"),
                .linear("depth", Double(depth), in: 1...4, step: 1, integer: true, effect: .reset, help: "levels of pooling (each halves the length)"),
                .logScale("width", Double(width), in: 4...32, factor: 2, integer: true, effect: .reset, help: "channels at the first level (doubling each level down)"),
                .logScale("lr", learningRate, in: 0.00001...0.1, factor: 2, help: "Adam learning rate"),
            ]
        case .window:
            return [
                .linear("window", Double(window), in: 16...128, step: 16, integer: true, effect: .reset, help: "samples one output sees (4 ms each)"),
                .logScale("width", Double(width), in: 4...32, factor: 2, integer: true, effect: .reset, help: "channels of the two convolutions"),
                .logScale("lr", learningRate, in: 0.0001...1, factor: 2, help: "SGD (momentum 0.9) learning rate"),
            ]
        case .swin:
            return [
                .choice("shift", shift ? "on" : "off", among: ["on", "off"], help: "every second block's windows shifted by half a window"),
                .linear("depth", Double(depth), in: 1...3, step: 1, integer: true, effect: .reset, help: "levels of patch merging (each halves the tokens)"),
                .logScale("attention_window", Double(attentionWindow), in: 4...16, factor: 2, integer: true, effect: .reset,
                          help: "tokens per attention window (a token is 4 samples at the first level)"),
                .logScale("width", Double(width), in: 4...32, factor: 2, integer: true, effect: .reset, help: "features per token at the first level (doubling each level down)"),
                .logScale("lr", learningRate, in: 0.00001...0.1, factor: 2, help: "AdamW learning rate"),
            ]
        }
    }

    public mutating func set(_ name: String, to value: HyperValue) throws {
        let checked = try parameters.checked(name, value, lab: id)
        let number = checked.number.map { Int($0) }
        switch name {
        case "skips": skips = checked.choice == "on"
        case "loss": lossKind = checked.choice.flatMap(LossKind.init(rawValue:)) ?? lossKind
        case "depth": depth = number ?? depth
        case "width": width = number ?? width
        case "window": window = number ?? window
        case "shift": shift = checked.choice == "on"
        case "attention_window": attentionWindow = number ?? attentionWindow
        default:
            learningRate = checked.number ?? learningRate
            optimizer.learningRate = Float(learningRate)
        }
    }

    /// The configuration as the `runs` panel names it.
    private var configurationName: String {
        switch kind {
        case .unet:
            // Depth and width only when they differ from the defaults, so the name fits the panel.
            let size = depth == 3 && width == 8 ? "" : ", depth \(depth) width \(width)"
            return "skips \(skips ? "on" : "off"), \(lossKind.rawValue)\(size)"
        case .window: return "window \(window), width \(width)"
        case .swin:
            let size = attentionWindow == 8 && width == 16 && depth == 2 ? "" : ", window \(attentionWindow) width \(width) depth \(depth)"
            return "shift \(shift ? "on" : "off")\(size)"
        }
    }

    // MARK: Training

    public mutating func reset(seed: UInt64) {
        self.seed = seed
        var generator = SeededGenerator(seed: seed)
        sampler = BatchSampler(generator: generator.split())
        switch kind {
        case .unet:
            model = .unet(UNet(depth: depth, width: width, classes: 4, length: data.length, skips: skips, generator: &generator))
            optimizer = OptimizerKind.adam.make(learningRate: learningRate)
        case .window:
            model = .window(WindowCNN(window: window, width: width, classes: 4, generator: &generator))
            optimizer = OptimizerKind.momentum.make(learningRate: learningRate)
        case .swin:
            model = .swin(SwinUNet(depth: depth, width: width, window: attentionWindow, classes: 4, shifted: shift,
                                   generator: &generator))
            optimizer = OptimizerKind.adamw.make(learningRate: learningRate)
        }
        let loss = switch kind {
        case .unet: lossKind.rawValue
        case .window: "ce"
        case .swin: LossKind.diceCE.rawValue
        }
        built = ["name": configurationName, "skips": skips ? "on" : "off", "loss": loss, "depth": String(depth),
                 "width": String(width), "window": String(window), "shift": shift ? "on" : "off",
                 "attention_window": String(attentionWindow)]
        steps = 0
        evaluation = nil
        lastScores = nil
        metrics = Metrics(series: ["train_loss", "test_dice", "test_dice_p", "test_dice_qrs", "test_dice_t", "test_accuracy",
                                   "boundary_error_ms", "spurious_waves", "test_step"].map { .init(name: $0) })
        metrics.set("parameters", Double(model.parameterCount))
        metrics.set("background_share", data.backgroundShare)
    }

    private func loss(_ logits: Tensor, _ labels: [Int]) throws -> Tensor {
        switch built["loss"] {
        case "dice": return try softDiceLoss(logits: logits, labels: labels)
        case "dice+ce": return try diceCrossEntropy(logits: logits, labels: labels)
        default: return try segmentationCrossEntropy(logits: logits, labels: labels)
        }
    }

    public mutating func step() throws -> StepReport {
        let rows = sampler.indices(size: Self.batch, from: data.trainCount)
        let inputs = data.train.gathering(rows, alongAxis: 0)
        model.zeroGrad()
        let loss = try loss(model(inputs), data.trainLabels(rows))
        loss.backward()
        optimizer.step(&model)
        steps += 1
        let value = Double(loss.item)
        metrics.append(value, to: "train_loss")
        if evaluation == nil && (steps == 1 || steps % Self.evaluationInterval == 0) {
            evaluation = Evaluation(model: model, step: steps)
        }
        if var running = evaluation {
            advance(&running)
            if running.next >= data.testCount {
                evaluation = nil
                record(running.scores, step: running.step)
            } else {
                evaluation = running
            }
        }
        return StepReport(loss: value)
    }

    /// Measures the next chunk of test recordings on the frozen weights.
    private func advance(_ running: inout Evaluation) {
        let end = min(running.next + Self.evaluationChunk, data.testCount)
        let rows = Array(running.next..<end)
        let predicted = withNoGrad { Self.labels(running.model(data.test.gathering(rows, alongAxis: 0))) }
        for (i, row) in rows.enumerated() {
            running.scores.add(predicted: Array(predicted[(i * data.length)..<((i + 1) * data.length)]),
                               truth: data.testLabels(row), samplingRate: data.samplingRate)
        }
        running.next = end
    }

    /// The most likely class of every sample of logits [batch, classes, length], row by row.
    static func labels(_ logits: Tensor) -> [Int] {
        let (batch, classes, length) = (logits.shape[0], logits.shape[1], logits.shape[2])
        return logits.withUnsafeScalars { p in
            var out = [Int](repeating: 0, count: batch * length)
            for b in 0..<batch {
                for t in 0..<length {
                    var best = 0
                    for k in 1..<classes where p[(b * classes + k) * length + t] > p[(b * classes + best) * length + t] { best = k }
                    out[b * length + t] = best
                }
            }
            return out
        }
    }

    private mutating func record(_ scores: SegmentationScores, step: Int) {
        lastScores = scores
        let values = [scores.meanDice, scores.dice(1), scores.dice(2), scores.dice(3), scores.accuracy,
                      scores.boundaryErrorMilliseconds, Double(scores.spuriousWaves)]
        for (name, value) in zip(["test_dice", "test_dice_p", "test_dice_qrs", "test_dice_t", "test_accuracy",
                                  "boundary_error_ms", "spurious_waves"], values) {
            metrics.append(value, to: name)
        }
        metrics.append(Double(step), to: "test_step")
        runs[built["name"] ?? ""] = values + [Double(step)]
    }

    public var isFinite: Bool {
        model.parameters.allSatisfy { $0.value.withUnsafeScalars { values in values.allSatisfy(\.isFinite) } }
    }

    public var completion: CompletionCondition? {
        kind != .window ? CompletionCondition(metric: "test_dice", .atLeast, 0.85, description: "mean Dice over P, QRS and T reached 0.85") : nil
    }

    public func divergenceHint() -> String? {
        "learning rate \(NumberText.format(learningRate)) is too high here; lower lr and press r"
    }

    // MARK: What the panels read

    /// The test recording the `strips` and `maps` panels show; it changes every `exampleInterval` steps.
    public var exampleIndex: Int { (steps / Self.exampleInterval) * 17 % max(data.testCount, 1) }

    /// The example's standardised signal, true labels, predicted labels and bottleneck maps
    /// [channels, positions].
    var example: (signal: [Double], truth: [Int], predicted: [Int], maps: Tensor) {
        let row = exampleIndex
        let input = data.test.gathering([row], alongAxis: 0)
        let (logits, maps) = withNoGrad { model.run(input) }
        let signal = input.withUnsafeScalars { $0.map(Double.init) }
        return (signal, data.testLabels(row), Self.labels(logits), maps.reshaped(Array(maps.shape.dropFirst())))
    }

    var latestScores: SegmentationScores? { lastScores }
    var finishedRuns: [(name: String, values: [Double])] { runs.keys.sorted().map { ($0, runs[$0]!) } }
    var currentRunName: String { built["name"] ?? "" }
    var samplingRate: Double { data.samplingRate }
    var backgroundShare: Double { data.backgroundShare }

    // MARK: Panels

    public var panelIDs: [String] { Self.panelNames }
    public static let panelNames = ["strips", "loss", "dice", "boundaries", "runs", "maps"]

    public func panel(_ id: String) -> Panel? { SegmentationPanels.panel(id, of: self) }

    // MARK: Checkpoints

    public func snapshot() -> LabState {
        var tensors: [String: Tensor] = [:]
        CheckpointParts.store(model, as: "model", into: &tensors)
        CheckpointParts.store(optimizer, as: "optimizer", into: &tensors)
        var metadata: [String: JSONValue] = [
            "seed": .string(String(seed)),
            "step": .number(Double(steps)),
            "built": .object(built.mapValues { .string($0) }),
            "lr": .number(learningRate),
            "sampler": StateCoding.json(sampler.generator),
            "metrics": StateCoding.json(metrics),
            "runs": .object(runs.mapValues { .array($0.map { StateCoding.json($0) }) }),
        ]
        if let lastScores { metadata["scores"] = Self.json(lastScores) }
        if let evaluation {
            CheckpointParts.store(evaluation.model, as: "evaluation", into: &tensors)
            metadata["evaluation"] = .object(["step": .number(Double(evaluation.step)), "next": .number(Double(evaluation.next)),
                                              "scores": Self.json(evaluation.scores)])
        }
        return LabState(labID: id, tensors: tensors, metadata: metadata)
    }

    public mutating func restore(_ state: LabState) throws {
        try state.expect(lab: id)
        func bad(_ key: String, _ problem: String) -> LabStateError { .badMetadata(lab: id, key: key, problem: problem) }
        let savedSeed = try CheckpointParts.seed(in: state)
        guard let object = state.metadata["built"]?.object else { throw bad("built", "must be an object of settings") }
        let savedBuilt = object.compactMapValues(\.string)
        guard let savedRate = state.metadata["lr"]?.number else { throw bad("lr", "must be a number") }
        // The settings go through `set`, so a tampered file meets the same range checks as a learner.
        var candidate = self
        switch kind {
        case .unet:
            for key in ["skips", "loss"] { try candidate.set(key, to: .choice(savedBuilt[key] ?? "")) }
            try candidate.set("depth", to: .number(Double(savedBuilt["depth"] ?? "") ?? -1))
        case .window:
            try candidate.set("window", to: .number(Double(savedBuilt["window"] ?? "") ?? -1))
        case .swin:
            try candidate.set("shift", to: .choice(savedBuilt["shift"] ?? ""))
            try candidate.set("depth", to: .number(Double(savedBuilt["depth"] ?? "") ?? -1))
            try candidate.set("attention_window", to: .number(Double(savedBuilt["attention_window"] ?? "") ?? -1))
        }
        try candidate.set("width", to: .number(Double(savedBuilt["width"] ?? "") ?? -1))
        try candidate.set("lr", to: .number(savedRate))
        let savedSteps = try CheckpointParts.integer("step", in: state)
        let savedMetrics = try StateCoding.metrics(from: state.metadata["metrics"], key: "metrics", lab: id)
        let savedSampler = try StateCoding.generator(from: state.metadata["sampler"], key: "sampler", lab: id)
        var savedRuns: [String: [Double]] = [:]
        for (name, value) in state.metadata["runs"]?.object ?? [:] {
            savedRuns[name] = (value.array ?? []).compactMap(StateCoding.double(from:))
        }
        candidate.reset(seed: savedSeed)
        try CheckpointParts.load(&candidate.model, from: "model", in: state)
        try CheckpointParts.load(&candidate.optimizer, from: "optimizer", in: state, for: candidate.model)
        if let running = state.metadata["evaluation"]?.object {
            var frozen = candidate.model
            try CheckpointParts.load(&frozen, from: "evaluation", in: state)
            guard let step = running["step"]?.number, let next = running["next"]?.number,
                  let scores = running["scores"].flatMap(Self.scores(from:)) else { throw bad("evaluation", "needs step, next and scores") }
            candidate.evaluation = Evaluation(model: frozen, step: Int(step), next: Int(next), scores: scores)
        }
        candidate.lastScores = state.metadata["scores"].flatMap(Self.scores(from:))
        candidate.sampler = BatchSampler(generator: savedSampler)
        candidate.steps = savedSteps
        candidate.metrics = savedMetrics
        candidate.runs = savedRuns
        self = candidate
    }

    private static func json(_ s: SegmentationScores) -> JSONValue {
        func ints(_ v: [Int]) -> JSONValue { .array(v.map { .number(Double($0)) }) }
        return .object(["overlap": ints(s.overlap), "predicted": ints(s.predictedSize), "true": ints(s.trueSize),
                        "counts": ints([s.correct, s.samples, s.boundaries, s.spuriousWaves]),
                        "boundary_sum": StateCoding.json(s.boundaryErrorSum)])
    }

    private static func scores(from value: JSONValue) -> SegmentationScores? {
        guard let o = value.object else { return nil }
        func ints(_ key: String, _ count: Int) -> [Int]? {
            guard let a = o[key]?.array, a.count == count else { return nil }
            let v = a.compactMap { $0.number.map { Int($0) } }
            return v.count == count ? v : nil
        }
        guard let overlap = ints("overlap", 4), let predicted = ints("predicted", 4), let truth = ints("true", 4),
              let counts = ints("counts", 4), let sum = o["boundary_sum"].flatMap(StateCoding.double(from:)) else { return nil }
        var s = SegmentationScores()
        (s.overlap, s.predictedSize, s.trueSize) = (overlap, predicted, truth)
        (s.correct, s.samples, s.boundaries, s.spuriousWaves) = (counts[0], counts[1], counts[2], counts[3])
        s.boundaryErrorSum = sum
        return s
    }
}
