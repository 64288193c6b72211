import Course
import MLEngine

/// The inertia K-means reaches for each k from 1 to `largestK`: the elbow of that curve, where
/// adding a centre stops paying much, is a common way to choose k.
///
/// The runs are spread over the lab's steps (`advance` does at most `budget` point-to-centre
/// distance evaluations, whole iterations only), so no step is slow on 250-sample beats.
struct ElbowSearch: Sendable, Equatable {
    static let largestK = 8
    /// A run that has not settled after this many iterations counts as done (in practice they
    /// settle in a few dozen).
    static let iterationCap = 100

    let seeding: KMeans.Seeding
    /// The settled inertia for k = 1, 2, ... so far.
    private(set) var inertias: [Double] = []
    private(set) var current: KMeans?
    private(set) var generator: SeededGenerator

    var done: Bool { inertias.count == Self.largestK }
    /// The k being measured now (nil when done).
    var measuring: Int? { done ? nil : inertias.count + 1 }

    init(seeding: KMeans.Seeding, generator: SeededGenerator) {
        self.seeding = seeding
        self.generator = generator
    }

    init(seeding: KMeans.Seeding, inertias: [Double], current: KMeans?, generator: SeededGenerator) {
        self.seeding = seeding
        self.inertias = inertias
        self.current = current
        self.generator = generator
    }

    mutating func advance(_ data: ClusteringData, budget: Int) {
        var spent = 0
        while let k = measuring, spent == 0 || spent + data.count * k * data.dimension <= budget {
            var run = current ?? KMeans(points: data.points, dimension: data.dimension, clusters: k, seeding: seeding,
                                        generator: &generator)
            run.iterate(points: data.points)
            spent += data.count * k * data.dimension
            if run.converged || run.iterations >= Self.iterationCap {
                inertias.append(run.inertia)
                current = nil
            } else {
                current = run
            }
        }
    }
}
