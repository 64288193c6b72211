import Testing
@testable import MLEngine

@Suite struct KMeansTests {
    @Test func theLessonsWorkedExample() {
        // Points 1, 2, 10, 11, centres at 0 and 5: the centres move to 1.5 and 10.5, then stay.
        let points: [Double] = [1, 2, 10, 11]
        var kmeans = KMeans(centres: [0, 5], dimension: 1, assignments: [], iterations: 0, inertia: .infinity, converged: false)
        #expect(kmeans.iterate(points: points) == 4)
        #expect(kmeans.centres == [1.5, 10.5] && kmeans.assignments == [0, 0, 1, 1])
        #expect(kmeans.inertia == 1 && !kmeans.converged)        // 4 x 0.5^2
        #expect(kmeans.iterate(points: points) == 0)
        #expect(kmeans.converged && kmeans.iterations == 2 && kmeans.centres == [1.5, 10.5])
    }

    @Test func anEmptyClusterTakesTheWorstExplainedPoint() {
        // The centre at 100 wins no point; it moves onto 9, the point farthest from its centre.
        let points: [Double] = [0, 1, 2, 9]
        var kmeans = KMeans(centres: [1, 100], dimension: 1, assignments: [], iterations: 0, inertia: .infinity, converged: false)
        kmeans.iterate(points: points)
        #expect(kmeans.centres == [1, 9] && kmeans.assignments == [0, 0, 0, 1])
        #expect(kmeans.inertia == 2)
    }

    /// Four tight blobs in 2-D, far apart; labels for checking only.
    static func blobs(seed: UInt64) -> (points: [Double], labels: [Int]) {
        var g = SeededGenerator(seed: seed)
        let centres: [(Double, Double)] = [(0, 0), (10, 0), (0, 10), (10, 10)]
        var points = [Double](), labels = [Int]()
        for i in 0..<200 {
            let c = centres[i % 4]
            points += [c.0 + 0.5 * g.normal(), c.1 + 0.5 * g.normal()]
            labels.append(i % 4)
        }
        return (points, labels)
    }

    @Test func plusPlusSeedingFindsSeparatedBlobs() {
        let (points, labels) = Self.blobs(seed: 1)
        for seed in 0..<5 as Range<UInt64> {
            var g = SeededGenerator(seed: seed)
            var kmeans = KMeans(points: points, dimension: 2, clusters: 4, seeding: .plusPlus, generator: &g)
            var guardrail = 0
            while !kmeans.converged && guardrail < 50 { kmeans.iterate(points: points); guardrail += 1 }
            #expect(kmeans.converged)
            #expect(ClusterQuality.purity(clusters: kmeans.assignments, classes: labels) == 1)
            #expect(ClusterQuality.adjustedRandIndex(clusters: kmeans.assignments, classes: labels) == 1)
        }
    }

    @Test func inertiaNeverRisesAndSeedingIsDeterministic() {
        let (points, _) = Self.blobs(seed: 2)
        for seeding in KMeans.Seeding.allCases {
            var g1 = SeededGenerator(seed: 7), g2 = SeededGenerator(seed: 7)
            var a = KMeans(points: points, dimension: 2, clusters: 6, seeding: seeding, generator: &g1)
            let b = KMeans(points: points, dimension: 2, clusters: 6, seeding: seeding, generator: &g2)
            #expect(a == b)
            #expect(Set(stride(from: 0, to: 12, by: 2).map { a.centres[$0] }).count == 6, "seeding picked a point twice")
            var last = Double.infinity
            for _ in 0..<10 {
                a.iterate(points: points)
                #expect(a.inertia <= last + 1e-9)
                last = a.inertia
            }
        }
    }
}

@Suite struct ClusterQualityTests {
    @Test func purityByHand() {
        // Cluster 0 holds classes a a b (majority 2), cluster 1 holds b b (2): purity 4/5.
        #expect(ClusterQuality.purity(clusters: [0, 0, 0, 1, 1], classes: [0, 0, 1, 1, 1]) == 0.8)
        // Cluster ids are only names: swapping them changes nothing.
        #expect(ClusterQuality.purity(clusters: [1, 1, 1, 0, 0], classes: [0, 0, 1, 1, 1]) == 0.8)
    }

    @Test func adjustedRandByHand() {
        // Identical up to renaming: 1. One cluster for two balanced classes: 0.
        #expect(ClusterQuality.adjustedRandIndex(clusters: [2, 2, 5, 5], classes: [0, 0, 1, 1]) == 1)
        #expect(ClusterQuality.adjustedRandIndex(clusters: [0, 0, 0, 0], classes: [0, 0, 1, 1]) == 0)
        // The textbook 2 x 2 case: clusters (0 0 1 1 1 1), classes (0 0 0 1 1 1).
        // Contingency [[2, 0], [1, 3]]: together 1 + 3 = 4, rows 1 + 6 = 7, columns 3 + 3 = 6,
        // expected 7 * 6 / 15 = 2.8, best 6.5: (4 - 2.8) / (6.5 - 2.8) = 0.3243...
        let ari = ClusterQuality.adjustedRandIndex(clusters: [0, 0, 1, 1, 1, 1], classes: [0, 0, 0, 1, 1, 1])
        #expect(Swift.abs(ari - 1.2 / 3.7) < 1e-12)
    }
}
