import Course
import MLEngine
import Testing
@testable import Labs

/// `kmeans`: K-means one iteration a step. The beats' full runs (k 5 to convergence, and
/// k-means++ against random seeding over five seeds at full size) are checked in release by
/// `.ci/promises/ch9-unsupervised.sh`; debug runs here use the 2-D shapes or few steps.
@Suite struct KMeansLabTests {
    func lab(data: String, k: Int? = nil, seeding: String? = nil, seed: UInt64 = 3) throws -> KMeansLab {
        var lab = KMeansLab(seed: seed)
        try lab.set("data", to: .choice(data))
        if let k { try lab.set("k", to: .number(Double(k))) }
        if let seeding { try lab.set("seeding", to: .choice(seeding)) }
        lab.reset(seed: seed)
        return lab
    }

    /// Steps until the lab reports finished (at most `limit`); returns the reports' count.
    func runToTheEnd(_ lab: inout KMeansLab, limit: Int = 200) throws -> (steps: Int, note: String?) {
        for step in 1...limit {
            let report = try lab.step()
            if report.finished { return (step, report.note) }
        }
        Issue.record("kmeans did not finish in \(limit) steps")
        return (limit, nil)
    }

    @Test func theDefaultsAreTheIssues() {
        let names = KMeansLab.defaultParameters.map(\.name)
        #expect(names == ["data", "k", "seeding"])
        #expect(KMeansLab.defaultParameters[named: "k"]?.value == .number(5))
        #expect(KMeansLab.defaultParameters[named: "data"]?.value == .choice("beats"))
        var lab = KMeansLab(seed: 1)
        #expect(throws: (any Error).self) { try lab.set("k", to: .number(9)) }
        #expect(throws: (any Error).self) { try lab.set("data", to: .choice("spirals")) }
    }

    @Test func roundClustersCutAcrossNestedRings() throws {
        // Two rings, k 2 or the default 5: every cluster takes a wedge of both rings.
        for k in [2, 5] {
            var lab = try lab(data: "rings", k: k)
            let (steps, note) = try runToTheEnd(&lab)
            let purity = try #require(lab.metrics.latest("purity"))
            #expect(purity <= 0.6, "k \(k): purity \(purity) on nested rings")
            #expect(lab.clustering.converged && note?.contains("stopped changing") == true)
            #expect(lab.metrics.latest("iterations") == Double(lab.clustering.iterations) && steps >= lab.clustering.iterations)
        }
    }

    @Test func twoPatientFeaturesAreClusteredRescaled() throws {
        let data = ClusteringData.make(.patients)
        #expect(data.count == 500 && data.dimension == 2 && data.picture == data.points)
        for column in 0..<2 {
            let x = (0..<data.count).map { data.points[2 * $0 + column] }
            let mean = x.reduce(0, +) / 500, variance = x.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 500
            #expect(Swift.abs(mean) < 1e-9 && Swift.abs(variance - 1) < 1e-9, "column \(column): mean \(mean), variance \(variance)")
        }
        // The hidden class is the QT drug, which lengthens QTc (the second feature).
        func meanQTc(_ drug: Int) -> Double {
            let rows = (0..<data.count).filter { data.labels[$0] == drug }
            return rows.map { data.points[2 * $0 + 1] }.reduce(0, +) / Double(rows.count)
        }
        #expect(meanQTc(1) > meanQTc(0) + 1, "QTc, rescaled: drug \(meanQTc(1)), none \(meanQTc(0))")
        var lab = try lab(data: "patients", k: 2)
        let (_, note) = try runToTheEnd(&lab)
        #expect(note?.contains("stopped changing") == true)
        #expect(try #require(lab.metrics.latest("purity")) >= 0.5)
        guard case .scatter(let picture)? = lab.panel("clusters")?.content else { Issue.record("clusters is not a scatter"); return }
        #expect(picture.points.count == 500 + 2)
        #expect(lab.panel("clusters")?.title.contains("patients (heart rate, QTc)") == true)
    }

    @Test func eachStepIsOneIterationAndInertiaFalls() throws {
        var lab = try lab(data: "moons", k: 4, seeding: "random")
        #expect(lab.clustering.assignments.isEmpty && lab.clustering.iterations == 0)
        var last = Double.infinity
        for step in 1...5 {
            _ = try lab.step()
            #expect(lab.clustering.iterations == min(step, lab.clustering.iterations))
            let inertia = try #require(lab.metrics.values("inertia").last)
            #expect(inertia <= last)
            last = inertia
        }
        #expect(lab.metrics.values("inertia").count == lab.clustering.iterations)
        // The score panel shows the iteration count and purity the metrics hold.
        guard case .table(let table)? = lab.panel("score")?.content else { Issue.record("score is not a table"); return }
        #expect(table.rows.contains(["iterations", "\(lab.clustering.iterations)"]))
    }

    @Test func theElbowFallsWithK() throws {
        var lab = try lab(data: "moons")
        _ = try runToTheEnd(&lab)
        let inertias = lab.elbowInertias
        #expect(inertias.count == 8)
        // More centres never explain the points worse (k-means++ lands near the optimum on 600 points).
        #expect(zip(inertias, inertias.dropFirst()).allSatisfy { $0 >= $1 }, "\(inertias)")
        #expect(inertias[0] > 3 * inertias[3])
    }

    @Test func beatsAreClusteredInAll250Dimensions() throws {
        var lab = KMeansLab(seed: 5)
        #expect(lab.clustering.dimension == 250 && lab.clustering.clusters == 5)
        for _ in 0..<3 { _ = try lab.step() }
        #expect(lab.clustering.iterations == 3)
        let purity = try #require(lab.metrics.latest("purity"))
        #expect(purity > 0.2 && purity <= 1)          // five balanced classes: 0.2 is the floor
        guard case .scatter(let scatter)? = lab.panel("clusters")?.content else { Issue.record("clusters is not a scatter"); return }
        #expect(scatter.points.count == 1000 + 5 && scatter.lines.count == 5)
    }

    @Test func plusPlusSeedingBeatsRandomOnAverage() throws {
        // The first 200 test beats (debug-sized), k 5, run to convergence, mean of five seeds.
        let beats = ClusteringData.sharedBeats
        let points = Array(beats.points.prefix(200 * beats.dimension))
        func meanInertia(_ seeding: KMeans.Seeding) -> Double {
            (0..<5 as Range<UInt64>).map { seed -> Double in
                var g = SeededGenerator(seed: seed)
                var kmeans = KMeans(points: points, dimension: beats.dimension, clusters: 5, seeding: seeding, generator: &g)
                while !kmeans.converged && kmeans.iterations < 100 { kmeans.iterate(points: points) }
                return kmeans.inertia
            }.reduce(0, +) / 5
        }
        let (plusPlus, random) = (meanInertia(.plusPlus), meanInertia(.random))
        #expect(plusPlus <= random, "k-means++ \(plusPlus), random \(random)")
    }

    @Test func aRestoredCheckpointContinuesBitForBit() throws {
        for data in ["moons", "beats"] {
            var straight = try lab(data: data, k: 6, seed: 9), first = try lab(data: data, k: 6, seed: 9)
            for _ in 0..<3 { _ = try straight.step(); _ = try first.step() }
            let saved = first.snapshot()
            for _ in 0..<3 { _ = try straight.step() }
            var resumed = KMeansLab(seed: 0)
            try resumed.restore(saved)
            #expect(resumed.parameters == first.parameters)
            for _ in 0..<3 { _ = try resumed.step() }
            #expect(resumed.clustering == straight.clustering)
            #expect(resumed.elbowState == straight.elbowState)
            #expect(resumed.metrics == straight.metrics)
            #expect(resumed.snapshot().metadata == straight.snapshot().metadata)
        }
    }

    @Test func aBrokenCheckpointIsRefused() throws {
        var lab = try lab(data: "rings")
        _ = try lab.step()
        var state = lab.snapshot()
        state.metadata["k"] = .number(12)
        #expect(throws: LabStateError.self) { try lab.restore(state) }
        state = lab.snapshot()
        state.metadata["kmeans"] = .object(["centres": .array([.number(1)])])
        #expect(throws: LabStateError.self) { try lab.restore(state) }
    }
}
