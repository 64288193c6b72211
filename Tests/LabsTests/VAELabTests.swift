import Course
import MLEngine
import Testing
@testable import Labs

/// `vae`: a 2-D Gaussian code for each beat. The full-budget claim (its reconstruction beats
/// PCA's with 2 components) is checked in release by `.ci/promises/ch9-unsupervised.sh`.
@Suite struct VAELabTests {
    @Test func theLossIsReconstructionPlusBetaTimesKL() throws {
        #expect(VAELab.defaultParameters.map(\.name) == ["beta", "lr", "beat"])
        #expect(VAELab.defaultParameters[named: "beta"]?.value == .number(1))
        var lab = VAELab(seed: 3)
        _ = try lab.step()
        let (loss, reconstruction, kl) = (lab.metrics.values("loss")[0], lab.metrics.values("reconstruction_term")[0],
                                          lab.metrics.values("kl_term")[0])
        #expect(Swift.abs(loss - (reconstruction + kl)) < 1e-3 * loss)
        try lab.set("beta", to: .number(0))
        _ = try lab.step()
        #expect(lab.metrics.values("loss")[1] == lab.metrics.values("reconstruction_term")[1])
        #expect(throws: (any Error).self) { try lab.set("beta", to: .number(5)) }
        // The test metrics at step 1: the ELBO is minus (summed error / 2 sigma^2 + KL) per beat.
        let mse = try #require(lab.metrics.latest("reconstruction_mse")), testKL = try #require(lab.metrics.latest("kl"))
        let elbo = try #require(lab.metrics.latest("elbo"))
        #expect(Swift.abs(elbo + (mse * 250 / (2 * Double(VAELab.noiseVariance)) + testKL)) < 1e-6 * Swift.abs(elbo))
        #expect(lab.latentCodes.shape == [1000, 2])
        #expect(try #require(lab.metrics.latest("pca_2_mse")) > 0)
    }

    @Test func trainingLowersTheReconstruction() throws {
        var lab = VAELab(seed: 1)
        for _ in 0..<100 { _ = try lab.step() }
        let terms = lab.metrics.values("reconstruction_term")
        let early = terms.prefix(10).reduce(0, +) / 10, late = terms.suffix(10).reduce(0, +) / 10
        #expect(late < 0.7 * early, "reconstruction term \(early) -> \(late)")
        let mse = lab.metrics.values("reconstruction_mse")
        #expect(mse.count == 3 && mse[2] < mse[0], "\(mse)")
        guard case .heatmap(let grid)? = lab.panel("grid")?.content else { Issue.record("grid is not a heatmap"); return }
        #expect(grid.rows == 9 && grid.columns == 250 && grid.rowLabels.first == "(-1.5, 1.5)")
    }

    @Test func aRestoredCheckpointContinuesBitForBit() throws {
        var straight = VAELab(seed: 4), first = VAELab(seed: 4)
        try straight.set("beta", to: .number(0.5))
        try first.set("beta", to: .number(0.5))
        for _ in 0..<4 { _ = try straight.step(); _ = try first.step() }
        var resumed = VAELab(seed: 0)
        try resumed.restore(first.snapshot())
        #expect(resumed.parameters == first.parameters)
        for _ in 0..<4 { _ = try straight.step(); _ = try resumed.step() }
        #expect(CheckpointContinuationTests.identical(straight.snapshot().tensors, resumed.snapshot().tensors))
        #expect(straight.snapshot().metadata == resumed.snapshot().metadata)
        var broken = first.snapshot()
        broken.metadata["beta"] = .number(9)
        #expect(throws: LabStateError.self) { try resumed.restore(broken) }
    }
}
