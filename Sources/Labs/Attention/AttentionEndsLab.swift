import CardioSim
import Course
import Foundation
import MLEngine
import TextPlot

/// `attention-ends`: a small transformer on chapter 4's long-range task (do the first and the
/// last beat of an 8-beat recording have the same class?), the task the CNN could not do.
///
/// The recording (2,000 samples) is cut into patches of `patch` samples (8 of 250 by default, one a beat),
/// each patch becomes a token, a position pattern is added (`posenc`), and pre-norm encoder
/// blocks let every token look at every other; the mean of the tokens goes through a Linear
/// layer to two classes. AdamW with a linear warmup.
///
/// While it trains, the panels show each head's attention weights for one test recording
/// (`example`), redrawn every `mapInterval` steps: the heads learn to look at the first and the
/// last beat. With `posenc=off` nothing tells the first beat from the last and the model stays
/// near chance.
///
/// Nothing in a step blocks the screen for long: the test set is evaluated a slice per step on a
/// frozen copy of the model, so `test_accuracy` at step s is the accuracy of the model after
/// step s, written when its last slice is done.
public struct AttentionEndsLab: Lab {
    public static let labID = "attention-ends"
    public static let labTitle = "A transformer on the long-range task: live attention maps"
    /// The attention maps, two heads a panel: a wide screen shows four heads at once, a small one
    /// pages through them with < and >.
    public static let headPanels = ["heads1-2", "heads3-4", "heads5-6", "heads7-8"]
    public static let panelNames = headPanels + ["accuracy", "loss", "example"]
    /// Steps in a run: the session stops here.
    public static let stepBudget = 2000
    /// Recordings per training step.
    public static let batchSize = 32
    /// Steps of linear warmup to the learning rate.
    public static let warmupSteps = 100
    /// The test set is evaluated after the first step and every this many steps.
    public static let evaluationInterval = 100
    /// Test recordings evaluated per step while an evaluation runs.
    public static let evaluationSlice = 50
    /// The attention maps are redrawn every this many steps.
    public static let mapInterval = 10
    /// Where chapter 4's CNN stays on this task: chance, half the recordings right.
    public static let chance = 0.5

    public var id: String { Self.labID }
    public var title: String { Self.labTitle }
    public private(set) var seed: UInt64

    struct Settings: Equatable {
        var heads = 4
        var layers = 2
        var width = 64
        var patch = 250
        var posenc = PositionMode.sine
        var learningRate = 1e-3
        var example = 1
        var mapLayer = 1
    }
    private var settings = Settings()
    private var built = Settings()

    private let data: LongRangeInputs
    var model: EndsTransformer
    private var optimizer: any Optimizer
    private var sampler: BatchSampler
    private var steps = 0
    public private(set) var metrics = Metrics()

    /// An evaluation under way: the model as it was after `step`, and how far through the test set.
    private struct Evaluation {
        var model: EndsTransformer
        var step: Int
        var next = 0
        var correct = 0
        var loss = 0.0
    }
    private var evaluation: Evaluation?
    private(set) var maps: AttentionMaps?
    /// The model's probability that the example's ends match, when the maps were drawn.
    private var exampleSame: Double?

    public init(seed: UInt64) {
        self.init(seed: seed, data: LongRangeInputs.shared)
    }

    init(seed: UInt64, data: LongRangeInputs) {
        self.seed = seed
        self.data = data
        var generator = SeededGenerator(seed: seed)
        model = EndsTransformer(length: data.length, patch: 25, width: 16, heads: 1, layers: 1, positions: .off, generator: &generator)
        optimizer = AdamW(learningRate: 1e-3, weightDecay: 0.01)
        sampler = BatchSampler(generator: generator)
        reset(seed: seed)
    }

    // MARK: Hyperparameters

    public var parameters: [Hyperparameter] { Self.parameters(settings) }

    /// The defaults, for the catalogue (building a lab generates the recordings).
    public static var defaultParameters: [Hyperparameter] { parameters(Settings()) }

    /// Test recordings the `example` setting picks among (the recipe's test split).
    static let testCount = LongRangeConfig().testCount

    static func parameters(_ s: Settings) -> [Hyperparameter] {
        [
            .choice("posenc", s.posenc.rawValue, among: PositionMode.allCases.map(\.rawValue), effect: .reset,
                    help: "what tells a token where it sits: sine pattern, learned rows, or nothing"),
            .logScale("heads", Double(s.heads), in: 1...8, factor: 2, integer: true, effect: .reset,
                      help: "attention heads per layer (must divide the width)"),
            .linear("layers", Double(s.layers), in: 1...4, step: 1, integer: true, effect: .reset,
                    help: "encoder blocks (attention + MLP, each with a residual path)"),
            .logScale("width", Double(s.width), in: 16...128, factor: 2, integer: true, effect: .reset,
                      help: "numbers per token (the model width)"),
            .choice("patch", String(s.patch), among: ["10", "25", "50", "125", "250"], effect: .reset,
                    help: "samples per patch (one token each); 250 = one token per beat"),
            .logScale("lr", s.learningRate, in: 0.00001...0.01, factor: 2,
                      help: "AdamW learning rate after the warmup (the first \(warmupSteps) steps climb to it)"),
            .linear("example", Double(s.example), in: 1...Double(testCount), step: 1, integer: true,
                    help: "which test recording the attention maps show"),
            .linear("map_layer", Double(s.mapLayer), in: 1...4, step: 1, integer: true,
                    help: "which layer's heads the attention maps show"),
        ]
    }

    public mutating func set(_ name: String, to value: HyperValue) throws {
        let checked = try parameters.checked(name, value, lab: id)
        let number = checked.number ?? 0
        switch name {
        case "posenc": settings.posenc = PositionMode(rawValue: checked.choice ?? "sine") ?? .sine
        case "heads":
            guard settings.width % Int(number) == 0 else {
                throw HyperparameterError.outOfRange(name: name, valid: "a whole number 1-8 dividing the width (\(settings.width))",
                                                     got: NumberText.format(number))
            }
            settings.heads = Int(number)
        case "layers": settings.layers = Int(number)
        case "width":
            guard Int(number) % settings.heads == 0 else {
                throw HyperparameterError.outOfRange(name: name, valid: "a whole number 16-128 divisible by heads (\(settings.heads))",
                                                     got: NumberText.format(number))
            }
            settings.width = Int(number)
        case "patch": settings.patch = Int(checked.choice ?? "25") ?? 25
        case "lr":
            settings.learningRate = number
            optimizer.learningRate = learningRate(atStep: steps)
        case "example":
            settings.example = Int(number)
            drawMaps()
        default:
            settings.mapLayer = Int(number)
        }
    }

    // MARK: Training

    public mutating func reset(seed: UInt64) {
        self.seed = seed
        built = settings
        var generator = SeededGenerator(seed: seed)
        model = EndsTransformer(length: data.length, patch: settings.patch, width: settings.width, heads: settings.heads,
                                layers: settings.layers, positions: settings.posenc, generator: &generator)
        sampler = BatchSampler(generator: generator.split())
        optimizer = AdamW(learningRate: 1e-3, weightDecay: 0.01)
        steps = 0
        optimizer.learningRate = learningRate(atStep: 0)
        evaluation = nil
        metrics = Metrics(series: ["loss", "accuracy", "test_accuracy", "test_step", "ends_attention", "map_step"].map { .init(name: $0) })
        drawMaps()
    }

    /// The warmup: step s (from 0) uses lr * (s + 1) / warmup until the warmup is over.
    private func learningRate(atStep step: Int) -> Float {
        WarmupSchedule(peak: Float(settings.learningRate), warmupSteps: Self.warmupSteps).learningRate(atStep: step)
    }

    public mutating func step() throws -> StepReport {
        optimizer.learningRate = learningRate(atStep: steps)
        let indices = sampler.indices(size: Self.batchSize, from: data.trainLabels.count)
        let inputs = data.train.gathering(indices, alongAxis: 0), labels = indices.map { data.trainLabels[$0] }
        model.zeroGrad()
        let logits = model(inputs)
        let loss = try crossEntropy(logits: logits, labels: labels)
        loss.backward()
        optimizer.step(&model)
        steps += 1
        let predicted = logits.argmax(alongAxis: 1).copyScalars()
        let right = zip(predicted, labels).filter { Int($0) == $1 }.count
        metrics.append(Double(loss.item), to: "loss")
        metrics.append(Double(right) / Double(labels.count), to: "accuracy")

        let done = steps >= Self.stepBudget
        if steps == 1 || steps % Self.evaluationInterval == 0 || done {
            if evaluation != nil { try finishEvaluation() }
            evaluation = Evaluation(model: model, step: steps)
        }
        // The last step finishes its evaluation at once, so a run ends with its final accuracy.
        if done { try finishEvaluation() } else { try evaluateSlice() }
        if steps == 1 || steps % Self.mapInterval == 0 || done { drawMaps() }
        return StepReport(loss: Double(loss.item), finished: done,
                          note: done ? "attention-ends: the budget of \(Self.stepBudget) steps is spent" : nil)
    }

    /// One slice of the evaluation under way; records `test_accuracy` when the last is done.
    private mutating func evaluateSlice() throws {
        guard var e = evaluation else { return }
        let count = data.testLabels.count, end = min(count, e.next + Self.evaluationSlice)
        let labels = Array(data.testLabels[e.next..<end])
        let logits = withNoGrad { e.model(data.test.slice(alongAxis: 0, e.next..<end)) }
        e.loss += Double(try withNoGrad { try crossEntropy(logits: logits, labels: labels) }.item) * Double(labels.count)
        e.correct += zip(logits.argmax(alongAxis: 1).copyScalars(), labels).filter { Int($0) == $1 }.count
        e.next = end
        evaluation = e
        if end == count {
            metrics.append(Double(e.correct) / Double(count), to: "test_accuracy")
            metrics.append(Double(e.step), to: "test_step")
            metrics.set("test_loss", e.loss / Double(count))
            evaluation = nil
        }
    }

    private mutating func finishEvaluation() throws {
        while evaluation != nil { try evaluateSlice() }
    }

    /// Runs the example through the current model and keeps every layer's attention weights.
    private mutating func drawMaps() {
        let index = min(max(settings.example, 1), data.testLabels.count) - 1
        let recording = data.test.slice(alongAxis: 0, index..<(index + 1))
        let (logits, weights) = withNoGrad { model.attend(recording) }
        let p = logits.softmax(alongAxis: 1).copyScalars()
        exampleSame = Double(p[1])
        let drawn = AttentionMaps(weights: weights, beats: data.beatsPerRecording, step: steps)
        maps = drawn
        // The best head of the first layer: how much of its attention lands on the two ends.
        let share = (0..<drawn.heads(inLayer: 0)).map { drawn.endsShare(layer: 0, head: $0) }.max() ?? 0
        if steps > 0 || metrics.values("map_step").isEmpty {
            metrics.append(share, to: "ends_attention")
            metrics.append(Double(steps), to: "map_step")
        }
    }

    public var isFinite: Bool { model.parameters.allSatisfy { $0.value.withUnsafeScalars { $0.allSatisfy(\.isFinite) } } }

    public var completion: CompletionCondition? {
        CompletionCondition(metric: "test_accuracy", .atLeast, 0.9,
                            description: "the transformer relates the two ends (90% of test recordings right)")
    }

    public func divergenceHint() -> String? {
        "learning rate \(NumberText.format(settings.learningRate)) is too high here; lower lr (1e-3 works) and press r"
    }

    // MARK: Panels

    public var panelIDs: [String] { Self.panelNames }

    public func panel(_ id: String) -> Panel? {
        switch id {
        case "accuracy":
            return MetricChart.panel(title: "Test accuracy (posenc \(built.posenc.rawValue)); CNN of ch. 4: 0.5", metrics: metrics,
                                     series: ["test_accuracy"], labels: ["transformer"], x: "test_step",
                                     references: [("chance = CNN", Self.chance)], target: TargetLine(0.9, label: "goal"),
                                     yRange: 0...1)
        case "loss":
            return MetricChart.panel(title: "Loss (cross-entropy), batches of \(Self.batchSize)", metrics: metrics,
                                     series: ["loss"], labels: ["train"], smoothing: 0.95, finiteOnly: true)
        case "example":
            return examplePanel()
        default:
            guard let maps, let pair = Self.headPanels.firstIndex(of: id) else { return nil }
            let layer = min(settings.mapLayer, maps.layers) - 1, heads = maps.heads(inLayer: layer)
            guard 2 * pair < heads else {
                return Panel(title: "Heads \(2 * pair + 1) and \(2 * pair + 2)",
                             content: .text("This run has \(heads) head\(heads == 1 ? "" : "s") a layer; `:set heads 8` shows eight."))
            }
            let shown = Array((2 * pair)..<min(heads, 2 * pair + 2))
            let names = shown.map { String($0 + 1) }.joined(separator: " and ")
            let title = "Head\(shown.count > 1 ? "s" : "") \(names) of \(heads), layer \(layer + 1), step \(maps.step): query beat x key beat"
            let parts = shown.map { PanelPart(.heatmap(maps.heatmap(layer: layer, head: $0)), caption: "head \($0 + 1)") }
            return Panel(title: title, content: .split(parts, direction: .columns))
        }
    }

    private func examplePanel() -> Panel {
        let index = min(max(settings.example, 1), data.testLabels.count) - 1
        let beats = data.testBeats[index]
        let truth = data.testLabels[index] == 1 ? "same" : "different"
        let signal = data.test.slice(alongAxis: 0, index..<(index + 1)).copyScalars().map(Double.init)
        let seconds = signal.indices.map { Double($0) / Double(data.samplesPerBeat) }
        var title = "Example \(index + 1): first \(beats.first!.rawValue), last \(beats.last!.rawValue): \(truth)"
        if let p = exampleSame { title += String(format: "; model: same %.2f", p) }
        let chart = LineChartSpec(series: [LineSeries(name: "recording (beats 1-8)", values: signal, x: seconds.map { $0 + 1 })])
        return Panel(title: title, content: .lineChart(chart))
    }

    // MARK: Checkpoints

    public func snapshot() -> LabState {
        var tensors: [String: Tensor] = [:]
        CheckpointParts.store(model, as: "model", into: &tensors)
        CheckpointParts.store(optimizer, as: "optimizer", into: &tensors)
        var metadata = CheckpointParts.runMetadata(of: self, seed: seed, step: steps, built: Self.parameters(built), metrics: metrics)
        metadata["sampler"] = StateCoding.json(sampler.generator)
        if let e = evaluation {
            CheckpointParts.store(e.model, as: "evaluating", into: &tensors)
            metadata["evaluation"] = .object(["step": .number(Double(e.step)), "next": .number(Double(e.next)),
                                              "correct": .number(Double(e.correct)), "loss": StateCoding.json(e.loss)])
        }
        return LabState(labID: id, tensors: tensors, metadata: metadata)
    }

    public mutating func restore(_ state: LabState) throws {
        try state.expect(lab: id)
        let savedRun = try CheckpointParts.savedRun(in: state)
        let savedSampler = try StateCoding.generator(from: state.metadata["sampler"], key: "sampler", lab: id)
        var copy = try CheckpointParts.rebuild(self, from: state, seed: savedRun.seed)
        try CheckpointParts.load(&copy.model, from: "model", in: state)
        try CheckpointParts.load(&copy.optimizer, from: "optimizer", in: state, for: copy.model)
        copy.sampler = BatchSampler(generator: savedSampler)
        copy.steps = savedRun.step
        copy.evaluation = nil
        if let saved = state.metadata["evaluation"]?.object {
            func number(_ key: String) throws -> Double {
                guard let x = saved[key].flatMap(StateCoding.double(from:)), x.isFinite || key == "loss" else {
                    throw LabStateError.badMetadata(lab: id, key: "evaluation.\(key)", problem: "must be a number")
                }
                return x
            }
            var frozen = copy.model
            try CheckpointParts.load(&frozen, from: "evaluating", in: state)
            let next = Int(try number("next")), correct = Int(try number("correct"))
            guard (0...copy.data.testLabels.count).contains(next), (0...next).contains(correct) else {
                throw LabStateError.badMetadata(lab: id, key: "evaluation", problem: "progress outside the test set")
            }
            copy.evaluation = Evaluation(model: frozen, step: Int(try number("step")), next: next, correct: correct,
                                         loss: try number("loss"))
        }
        copy.optimizer.learningRate = copy.learningRate(atStep: savedRun.step)
        copy.drawMaps()
        copy.metrics = savedRun.metrics
        self = copy
    }
}
