import Course
import MLEngine
import TextPlot

/// `kmeans`: K-means clustering, one assign-and-move iteration per step, so the centres can be
/// watched as they travel.
///
/// The data (`data`): the test beats, clustered in all 250 dimensions and drawn in the plane of
/// their first two principal components; or two patient features (heart rate and QTc, rescaled;
/// the hidden class is taking a QT drug); or two nested rings, or two half-moons, where round
/// clusters cannot follow the shapes. The hidden beat classes (or shapes) never reach K-means;
/// they only score the result (purity, adjusted Rand index). Alongside, an elbow search runs
/// K-means for every k from 1 to 8, a few iterations a step, and draws inertia against k.
public struct KMeansLab: Lab {
    public static let labID = "kmeans"
    /// Work per step for the elbow search, in point-to-centre distance terms (about 5 ms).
    static let elbowBudget = 8_000_000
    /// Trail points kept per centre (the picture stays readable on long runs).
    static let trailLength = 40

    public let id = KMeansLab.labID
    public let title = "K-means clusters heartbeats"
    public private(set) var seed: UInt64

    // Settings, all taking effect at the next reset.
    private var dataKind = ClusteringData.Kind.beats
    private var clusterCount = 5
    private var seeding = KMeans.Seeding.plusPlus

    private var data: ClusteringData
    private var built: (data: ClusteringData.Kind, k: Int, seeding: KMeans.Seeding)
    private var kmeans: KMeans
    /// Each centre's picture position after seeding and after every iteration.
    private var trails: [[PlotPoint]] = []
    private var elbow: ElbowSearch
    private var moved = 0
    public private(set) var metrics = Metrics()

    public init(seed: UInt64) {
        self.seed = seed
        data = ClusteringData.make(.beats)
        built = (.beats, 5, .plusPlus)
        var generator = SeededGenerator(seed: seed)
        kmeans = KMeans(points: data.points, dimension: data.dimension, clusters: 5, seeding: .plusPlus, generator: &generator)
        elbow = ElbowSearch(seeding: .plusPlus, generator: generator)
        reset(seed: seed)
    }

    // MARK: Hyperparameters

    public var parameters: [Hyperparameter] { Self.parameters(data: dataKind, k: clusterCount, seeding: seeding) }

    public static var defaultParameters: [Hyperparameter] { parameters(data: .beats, k: 5, seeding: .plusPlus) }

    private static func parameters(data: ClusteringData.Kind, k: Int, seeding: KMeans.Seeding) -> [Hyperparameter] {
        [
            .choice("data", data.rawValue, among: ClusteringData.Kind.allCases.map(\.rawValue), effect: .reset,
                    help: "what to cluster: beats (250 samples each), rings (two nested rings), moons (two half-moons) "
                        + "or patients (heart rate and QTc, rescaled)"),
            .linear("k", Double(k), in: 1...8, step: 1, integer: true, effect: .reset, help: "number of clusters (centres)"),
            .choice("seeding", seeding.rawValue, among: KMeans.Seeding.allCases.map(\.rawValue), effect: .reset,
                    help: "first centres: random points, or k-means++ (spread out, far points likelier)"),
        ]
    }

    public mutating func set(_ name: String, to value: HyperValue) throws {
        let checked = try parameters.checked(name, value, lab: id)
        switch name {
        case "data": dataKind = checked.choice.flatMap(ClusteringData.Kind.init(rawValue:)) ?? dataKind
        case "k": clusterCount = checked.number.map { Int($0) } ?? clusterCount
        default: seeding = checked.choice.flatMap(KMeans.Seeding.init(rawValue:)) ?? seeding
        }
    }

    // MARK: Clustering

    public mutating func reset(seed: UInt64) {
        self.seed = seed
        built = (dataKind, clusterCount, seeding)
        data = ClusteringData.make(dataKind)
        var generator = SeededGenerator(seed: seed)
        var elbowGenerator = generator.split()
        kmeans = KMeans(points: data.points, dimension: data.dimension, clusters: clusterCount, seeding: seeding, generator: &generator)
        elbow = ElbowSearch(seeding: seeding, generator: elbowGenerator.split())
        trails = centrePositions().map { [$0] }
        moved = 0
        metrics = Metrics(series: [.init(name: "inertia")])
        metrics.set("iterations", 0)
    }

    public mutating func step() throws -> StepReport {
        if !kmeans.converged {
            moved = kmeans.iterate(points: data.points)
            metrics.append(kmeans.inertia, to: "inertia")
            metrics.set("iterations", Double(kmeans.iterations))
            metrics.set("purity", ClusterQuality.purity(clusters: kmeans.assignments, classes: data.labels))
            metrics.set("adjusted_rand", ClusterQuality.adjustedRandIndex(clusters: kmeans.assignments, classes: data.labels))
            for (k, position) in centrePositions().enumerated() {
                trails[k].append(position)
                if trails[k].count > Self.trailLength { trails[k].removeFirst() }
            }
        }
        elbow.advance(data, budget: Self.elbowBudget)
        let finished = kmeans.converged && elbow.done
        let note = finished ? "assignments stopped changing after \(kmeans.iterations) iterations" : nil
        return StepReport(loss: kmeans.inertia, finished: finished, note: note)
    }

    /// The centres' positions in the picture.
    private func centrePositions() -> [PlotPoint] {
        (0..<kmeans.clusters).map { k in
            let (x, y) = data.place(kmeans.centres[(k * data.dimension)..<((k + 1) * data.dimension)])
            return PlotPoint(x: x, y: y)
        }
    }

    public var isFinite: Bool { kmeans.centres.allSatisfy(\.isFinite) }

    // MARK: What the panels and tests read

    public var clustering: KMeans { kmeans }
    public var elbowInertias: [Double] { elbow.inertias }
    var hiddenLabels: [Int] { data.labels }

    // MARK: Panels

    public var panelIDs: [String] { Self.panelNames }
    public static let panelNames = ["clusters", "inertia", "elbow", "score"]

    public func panel(_ id: String) -> Panel? {
        switch id {
        case "clusters": return clustersPanel()
        case "inertia":
            return MetricChart.panel(title: "Inertia per iteration (sum of squared distances to centres)",
                                     metrics: metrics, series: ["inertia"], labels: ["inertia"])
        case "elbow": return elbowPanel()
        case "score": return scorePanel()
        default: return nil
        }
    }

    /// Points coloured by their cluster, centres as their own mark, each centre's trail a line.
    private func clustersPanel() -> Panel {
        let k = kmeans.clusters
        let unassigned = kmeans.assignments.isEmpty
        var points = (0..<data.count).map { i in
            ScatterPoint(x: data.picture[2 * i], y: data.picture[2 * i + 1], label: unassigned ? k + 1 : kmeans.assignments[i])
        }
        points += centrePositions().map { ScatterPoint(x: $0.x, y: $0.y, label: k) }
        var names = (1...k).map { "cluster \($0)" } + ["centre"]
        if unassigned { names.append("not assigned yet") }
        let lines = trails.enumerated().map { OverlayLine(name: "trail \($0.offset + 1)", points: $0.element) }
        let plane: String
        switch data.kind {
        case .beats: plane = "beats (PCA map)"
        case .patients: plane = "patients (heart rate, QTc)"
        default: plane = "the \(data.kind.rawValue)"
        }
        let state = kmeans.iterations == 0 ? "starting centres" : "iteration \(kmeans.iterations)\(kmeans.converged ? ", settled" : "")"
        return Panel(title: "Clusters: \(plane), \(state)",
                     content: .scatter(ScatterSpec(points: points, classNames: names, lines: lines)))
    }

    /// Settled inertia against k, the chosen k highlighted; bars still to measure are left out.
    private func elbowPanel() -> Panel {
        let bars = elbow.inertias.enumerated().map { Bar(label: "k=\($0.offset + 1)", value: $0.element) }
        let pending = elbow.measuring.map { ", measuring k=\($0)" } ?? ""
        let chosen = built.k - 1 < bars.count ? built.k - 1 : nil
        return Panel(title: "Elbow: settled inertia against k\(pending)",
                     content: .bars(BarChartSpec(bars: bars, highlighted: chosen)))
    }

    /// The run so far, and how well the clusters match the hidden classes.
    private func scorePanel() -> Panel {
        func number(_ name: String) -> String { metrics.latest(name).map { NumberText.format($0) } ?? "-" }
        let rows = [
            ["iterations", "\(kmeans.iterations)"],
            ["points moved (last)", "\(moved)"],
            ["inertia", kmeans.iterations == 0 ? "-" : NumberText.format(kmeans.inertia)],
            ["purity (hidden classes)", number("purity")],
            ["adjusted Rand index", number("adjusted_rand")],
            ["k, seeding", "\(built.k), \(built.seeding.rawValue)"],
        ]
        return Panel(title: kmeans.converged ? "Score: settled, no point moved" : "Score",
                     content: .table(TableSpec(headers: ["measure", "value"], rows: rows, alignments: [.left, .right])))
    }

    // MARK: Checkpoints

    public func snapshot() -> LabState {
        let trailJSON: JSONValue = .array(trails.map { .array($0.flatMap { [StateCoding.json($0.x), StateCoding.json($0.y)] }) })
        var elbowJSON: [String: JSONValue] = [
            "inertias": .array(elbow.inertias.map(StateCoding.json)),
            "generator": StateCoding.json(elbow.generator),
        ]
        if let current = elbow.current { elbowJSON["current"] = KMeansCoding.json(current) }
        return LabState(labID: id, tensors: ["centres": Tensor(shape: [kmeans.clusters, data.dimension],
                                                               scalars: kmeans.centres.map(Float.init))], metadata: [
            "seed": .string(String(seed)),
            "data": .string(built.data.rawValue),
            "k": .number(Double(built.k)),
            "seeding": .string(built.seeding.rawValue),
            "kmeans": KMeansCoding.json(kmeans),
            "trails": trailJSON,
            "elbow": .object(elbowJSON),
            "moved": .number(Double(moved)),
            "metrics": StateCoding.json(metrics),
        ])
    }

    public mutating func restore(_ state: LabState) throws {
        try state.expect(lab: id)
        func bad(_ key: String, _ problem: String) -> LabStateError { .badMetadata(lab: id, key: key, problem: problem) }
        guard let savedSeed = state.metadata["seed"]?.string.flatMap({ UInt64($0) }) else {
            throw bad("seed", "must be a 64-bit number written as a string")
        }
        guard let kind = state.metadata["data"]?.string.flatMap(ClusteringData.Kind.init(rawValue:)) else {
            throw bad("data", "must be one of \(ClusteringData.Kind.allCases.map(\.rawValue))")
        }
        guard let k = state.metadata["k"]?.number.flatMap({ StateCoding.int($0, in: 1...8) }) else { throw bad("k", "must be 1-8") }
        guard let savedSeeding = state.metadata["seeding"]?.string.flatMap(KMeans.Seeding.init(rawValue:)) else {
            throw bad("seeding", "must be random or k-means++")
        }
        let savedData = ClusteringData.make(kind)
        let savedKMeans = try KMeansCoding.kmeans(from: state.metadata["kmeans"], key: "kmeans", lab: id, clusters: k, data: savedData)
        guard let trailArrays = state.metadata["trails"]?.array, trailArrays.count == k else { throw bad("trails", "needs one trail per centre") }
        let savedTrails = try trailArrays.map { trail -> [PlotPoint] in
            let numbers = try (trail.array ?? []).map { try StateCoding.double($0, key: "trails", lab: id) }
            guard numbers.count % 2 == 0, !numbers.isEmpty else { throw bad("trails", "each trail is a list of x, y pairs") }
            return stride(from: 0, to: numbers.count, by: 2).map { PlotPoint(x: numbers[$0], y: numbers[$0 + 1]) }
        }
        guard let elbowObject = state.metadata["elbow"]?.object else { throw bad("elbow", "must be an object") }
        let inertias = try (elbowObject["inertias"]?.array ?? []).map { try StateCoding.double($0, key: "elbow", lab: id) }
        guard inertias.count <= ElbowSearch.largestK else { throw bad("elbow", "at most \(ElbowSearch.largestK) inertias") }
        let elbowGenerator = try StateCoding.generator(from: elbowObject["generator"], key: "elbow", lab: id)
        let current = try elbowObject["current"].map {
            try KMeansCoding.kmeans(from: $0, key: "elbow", lab: id, clusters: inertias.count + 1, data: savedData)
        }
        let savedMoved = try CheckpointParts.integer("moved", in: state)
        let savedMetrics = try StateCoding.metrics(from: state.metadata["metrics"], key: "metrics", lab: id)

        (dataKind, clusterCount, seeding) = (kind, k, savedSeeding)
        reset(seed: savedSeed)
        kmeans = savedKMeans
        trails = savedTrails
        elbow = ElbowSearch(seeding: savedSeeding, inertias: inertias, current: current, generator: elbowGenerator)
        moved = savedMoved
        metrics = savedMetrics
    }
}

extension KMeansLab {
    /// The elbow search restored mid-run is compared in tests.
    var elbowState: ElbowSearch { elbow }
}
