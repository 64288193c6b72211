import Course
import MLEngine
import Testing
@testable import Labs

/// `pca`: the covariance gathered 500 training beats a step, then decomposed.
@Suite struct PCALabTests {
    /// Steps until the lab says it is finished.
    func fitted(seed: UInt64 = 1) throws -> PCALab {
        var lab = PCALab(seed: seed)
        for _ in 0..<20 where lab.principalComponents == nil { _ = try lab.step() }
        return lab
    }

    @Test func gathersThenDecomposesThenFinishes() throws {
        var lab = PCALab(seed: 1)
        #expect(PCALab.defaultParameters.map(\.name) == ["k", "beat"])
        var reports: [StepReport] = []
        for _ in 0..<9 { reports.append(try lab.step()) }
        // 4,000 beats in chunks of 500: eight steps gather, the ninth decomposes and finishes.
        #expect(reports.prefix(8).allSatisfy { !$0.finished } && reports[8].finished)
        #expect(lab.metrics.latest("beats_gathered") == 4000)
        let pca = try #require(lab.principalComponents)
        #expect(try lab.step().finished)
        // Orthonormal components to 1e-5 (the issue's bar; Double gives far better).
        var worst = 0.0
        for a in 0..<pca.dimension {
            for b in a..<pca.dimension {
                let dot = zip(pca.component(a), pca.component(b)).reduce(0) { $0 + $1.0 * $1.1 }
                worst = max(worst, Swift.abs(dot - (a == b ? 1 : 0)))
            }
        }
        #expect(worst < 1e-5, "largest departure from orthonormal \(worst)")
        let two = try #require(lab.metrics.latest("explained_variance_2"))
        #expect(two > 0 && two < 1 && two == pca.explainedVarianceRatio(2))
    }

    @Test func moreComponentsRebuildBetter() throws {
        var lab = try fitted()
        var errors: [Double] = []
        for k in [1, 2, 5, 20, 50] {
            try lab.set("k", to: .number(Double(k)))
            errors.append(try #require(lab.metrics.latest("reconstruction_mse")))
        }
        #expect(zip(errors, errors.dropFirst()).allSatisfy { $0 > $1 }, "\(errors)")
        #expect(throws: (any Error).self) { try lab.set("k", to: .number(51)) }
        guard case .lineChart(let chart)? = lab.panel("rebuild")?.content else { Issue.record("rebuild is not a line chart"); return }
        #expect(chart.series.map(\.name) == ["original", "from 50 components"])
    }

    @Test func aRestoredCheckpointContinuesBitForBit() throws {
        for saveAt in [3, 10] {
            var straight = PCALab(seed: 2), first = PCALab(seed: 2)
            try first.set("k", to: .number(7))
            try straight.set("k", to: .number(7))
            for _ in 0..<saveAt { _ = try straight.step(); _ = try first.step() }
            var resumed = PCALab(seed: 0)
            try resumed.restore(first.snapshot())
            for _ in 0..<3 { _ = try straight.step(); _ = try resumed.step() }
            #expect(resumed.principalComponents == straight.principalComponents)
            #expect(resumed.metrics == straight.metrics)
            #expect(resumed.snapshot().metadata == straight.snapshot().metadata)
            #expect(CheckpointContinuationTests.identical(resumed.snapshot().tensors, straight.snapshot().tensors))
        }
        var lab = PCALab(seed: 0)
        var broken = lab.snapshot()
        broken.metadata["beats_gathered"] = .number(123)
        #expect(throws: LabStateError.self) { try lab.restore(broken) }
    }
}
