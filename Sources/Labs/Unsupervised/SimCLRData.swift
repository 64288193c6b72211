import CardioSim
import MLEngine

/// The beats `simclr` reads, made once per process from the "beats" recipe.
///
/// - train: the 4,000 training beats as the simulator cut them (R peak near sample 90). The
///   contrastive training reads them without their labels; the linear probe takes its few
///   labelled beats from them (the first `labels` of each class).
/// - test: the 1,000 test beats, each moved by a random whole number of samples in -40...40
///   (the edges repeated) and given white noise of standard deviation 0.05 mV, from a fixed seed:
///   real recordings are not cut at the same place every time, and on aligned beats even a
///   linear probe on the raw samples does well.
struct SimCLRBeats: Sendable {
    static let testShift = 40
    static let testNoise = 0.05
    /// Labelled beats per class the probe may ask for (the `labels` setting's upper end).
    static let largestLabelBudget = 20

    let window: Int
    let train: [Float]
    let test: [Float]
    let testLabels: [Int]
    let classNames: [String]
    /// For each class, the first `largestLabelBudget` training beats of that class, in order.
    let labelled: [[Int]]
    var trainCount: Int { train.count / window }
    var testCount: Int { testLabels.count }
    var classCount: Int { classNames.count }

    /// The training beats the probe learns from with `perClass` labels a class, and their classes.
    func probeRows(perClass: Int) -> (rows: [Int], labels: [Int]) {
        var rows: [Int] = [], labels: [Int] = []
        for (label, indices) in labelled.enumerated() {
            for row in indices.prefix(perClass) { rows.append(row); labels.append(label) }
        }
        return (rows, labels)
    }

    static let shared: SimCLRBeats = {
        guard let data = LabData.beats() else {
            let flat = [Float](repeating: 0, count: 8)
            return SimCLRBeats(window: 4, train: flat, test: flat, testLabels: [0, 0], classNames: ["none"], labelled: [[0, 1]])
        }
        let window = data.train.beats.shape[1]
        var generator = SeededGenerator(seed: 1616)
        var test = data.test.beats.copyScalars()
        for row in 0..<data.test.count {
            let shift = generator.int(in: -testShift...testShift)
            let moved = SimCLRAugmentation.shifted(Array(test[(row * window)..<((row + 1) * window)]), by: shift)
            for j in 0..<window { test[row * window + j] = moved[j] + Float(generator.normal() * testNoise) }
        }
        let classes = data.classes.count
        var labelled = Array(repeating: [Int](), count: classes)
        for (row, label) in data.train.labels.enumerated() where labelled[label].count < largestLabelBudget {
            labelled[label].append(row)
        }
        return SimCLRBeats(window: window, train: data.train.beats.copyScalars(), test: test, testLabels: data.test.labels,
                           classNames: data.classes.map(\.rawValue), labelled: labelled)
    }()

    /// The linear probe on the raw test beats, trained on `perClass` labelled raw training beats a
    /// class: the accuracy the features are set against. It depends on nothing else.
    func rawProbeAccuracy(perClass: Int) -> Double {
        let (rows, labels) = probeRows(perClass: perClass)
        let labelled = rows.flatMap { train[($0 * window)..<(($0 + 1) * window)] }.map(Double.init)
        return LinearProbe.accuracy(trainFeatures: labelled, trainLabels: labels, testFeatures: test.map(Double.init),
                                    testLabels: testLabels, dimension: window, classes: classCount)
    }

    /// The raw probe with the default 5 labels a class, made once per process (on the thread that
    /// prepares shared data at start), so the step that scores the probes does not pay for it.
    static let rawProbeWithFiveLabels = shared.rawProbeAccuracy(perClass: 5)

    /// K-means (k = number of classes, k-means++ from a fixed seed, until no beat moves) on the
    /// raw shifted test beats: the purity and adjusted Rand index the learned features are set
    /// against. The same for every run, so computed once (on the thread that prepares shared data
    /// at start).
    static let rawKMeans: SimCLRScore.Clustering = {
        let data = shared
        return SimCLRScore.kmeans(points: data.test.map(Double.init), dimension: data.window, labels: data.testLabels,
                                  classes: data.classCount)
    }()
}

/// The scores `simclr` reports, the same for learned features and raw beats.
enum SimCLRScore {
    /// Rounds of K-means at most (it settles long before on these data).
    static let kmeansRounds = 100
    static let kmeansSeed: UInt64 = 16

    /// One K-means clustering of the test beats scored two ways against their true classes.
    struct Clustering: Equatable {
        var purity: Double
        /// The adjusted Rand index, the clustering group's score on the map (the `kmeans` row's too).
        var adjustedRand: Double
    }

    /// The clusters of `points` (row-major [count, dimension]): K-means with k = `classes`,
    /// k-means++ seeded with `kmeansSeed`, iterated until no point moves (at most `kmeansRounds`).
    static func kmeansClusters(points: [Double], dimension: Int, classes: Int) -> [Int] {
        var generator = SeededGenerator(seed: kmeansSeed)
        var kmeans = KMeans(points: points, dimension: dimension, clusters: classes, seeding: .plusPlus, generator: &generator)
        while !kmeans.converged && kmeans.iterations < kmeansRounds { _ = kmeans.iterate(points: points) }
        return kmeans.assignments
    }

    static func kmeans(points: [Double], dimension: Int, labels: [Int], classes: Int) -> Clustering {
        let clusters = kmeansClusters(points: points, dimension: dimension, classes: classes)
        return Clustering(purity: ClusterQuality.purity(clusters: clusters, classes: labels),
                          adjustedRand: ClusterQuality.adjustedRandIndex(clusters: clusters, classes: labels))
    }
}
