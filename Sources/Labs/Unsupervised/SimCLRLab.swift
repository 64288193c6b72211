import CardioSim
import Course
import MLEngine
import TextPlot

/// `simclr`: a small CNN learns features of beats from no labels at all, with SimCLR.
///
/// Each step draws 64 training beats and makes two views of each with random distortions
/// (`SimCLRAugmentation`: scale, baseline wander, time shift, noise; each switchable). The
/// encoder is chapter 4's CNN (three blocks of Conv1d(k 7) -> ReLU -> max pool 2, 32 filters,
/// then global average pooling: 32 features a beat) and a linear projection head to 16
/// numbers; NT-Xent on the 128 projections pulls each beat's two views together and pushes the
/// other beats' views away. The labels are never read in training.
///
/// Every `evaluationInterval` steps the encoder's weights are frozen and measured, spread over
/// the next steps (so no step is long): the 1,000 shifted, noisy test beats (`SimCLRBeats`)
/// are encoded `evaluationChunk` a step; the next step scores a linear probe (logistic
/// regression on the 32 features, `labels` labelled training beats per class) on them, and the
/// one after clusters them with K-means (k 5; purity and adjusted Rand index) and draws the map.
/// The same probe on the raw 250 samples, with the same labelled beats, and K-means on the raw
/// test beats are the baselines. So the evaluation of step S's weights is recorded at step S + 5.
public struct SimCLRLab: Lab {
    public static let labID = "simclr"
    /// Steps within which the default run is checked (`.ci/promises/ch9-unsupervised.sh`).
    public static let defaultStepBudget = 200
    public static let evaluationInterval = 100
    /// Steps from an evaluation's start to its scores: 1,000 test beats encoded 250 a step (the
    /// first in the step that starts it), then the probes, then K-means.
    public static let evaluationLag = 5
    /// The default run through the scores of its last evaluation (the map's `simclr-kmeans` row).
    public static let scoredStepBudget = defaultStepBudget + evaluationLag
    static let evaluationChunk = 250
    static let batch = 64
    static let projection = 16
    static let encoder = CNNConfig(filters: 32, kernel: 7, layers: 3, pool: .max)

    public let id = SimCLRLab.labID
    public let title = "SimCLR learns beat features without labels"
    public private(set) var seed: UInt64

    private var augmentation = SimCLRAugmentation()
    private var temperature = 0.2
    private var learningRate = 0.001
    private var labelBudget = 5

    private let data: SimCLRBeats
    private let config: CNNConfig
    private let batchSize: Int
    private let interval: Int
    private var model: Sequential
    private var optimizer: any Optimizer
    private var sampler: BatchSampler
    private var augmenter: SeededGenerator
    private var steps = 0
    private var evaluation: SimCLREvaluation?
    /// The test beats' features on their first two principal components, at the last finished
    /// evaluation: [1000, 2], or [0, 2] before it.
    private var map = Tensor(zeros: [0, 2])
    /// The first beat of the last batch and its two views: [3, window].
    private var views = Tensor(zeros: [0, 1])
    /// The raw probe's accuracy for each label budget measured so far (it depends on nothing else).
    private var rawProbe: [Int: Double] = [:]
    public private(set) var metrics = Metrics()

    public init(seed: UInt64) {
        self.init(seed: seed, encoder: Self.encoder, batch: Self.batch, evaluationInterval: Self.evaluationInterval)
    }

    /// A lab with a smaller encoder, batch or evaluation interval (tests in debug builds).
    init(seed: UInt64, encoder: CNNConfig, batch: Int, evaluationInterval: Int) {
        self.seed = seed
        data = SimCLRBeats.shared
        (config, batchSize, interval) = (encoder, batch, evaluationInterval)
        var generator = SeededGenerator(seed: seed)
        model = config.makeModel(classes: Self.projection, generator: &generator)
        optimizer = OptimizerKind.adam.make(learningRate: 0.001)
        sampler = BatchSampler(generator: generator.split())
        augmenter = generator.split()
        reset(seed: seed)
    }

    // MARK: Hyperparameters

    public var parameters: [Hyperparameter] {
        Self.parameters(augmentation: augmentation, temperature: temperature, lr: learningRate, labels: labelBudget)
    }

    public static var defaultParameters: [Hyperparameter] {
        parameters(augmentation: SimCLRAugmentation(), temperature: 0.2, lr: 0.001, labels: 5)
    }

    private static func parameters(augmentation a: SimCLRAugmentation, temperature: Double, lr: Double, labels: Int) -> [Hyperparameter] {
        func onOff(_ name: String, _ on: Bool, _ help: String) -> Hyperparameter {
            .choice(name, on ? "on" : "off", among: ["on", "off"], effect: .live, help: help)
        }
        return [
            onOff("shift", a.shift, "views moved by up to 40 samples"),
            onOff("noise", a.noise, "views given white noise, up to 0.05 mV"),
            onOff("scale", a.scale, "views scaled by 0.7-1.3"),
            onOff("wander", a.wander, "views given a slow baseline wander, up to 0.15 mV"),
            .logScale("temperature", temperature, in: 0.025...1.6, factor: 2, effect: .live,
                      help: "NT-Xent temperature: small values push hardest on the nearest wrong views"),
            .logScale("lr", lr, in: 0.0001...0.01, factor: 2, effect: .live, help: "Adam learning rate"),
            .linear("labels", Double(labels), in: 1...Double(SimCLRBeats.largestLabelBudget), step: 1, integer: true,
                    effect: .live, help: "labelled training beats per class the linear probes learn from (next evaluation)"),
        ]
    }

    public mutating func set(_ name: String, to value: HyperValue) throws {
        let checked = try parameters.checked(name, value, lab: id)
        let on = checked.choice.map { $0 == "on" }
        switch name {
        case "shift": augmentation.shift = on ?? augmentation.shift
        case "noise": augmentation.noise = on ?? augmentation.noise
        case "scale": augmentation.scale = on ?? augmentation.scale
        case "wander": augmentation.wander = on ?? augmentation.wander
        case "temperature": temperature = checked.number ?? temperature
        case "lr":
            learningRate = checked.number ?? learningRate
            optimizer.learningRate = Float(learningRate)
        default: labelBudget = checked.number.map { Int($0) } ?? labelBudget
        }
    }

    // MARK: Training

    public mutating func reset(seed: UInt64) {
        self.seed = seed
        var generator = SeededGenerator(seed: seed)
        model = config.makeModel(classes: Self.projection, generator: &generator)
        optimizer = OptimizerKind.adam.make(learningRate: learningRate)
        sampler = BatchSampler(generator: generator.split())
        augmenter = generator.split()
        steps = 0
        evaluation = nil
        map = Tensor(zeros: [0, 2])
        views = Tensor(zeros: [0, 1])
        metrics = Metrics(series: ["contrastive_loss", "probe_accuracy", "raw_probe_accuracy", "kmeans_purity", "adjusted_rand",
                                   "test_step"].map { .init(name: $0) })
        metrics.set("raw_kmeans_purity", SimCLRBeats.rawKMeans.purity)
        metrics.set("raw_adjusted_rand", SimCLRBeats.rawKMeans.adjustedRand)
    }

    public mutating func step() throws -> StepReport {
        let rows = sampler.indices(size: batchSize, from: data.trainCount)
        let window = data.window
        var first = [Float](), second = [Float]()
        first.reserveCapacity(rows.count * window)
        second.reserveCapacity(rows.count * window)
        for row in rows {
            let beat = data.train[(row * window)..<((row + 1) * window)]
            first += augmentation.view(of: beat, generator: &augmenter)
            second += augmentation.view(of: beat, generator: &augmenter)
        }
        views = Tensor(shape: [3, window], scalars: Array(data.train[(rows[0] * window)..<((rows[0] + 1) * window)])
                       + Array(first[0..<window]) + Array(second[0..<window]))
        let input = Tensor(shape: [2 * rows.count, 1, window], scalars: first + second)
        model.zeroGrad()
        let loss = try ntXentLoss(model(input), temperature: Float(temperature))
        loss.backward()
        optimizer.step(&model)
        steps += 1
        let value = Double(loss.item)
        metrics.append(value, to: "contrastive_loss")
        if evaluation == nil && steps % interval == 0 {
            evaluation = SimCLREvaluation(model: model, step: steps, count: data.testCount)
        }
        if var running = evaluation {
            if running.next < running.count {
                _ = running.advance(data.test, window: window, chunk: Self.evaluationChunk)
                evaluation = running
            } else if running.probes == nil {
                running.probes = probes(running)
                evaluation = running
            } else {
                evaluation = nil
                finish(running)
            }
        }
        return StepReport(loss: value)
    }

    /// The step after the test beats are encoded: the linear probe on the frozen features and
    /// the same probe on the raw beats, both from `labels` labelled beats a class.
    private mutating func probes(_ done: SimCLREvaluation) -> SimCLREvaluation.Probes {
        let (rows, labels) = data.probeRows(perClass: labelBudget)
        let window = data.window
        let labelled = rows.flatMap { data.train[($0 * window)..<(($0 + 1) * window)] }
        let trainFeatures = SimCLREvaluation.features(done.model, Tensor(shape: [rows.count, 1, window], scalars: labelled))
        let probe = LinearProbe.accuracy(trainFeatures: trainFeatures.map(Double.init), trainLabels: labels,
                                         testFeatures: done.features.map(Double.init), testLabels: data.testLabels,
                                         dimension: config.filters, classes: data.classCount)
        let raw = rawProbe[labelBudget]
            ?? (labelBudget == 5 ? SimCLRBeats.rawProbeWithFiveLabels : data.rawProbeAccuracy(perClass: labelBudget))
        rawProbe[labelBudget] = raw
        return .init(features: probe, raw: raw, labels: labelBudget)
    }

    /// The step after that: K-means on the features and the map; then every score is recorded.
    /// One K-means run gives both its purity and its adjusted Rand index (`adjusted_rand`, the
    /// map's SimCLR + K-means score). Its beats are the same 1,000 test beats the `kmeans` lab
    /// clusters at data=beats, with the same classes, but shifted and noisy (`SimCLRBeats`), where
    /// `kmeans` clusters them aligned: `raw_adjusted_rand` is K-means on the raw shifted beats.
    private mutating func finish(_ done: SimCLREvaluation) {
        let dimension = config.filters
        let testFeatures = done.features.map(Double.init)
        let (probe, raw) = (done.probes?.features ?? .nan, done.probes?.raw ?? .nan)
        let clustering = SimCLRScore.kmeans(points: testFeatures, dimension: dimension, labels: data.testLabels,
                                            classes: data.classCount)
        metrics.append(probe, to: "probe_accuracy")
        metrics.append(raw, to: "raw_probe_accuracy")
        metrics.append(clustering.purity, to: "kmeans_purity")
        metrics.append(clustering.adjustedRand, to: "adjusted_rand")
        metrics.append(Double(done.step), to: "test_step")
        if let pca = try? PrincipalComponents(rows: testFeatures, dimension: dimension) {
            var xy = [Float]()
            xy.reserveCapacity(2 * data.testCount)
            for r in 0..<data.testCount {
                xy += pca.project(testFeatures[(r * dimension)..<((r + 1) * dimension)], components: 2).map(Float.init)
            }
            map = Tensor(shape: [data.testCount, 2], scalars: xy)
        }
    }

    public var isFinite: Bool { MLPBuilder.isFinite(model) }

    public func divergenceHint() -> String? {
        "learning rate \(NumberText.format(learningRate)) is too high for Adam here; lower lr (0.001 works) and press r"
    }

    // MARK: What the panels and tests read

    /// The test beats' features on their first two principal components, at the last evaluation.
    public var featureMap: Tensor { map }
    var network: Sequential { model }

    // MARK: Panels

    public var panelIDs: [String] { Self.panelNames }
    public static let panelNames = ["loss", "map", "probe", "views"]

    public func panel(_ id: String) -> Panel? {
        switch id {
        case "loss":
            return MetricChart.panel(title: "Contrastive loss (NT-Xent, training batches)", metrics: metrics,
                                     series: ["contrastive_loss"], labels: ["NT-Xent"], smoothing: 0.9, finiteOnly: true)
        case "map": return mapPanel()
        case "probe": return probePanel()
        case "views": return viewsPanel()
        default: return nil
        }
    }

    private func mapPanel() -> Panel {
        let n = map.shape[0]
        let xy = map.copyScalars()
        let points = (0..<n).map { ScatterPoint(x: Double(xy[2 * $0]), y: Double(xy[2 * $0 + 1]), label: data.testLabels[$0]) }
        let when = metrics.values("test_step").last.map { "step \(Int($0))" } ?? "none yet"
        return Panel(title: "Feature map of test beats (\(when))",
                     content: .scatter(ScatterSpec(points: points, classNames: data.classNames)))
    }

    private func probePanel() -> Panel {
        func latest(_ name: String) -> String { metrics.latest(name).map { NumberText.format($0) } ?? "-" }
        let rows = [
            ["linear probe accuracy", latest("probe_accuracy"), latest("raw_probe_accuracy")],
            ["K-means purity", latest("kmeans_purity"), NumberText.format(SimCLRBeats.rawKMeans.purity)],
            ["K-means adjusted Rand", latest("adjusted_rand"), NumberText.format(SimCLRBeats.rawKMeans.adjustedRand)],
        ]
        let pending = evaluation.map { ", measuring step \($0.step)" } ?? ""
        return Panel(title: "Probe: \(labelBudget) labels a class, shifted test beats\(pending)",
                     content: .table(TableSpec(headers: ["measure", "SimCLR features", "raw beats"], rows: rows,
                                               alignments: [.left, .right, .right], highlightedRows: [0])))
    }

    private func viewsPanel() -> Panel {
        guard views.shape[0] == 3 else {
            return Panel(title: "Two views of one beat", content: .text("Press Space: each step draws two views of \(batchSize) beats."))
        }
        let values = views.copyScalars().map(Double.init), window = views.shape[1]
        let names = ["beat", "view 1", "view 2"]
        let series = (0..<3).map { LineSeries(name: names[$0], values: Array(values[($0 * window)..<(($0 + 1) * window)])) }
        return Panel(title: "Two views of one beat (last batch)", content: .lineChart(LineChartSpec(series: series)))
    }

    // MARK: Checkpoints

    public func snapshot() -> LabState {
        var tensors: [String: Tensor] = ["map": map.detached(), "views": views.detached()]
        CheckpointParts.store(model, as: "model", into: &tensors)
        CheckpointParts.store(optimizer, as: "optimizer", into: &tensors)
        var metadata: [String: JSONValue] = [
            "seed": .string(String(seed)),
            "step": .number(Double(steps)),
            "built": StateCoding.json([Hyperparameter]()),
            "settings": StateCoding.json(parameters),
            "sampler": StateCoding.json(sampler.generator),
            "augmenter": StateCoding.json(augmenter),
            "metrics": StateCoding.json(metrics),
        ]
        evaluation?.store(into: &tensors, metadata: &metadata)
        return LabState(labID: id, tensors: tensors, metadata: metadata)
    }

    public mutating func restore(_ state: LabState) throws {
        try state.expect(lab: id)
        func bad(_ key: String, _ problem: String) -> LabStateError { .badMetadata(lab: id, key: key, problem: problem) }
        var copy = try CheckpointParts.rebuild(self, from: state, seed: CheckpointParts.seed(in: state))
        let savedSteps = try CheckpointParts.integer("step", in: state)
        let savedSampler = try StateCoding.generator(from: state.metadata["sampler"], key: "sampler", lab: id)
        let savedAugmenter = try StateCoding.generator(from: state.metadata["augmenter"], key: "augmenter", lab: id)
        let savedMetrics = try StateCoding.metrics(from: state.metadata["metrics"], key: "metrics", lab: id)
        guard let savedMap = state.tensors["map"], savedMap.rank == 2, savedMap.shape[1] == 2,
              savedMap.shape[0] == 0 || savedMap.shape[0] == data.testCount else {
            throw bad("map", "must be [0 or \(data.testCount), 2]")
        }
        guard let savedViews = state.tensors["views"], savedViews.rank == 2,
              savedViews.shape == [0, 1] || savedViews.shape == [3, data.window] else {
            throw bad("views", "must be [0, 1] or [3, \(data.window)]")
        }
        try CheckpointParts.load(&copy.model, from: "model", in: state)
        try CheckpointParts.load(&copy.optimizer, from: "optimizer", in: state, for: copy.model)
        copy.evaluation = try SimCLREvaluation.restore(from: state, shape: copy.model, count: data.testCount,
                                                       dimension: config.filters)
        copy.sampler = BatchSampler(generator: savedSampler)
        copy.augmenter = savedAugmenter
        copy.steps = savedSteps
        copy.metrics = savedMetrics
        copy.map = savedMap.detached()
        copy.views = savedViews.detached()
        self = copy
    }
}

/// An evaluation of `simclr`'s encoder spread over steps: the weights frozen when it began, and
/// the test beats' features found so far.
struct SimCLREvaluation {
    let model: Sequential
    let step: Int
    let count: Int
    /// Features of test beats 0..<next, row-major [next, filters].
    private(set) var features: [Float] = []
    private(set) var next = 0
    /// Both probes' accuracies, once measured (the step after the last beat is encoded).
    struct Probes: Equatable {
        var features: Double
        var raw: Double
        var labels: Int
    }
    var probes: Probes?

    init(model: Sequential, step: Int, count: Int) {
        self.model = model
        self.step = step
        self.count = count
    }

    /// Encodes the next `chunk` beats of `beats` (row-major, `window` samples each); true when
    /// every beat is encoded.
    mutating func advance(_ beats: [Float], window: Int, chunk: Int) -> Bool {
        let end = Swift.min(count, next + chunk)
        if next < end {
            let part = Array(beats[(next * window)..<(end * window)])
            features += Self.features(model, Tensor(shape: [end - next, 1, window], scalars: part))
            next = end
        }
        return next >= count
    }

    /// The global-average-pooled features of `input` [N, 1, window]: the encoder without its
    /// projection head, row-major [N, filters].
    static func features(_ model: Sequential, _ input: Tensor) -> [Float] {
        withNoGrad {
            var x = input
            for (name, layer) in model.layers {
                x = layer(x)
                if name == "gap" { break }
            }
            return x.copyScalars()
        }
    }

    func store(into tensors: inout [String: Tensor], metadata: inout [String: JSONValue]) {
        CheckpointParts.store(model, as: "evaluating", into: &tensors)
        let width = next == 0 ? 1 : features.count / next
        tensors["evaluating_features"] = Tensor(shape: [next, width], scalars: features)
        var fields: [String: JSONValue] = ["step": .number(Double(step)), "next": .number(Double(next))]
        if let probes {
            fields["probe_accuracy"] = StateCoding.json(probes.features)
            fields["raw_probe_accuracy"] = StateCoding.json(probes.raw)
            fields["labels"] = .number(Double(probes.labels))
        }
        metadata["evaluating"] = .object(fields)
    }

    static func restore(from state: LabState, shape: Sequential, count: Int, dimension: Int) throws -> SimCLREvaluation? {
        guard let saved = state.metadata["evaluating"] else { return nil }
        func bad(_ problem: String) -> LabStateError { .badMetadata(lab: state.labID, key: "evaluating", problem: problem) }
        guard let fields = saved.object,
              let step = fields["step"]?.number.flatMap({ StateCoding.int($0, in: 0...CheckpointParts.maximumInteger) }),
              let next = fields["next"]?.number.flatMap({ StateCoding.int($0, in: 0...count) }) else {
            throw bad("must give the step and the next test beat (0-\(count))")
        }
        guard let saved = state.tensors["evaluating_features"], saved.rank == 2, saved.shape[0] == next,
              next == 0 || saved.shape[1] == dimension else {
            throw bad("evaluating_features must be [\(next), \(dimension)]")
        }
        var model = shape
        try CheckpointParts.load(&model, from: "evaluating", in: state)
        var evaluation = SimCLREvaluation(model: model, step: step, count: count)
        evaluation.next = next
        evaluation.features = next == 0 ? [] : saved.copyScalars()
        if fields["probe_accuracy"] != nil {
            guard next == count,
                  let labels = fields["labels"]?.number.flatMap({ StateCoding.int($0, in: 1...SimCLRBeats.largestLabelBudget) }) else {
                throw bad("probes are measured only once every test beat is encoded, with 1-\(SimCLRBeats.largestLabelBudget) labels")
            }
            let lab = state.labID
            evaluation.probes = Probes(
                features: try StateCoding.double(fields["probe_accuracy"], key: "evaluating.probe_accuracy", lab: lab),
                raw: try StateCoding.double(fields["raw_probe_accuracy"], key: "evaluating.raw_probe_accuracy", lab: lab),
                labels: labels)
        }
        return evaluation
    }
}
