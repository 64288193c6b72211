import CardioSim
import Course
import MLEngine
import TextPlot

/// `pca`: principal component analysis of the training beats (4,000 x 250 samples).
///
/// The covariance is gathered `chunk` beats a step, then decomposed in one step by the
/// symmetric eigensolver (Householder, then implicit QL) and the lab is finished: PCA has no
/// iterations to watch, but the covariance filling up and the components appearing are the
/// run. Afterwards `k` (how many components rebuild a beat) and `beat` (which test beat is
/// shown) are live: the test beats' reconstruction error is measured again at once.
public struct PCALab: Lab {
    public static let labID = "pca"
    /// Training beats added to the covariance per step (about 10 ms of work).
    static let chunk = 500
    /// Components drawn as signals and bars shown.
    static let drawnComponents = 3, shownBars = 10

    public let id = PCALab.labID
    public let title = "PCA finds the main shapes of heartbeats"
    public private(set) var seed: UInt64

    private var components = 2
    private var shownBeat = 0

    private let data: PCABeats
    private var accumulator: CovarianceAccumulator
    private var fit: PrincipalComponents?
    /// The test beats on the first two components, once fitted.
    private var plane: [ScatterPoint] = []
    private var steps = 0
    public private(set) var metrics = Metrics()

    public init(seed: UInt64) {
        self.seed = seed
        data = PCABeats.shared
        accumulator = CovarianceAccumulator(dimension: data.window)
        reset(seed: seed)
    }

    // MARK: Hyperparameters

    public var parameters: [Hyperparameter] { Self.parameters(k: components, beat: shownBeat) }
    public static var defaultParameters: [Hyperparameter] { parameters(k: 2, beat: 0) }

    private static func parameters(k: Int, beat: Int) -> [Hyperparameter] {
        [
            .linear("k", Double(k), in: 1...50, step: 1, integer: true,
                    help: "components kept when a beat is rebuilt (live once the components are found)"),
            .linear("beat", Double(beat), in: 0...999, step: 1, integer: true, help: "which test beat the rebuild panel shows"),
        ]
    }

    public mutating func set(_ name: String, to value: HyperValue) throws {
        let checked = try parameters.checked(name, value, lab: id)
        let number = checked.number.map { Int($0) }
        if name == "k" {
            components = number ?? components
            measureReconstruction()
        } else {
            shownBeat = number ?? shownBeat
        }
    }

    // MARK: Fitting

    public mutating func reset(seed: UInt64) {
        // PCA draws no random numbers: the seed is kept only to be reported.
        self.seed = seed
        accumulator = CovarianceAccumulator(dimension: data.window)
        fit = nil
        plane = []
        steps = 0
        metrics = Metrics()
        metrics.set("beats_gathered", 0)
    }

    public mutating func step() throws -> StepReport {
        guard fit == nil else { return StepReport(finished: true, note: "the components are found; change k or beat") }
        steps += 1
        let start = accumulator.count
        if start < data.trainCount {
            let end = min(start + Self.chunk, data.trainCount)
            accumulator.add(rows: data.train[(start * data.window)..<(end * data.window)])
            metrics.set("beats_gathered", Double(accumulator.count))
            return StepReport()
        }
        try decompose()
        return StepReport(finished: true, note: "decomposed the \(data.window) x \(data.window) covariance of \(accumulator.count) beats")
    }

    private mutating func decompose() throws {
        let pca = try PrincipalComponents(accumulated: accumulator)
        fit = pca
        metrics.set("explained_variance_2", pca.explainedVarianceRatio(2))
        plane = (0..<data.testCount).map { i in
            let xy = pca.project(data.test[(i * data.window)..<((i + 1) * data.window)], components: 2)
            return ScatterPoint(x: xy[0], y: xy[1], label: data.testLabels[i])
        }
        measureReconstruction()
    }

    /// The test beats' mean squared error per sample, rebuilt from the first k components.
    private mutating func measureReconstruction() {
        guard let fit else { return }
        metrics.set("reconstruction_mse", fit.reconstructionError(rows: data.test, components: components))
        metrics.set("explained_variance_k", fit.explainedVarianceRatio(components))
    }

    public var isFinite: Bool { fit?.components.allSatisfy(\.isFinite) ?? true }

    // MARK: What the panels and tests read

    public var principalComponents: PrincipalComponents? { fit }

    // MARK: Panels

    public var panelIDs: [String] { Self.panelNames }
    public static let panelNames = ["variance", "components", "plane", "rebuild"]

    public func panel(_ id: String) -> Panel? {
        guard let fit else {
            let text = "Gathering the covariance: \(accumulator.count) of \(data.trainCount) training beats. "
                + "The components appear when all are in (press Space)."
            return panelIDs.contains(id) ? Panel(title: "Principal components: not found yet", content: .text(text)) : nil
        }
        switch id {
        case "variance":
            let bars = (0..<Self.shownBars).map { k in
                Bar(label: "PC\(k + 1)", value: 100 * (fit.explainedVarianceRatio(k + 1) - fit.explainedVarianceRatio(k)))
            }
            let two = NumberText.format(100 * fit.explainedVarianceRatio(2))
            return Panel(title: "Explained variance % (first two: \(two)%)",
                         content: .bars(BarChartSpec(bars: bars, highlighted: components <= Self.shownBars ? components - 1 : nil)))
        case "components":
            let lines = (0..<Self.drawnComponents).map { LineSeries(name: "PC\($0 + 1)", values: fit.component($0)) }
            return Panel(title: "The first \(Self.drawnComponents) components, as signals (250 samples)",
                         content: .lineChart(LineChartSpec(series: lines)))
        case "plane":
            return Panel(title: "Test beats on PC1 and PC2 (hidden class)",
                         content: .scatter(ScatterSpec(points: plane, classNames: data.classNames)))
        case "rebuild": return rebuildPanel(fit)
        default: return nil
        }
    }

    private func rebuildPanel(_ fit: PrincipalComponents) -> Panel {
        let row = data.test[(shownBeat * data.window)..<((shownBeat + 1) * data.window)]
        let rebuilt = fit.reconstruct(fit.project(row, components: components))
        let original = Array(row)
        let error = zip(original, rebuilt).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(data.window)
        let chart = LineChartSpec(series: [LineSeries(name: "original", values: original),
                                           LineSeries(name: "from \(components) components", values: rebuilt)])
        return Panel(title: "Test beat \(shownBeat) (\(data.classNames[data.testLabels[shownBeat]])) rebuilt from k=\(components): mse \(NumberText.format(error))",
                     content: .lineChart(chart))
    }

    // MARK: Checkpoints

    /// The state is the number of beats gathered (and whether the decomposition ran): both
    /// are a fixed function of that count, so restoring gathers the same beats in the same
    /// chunks again and gets the same bits. The components travel as a tensor for inspection.
    public func snapshot() -> LabState {
        var tensors: [String: Tensor] = [:]
        if let fit {
            tensors["components"] = Tensor(shape: [data.window, data.window], scalars: fit.components.map(Float.init))
        }
        return LabState(labID: id, tensors: tensors, metadata: [
            "seed": .string(String(seed)),
            "step": .number(Double(steps)),
            "beats_gathered": .number(Double(accumulator.count)),
            "decomposed": .bool(fit != nil),
            "k": .number(Double(components)),
            "beat": .number(Double(shownBeat)),
        ])
    }

    public mutating func restore(_ state: LabState) throws {
        try state.expect(lab: id)
        func bad(_ key: String, _ problem: String) -> LabStateError { .badMetadata(lab: id, key: key, problem: problem) }
        let savedSeed = try CheckpointParts.seed(in: state)
        guard let gathered = state.metadata["beats_gathered"]?.number.flatMap({ StateCoding.int($0, in: 0...data.trainCount) }),
              gathered == data.trainCount || gathered % Self.chunk == 0 else {
            throw bad("beats_gathered", "must be a multiple of \(Self.chunk) up to \(data.trainCount)")
        }
        guard case .bool(let decomposed)? = state.metadata["decomposed"], !decomposed || gathered == data.trainCount else {
            throw bad("decomposed", "must be true or false (true only once every beat is gathered)")
        }
        guard let k = state.metadata["k"]?.number.flatMap({ StateCoding.int($0, in: 1...50) }),
              let beat = state.metadata["beat"]?.number.flatMap({ StateCoding.int($0, in: 0...999) }) else {
            throw bad("k", "k must be 1-50 and beat 0-999")
        }
        let savedSteps = try CheckpointParts.integer("step", in: state)
        (components, shownBeat) = (k, beat)
        reset(seed: savedSeed)
        while accumulator.count < gathered {
            let start = accumulator.count, end = min(start + Self.chunk, data.trainCount)
            accumulator.add(rows: data.train[(start * data.window)..<(end * data.window)])
        }
        metrics.set("beats_gathered", Double(accumulator.count))
        if decomposed { try decompose() }
        steps = savedSteps
    }
}

/// The beats `pca` reads, as Doubles: the training beats (fitted) and the test beats (rebuilt
/// and drawn). Made once per process, like the beats themselves.
struct PCABeats: Sendable {
    let window: Int
    let train: [Double]
    let test: [Double]
    let testLabels: [Int]
    let classNames: [String]
    var trainCount: Int { train.count / window }
    var testCount: Int { testLabels.count }

    /// The test beats' mean squared error per sample, rebuilt from the training beats' first two
    /// principal components: the bar `vae` (also two numbers a beat) is set against.
    var twoComponentError: Double { Self.pcaTwoComponentError }

    static let pcaTwoComponentError: Double = {
        guard let pca = try? PrincipalComponents(rows: shared.train, dimension: shared.window) else { return .nan }
        return pca.reconstructionError(rows: shared.test, components: 2)
    }()

    static let shared: PCABeats = {
        guard let data = LabData.beats() else {
            return PCABeats(window: 2, train: [0, 0, 1, 1], test: [0, 0], testLabels: [0], classNames: ["none"])
        }
        return PCABeats(window: data.train.beats.shape[1], train: data.train.beats.copyScalars().map(Double.init),
                        test: data.test.beats.copyScalars().map(Double.init), testLabels: data.test.labels,
                        classNames: data.classes.map(\.rawValue))
    }()
}
