import Course
import MLEngine
import TextPlot

/// `positional-encoding`: attention by itself cannot tell positions apart, so a pattern per
/// position is added to each token. This lab shows the fixed sine pattern (position x feature),
/// how similar positions are under it (the dot product of their rows: near positions alike, far
/// ones not), and beside them a learned encoding, trained live.
///
/// The training task for the learned encoding, chosen so that only position can solve it: each
/// sequence holds `positions` random numbers (standard normal, fresh every step), and the model
/// must output, at every position t, the mean of the numbers at t-2 ... t+2 (those that exist).
/// The numbers are noise, so their values say nothing about where the neighbours are; the model
/// (token = x_t * u + P_t, two attention heads, a linear read-out, no residual) can only find
/// them through the learned rows P_t. Learning that "t attends to t +- 2" makes the rows of
/// neighbouring positions alike, which is what the learned-similarity panel shows forming.
public struct PositionalEncodingLab: Lab {
    public static let labID = "positional-encoding"
    /// Neighbours on each side whose mean the task asks for.
    public static let window = 2
    /// Sequences per training step.
    public static let batch = 32
    /// The similarity metrics are measured every this many steps (and after the first).
    public static let measureInterval = 10
    public static let panelNames = ["sine", "similarity", "learned", "learned-similarity", "loss"]

    public let id = PositionalEncodingLab.labID
    public let title = "Positional encoding: the sine pattern and a learned one"
    public private(set) var seed: UInt64

    private var positions = 48
    private var width = 32
    private var learningRate = 0.01
    private struct Built: Equatable { var positions: Int, width: Int }
    private var built = Built(positions: 48, width: 32)
    private var model: NeighbourMeanModel
    private var optimizer: any Optimizer
    private var data: SeededGenerator
    private var steps = 0
    public private(set) var metrics = Metrics()

    public init(seed: UInt64) {
        self.seed = seed
        var generator = SeededGenerator(seed: seed)
        model = NeighbourMeanModel(positions: 48, width: 32, generator: &generator)
        optimizer = OptimizerKind.adamw.make(learningRate: 0.01)
        data = generator
        reset(seed: seed)
    }

    // MARK: Hyperparameters

    public var parameters: [Hyperparameter] {
        [
            .logScale("positions", Double(positions), in: 8...128, factor: 2, integer: true, effect: .reset,
                      help: "sequence length: rows of the patterns"),
            .logScale("width", Double(width), in: 8...64, factor: 2, integer: true, effect: .reset,
                      help: "features per position (an even number: sines and cosines come in pairs)"),
            .logScale("lr", learningRate, in: 0.0001...0.1, factor: 2, help: "AdamW learning rate of the learned encoding's model"),
        ]
    }

    public mutating func set(_ name: String, to value: HyperValue) throws {
        let checked = try parameters.checked(name, value, lab: id)
        let number = checked.number ?? 0
        switch name {
        case "positions": positions = Int(number)
        case "width":
            guard Int(number) % 2 == 0 else {
                throw HyperparameterError.outOfRange(name: name, valid: "an even whole number between 8 and 64", got: NumberText.format(number))
            }
            width = Int(number)
        default:
            learningRate = number
            optimizer.learningRate = Float(number)
        }
    }

    // MARK: Training

    public mutating func reset(seed: UInt64) {
        self.seed = seed
        built = Built(positions: positions, width: width)
        var generator = SeededGenerator(seed: seed)
        model = NeighbourMeanModel(positions: positions, width: width, generator: &generator)
        data = generator.split()
        optimizer = OptimizerKind.adamw.make(learningRate: learningRate)
        steps = 0
        metrics = Metrics(series: ["loss", "near_similarity", "far_similarity", "similarity_step"].map { .init(name: $0) })
        metrics.set("baseline_loss", Self.baselineLoss(positions: positions))
    }

    /// The loss of always answering 0 (the variance of the target): what "learned nothing" scores.
    static func baselineLoss(positions: Int) -> Double {
        let counts = (0..<positions).map { t in Double(min(positions - 1, t + window) - max(0, t - window) + 1) }
        return counts.map { 1 / $0 }.reduce(0, +) / Double(positions)
    }

    /// A batch of noise sequences [batch, positions] and their neighbour means.
    static func batch(positions n: Int, generator: inout SeededGenerator) -> (inputs: Tensor, targets: Tensor) {
        let values = (0..<(batch * n)).map { _ in Float(generator.normal()) }
        var targets = [Float](repeating: 0, count: batch * n)
        for b in 0..<batch {
            for t in 0..<n {
                let lo = max(0, t - window), hi = min(n - 1, t + window)
                var sum: Float = 0
                for s in lo...hi { sum += values[b * n + s] }
                targets[b * n + t] = sum / Float(hi - lo + 1)
            }
        }
        return (Tensor(shape: [batch, n], scalars: values), Tensor(shape: [batch, n], scalars: targets))
    }

    public mutating func step() throws -> StepReport {
        let (inputs, targets) = Self.batch(positions: built.positions, generator: &data)
        model.zeroGrad()
        let loss = try meanSquaredError(model(inputs), targets)
        loss.backward()
        optimizer.step(&model)
        steps += 1
        metrics.append(Double(loss.item), to: "loss")
        if steps == 1 || steps % Self.measureInterval == 0 {
            let (near, far) = Self.nearAndFar(cosines(model.positions.weight))
            metrics.append(near, to: "near_similarity")
            metrics.append(far, to: "far_similarity")
            metrics.append(Double(steps), to: "similarity_step")
        }
        return StepReport(loss: Double(loss.item))
    }

    public var isFinite: Bool { model.parameters.allSatisfy { $0.value.withUnsafeScalars { $0.allSatisfy(\.isFinite) } } }

    public var completion: CompletionCondition? {
        CompletionCondition(metric: "loss", .atMost, 0.25 * Self.baselineLoss(positions: built.positions),
                            description: "the learned positions find the neighbours: loss below a quarter of guessing 0")
    }

    public func divergenceHint() -> String? {
        "learning rate \(NumberText.format(learningRate)) is too high here; lower lr (0.01 works) and press r"
    }

    // MARK: What the panels read

    /// The sine pattern for the current settings: [positions, width].
    public var sinePattern: Tensor { SinusoidalPositionalEncoding.table(positions: built.positions, width: built.width) }

    /// The learned rows P_t: [positions, width].
    public var learnedPattern: Tensor { model.positions.weight.detached() }

    /// Dot products of every pair of rows: [positions, positions].
    static func dotProducts(_ pattern: Tensor) -> Tensor { withNoGrad { matmul(pattern, pattern, transposeB: true) } }

    /// Cosine similarity of every pair of rows (dot products of the rows scaled to length 1).
    func cosines(_ pattern: Tensor) -> Tensor {
        withNoGrad {
            let unit = pattern / (pattern.squared().sum(alongAxis: 1, keepDims: true) + 1e-12).sqrt()
            return matmul(unit, unit, transposeB: true)
        }
    }

    /// Mean similarity of positions 1-2 apart ("near") and at least a quarter of the length apart ("far").
    static func nearAndFar(_ similarity: Tensor) -> (near: Double, far: Double) {
        let n = similarity.shape[0], values = similarity.copyScalars()
        var near = 0.0, nearCount = 0.0, far = 0.0, farCount = 0.0
        for i in 0..<n {
            for j in 0..<n where i != j {
                let distance = abs(i - j), v = Double(values[i * n + j])
                if distance <= window { near += v; nearCount += 1 } else if distance >= max(window + 1, n / 4) { far += v; farCount += 1 }
            }
        }
        return (near / max(nearCount, 1), far / max(farCount, 1))
    }

    // MARK: Panels

    public var panelIDs: [String] { Self.panelNames }

    public func panel(_ id: String) -> Panel? {
        switch id {
        case "sine":
            return patternPanel(sinePattern, title: "Sine pattern: \(built.positions) positions x \(built.width) features")
        case "similarity":
            return squarePanel(Self.dotProducts(sinePattern), title: "Sine: dot product of positions (row x column)", palette: .diverging)
        case "learned":
            return patternPanel(learnedPattern, title: "Learned pattern after \(steps) steps")
        case "learned-similarity":
            return squarePanel(cosines(learnedPattern), title: "Learned: similarity of positions (cosine)", palette: .diverging)
        case "loss":
            return MetricChart.panel(title: "Loss: mean of the 5 neighbours (MSE)", metrics: metrics, series: ["loss"],
                                     labels: ["train"], references: [("guess 0", Self.baselineLoss(positions: built.positions))],
                                     yScale: .logarithmic, smoothing: 0.9, finiteOnly: true)
        default:
            return nil
        }
    }

    private func patternPanel(_ pattern: Tensor, title: String) -> Panel {
        let (rows, columns) = (pattern.shape[0], pattern.shape[1])
        let spec = HeatmapSpec(rows: rows, columns: columns, values: pattern.copyScalars().map(Double.init), palette: .diverging,
                               rowLabels: Self.axisLabels(rows), columnLabels: Self.axisLabels(columns))
        return Panel(title: title, content: .heatmap(spec))
    }

    private func squarePanel(_ matrix: Tensor, title: String, palette: ColorPalette) -> Panel {
        let n = matrix.shape[0]
        let spec = HeatmapSpec(rows: n, columns: n, values: matrix.copyScalars().map(Double.init), palette: palette,
                               rowLabels: Self.axisLabels(n), columnLabels: Self.axisLabels(n))
        return Panel(title: title, content: .heatmap(spec))
    }

    /// "0", "", ..., "n-1": the heatmap keeps each axis's first and last label.
    static func axisLabels(_ count: Int) -> [String] { (0..<count).map { String($0) } }

    // MARK: Checkpoints

    public func snapshot() -> LabState {
        var tensors: [String: Tensor] = [:]
        CheckpointParts.store(model, as: "model", into: &tensors)
        CheckpointParts.store(optimizer, as: "optimizer", into: &tensors)
        let metadata: [String: JSONValue] = [
            "seed": .string(String(seed)),
            "step": .number(Double(steps)),
            "built": .object(["positions": .number(Double(built.positions)), "width": .number(Double(built.width))]),
            "lr": .number(learningRate),
            "data": StateCoding.json(data),
            "metrics": StateCoding.json(metrics),
        ]
        return LabState(labID: id, tensors: tensors, metadata: metadata)
    }

    public mutating func restore(_ state: LabState) throws {
        try state.expect(lab: id)
        func bad(_ key: String, _ problem: String) -> LabStateError { .badMetadata(lab: id, key: key, problem: problem) }
        guard let saved = state.metadata["built"]?.object, let n = saved["positions"]?.number, let w = saved["width"]?.number,
              (8...128).contains(n), (8...64).contains(w), n == n.rounded(), w == w.rounded(), Int(w) % 2 == 0 else {
            throw bad("built", "must give positions 8-128 and an even width 8-64")
        }
        let savedSeed = try CheckpointParts.seed(in: state)
        guard let savedRate = state.metadata["lr"]?.number, (0.0001...0.1).contains(savedRate) else {
            throw bad("lr", "must be a learning rate in 0.0001...0.1")
        }
        let savedSteps = try CheckpointParts.integer("step", in: state)
        let savedData = try StateCoding.generator(from: state.metadata["data"], key: "data", lab: id)
        let savedMetrics = try StateCoding.metrics(from: state.metadata["metrics"], key: "metrics", lab: id)
        (positions, width, learningRate) = (Int(n), Int(w), savedRate)
        reset(seed: savedSeed)
        try CheckpointParts.load(&model, from: "model", in: state)
        try CheckpointParts.load(&optimizer, from: "optimizer", in: state, for: model)
        data = savedData
        steps = savedSteps
        metrics = savedMetrics
    }
}

/// The model that learns positions: token t = x_t * u + P_t (u a learned vector, P the learned
/// encoding), two attention heads (one can look left, the other right), a linear read-out per
/// position. No residual path: the answer at t must come from what t attends to.
struct NeighbourMeanModel: Layer {
    var input: Linear
    var positions: LearnedPositionalEncoding
    var attention: MultiHeadAttention
    var readout: Linear

    init(positions n: Int, width: Int, generator: inout SeededGenerator) {
        input = Linear(inputs: 1, outputs: width, bias: false, initializer: .normal(std: 1), generator: &generator)
        // Rows start small (std 0.1) and random, so the similarity panel starts as noise and every
        // structure in it was learned. (Tried in a PyTorch prototype: std 1 also learns the task,
        // but the rows keep most of their random start and the band stays faint.)
        positions = LearnedPositionalEncoding(positions: n, width: width, std: 0.1, generator: &generator)
        attention = MultiHeadAttention(width: width, heads: 2, generator: &generator)
        let bound = 1 / Float(width).squareRoot()
        readout = Linear(inputs: width, outputs: 1, initializer: .uniform(low: -bound, high: bound), generator: &generator)
    }

    /// [batch, positions] numbers -> [batch, positions] answers.
    func forward(_ x: Tensor) -> Tensor {
        let (b, n) = (x.shape[0], x.shape[1])
        let tokens = positions(input(x.reshaped([b, n, 1])))
        return readout(attention(tokens)).reshaped([b, n])
    }

    mutating func visitParameters(_ visit: (String, inout Tensor) throws -> Void) rethrows {
        try input.visitParameters { try visit("input.\($0)", &$1) }
        try positions.visitParameters { try visit("positions.\($0)", &$1) }
        try attention.visitParameters { try visit("attention.\($0)", &$1) }
        try readout.visitParameters { try visit("readout.\($0)", &$1) }
    }
}
