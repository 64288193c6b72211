import Course
import Foundation
import MLEngine
import Testing
@testable import Labs

/// `kl`: the two-bar numbers the lesson quotes, the Gaussian term, and what the direction of
/// KL does to a one-bump fit of a two-bump target.
@Suite struct KLLabTests {
    @Test func reproducesTheWorkedNumbersBothWays() throws {
        var lab = KLLab(seed: 1)
        _ = try lab.step()
        let forward = try #require(lab.metrics.latest("kl_forward")), reverse = try #require(lab.metrics.latest("kl_reverse"))
        #expect(Swift.abs(forward - 0.0823) < 0.00005, "KL([0.3, 0.7] || [0.5, 0.5]) = \(forward)")
        #expect(Swift.abs(reverse - 0.0872) < 0.00005, "KL([0.5, 0.5] || [0.3, 0.7]) = \(reverse)")
        try lab.set("q_first", to: .number(0.3))
        #expect(lab.metrics.latest("kl_forward") == 0 && lab.metrics.latest("kl_reverse") == 0)
        #expect(lab.panel("pair")?.title == "Two bars: KL(p || q) 0.0000 vs KL(q || p) 0.0000")
    }

    @Test func gaussianTermIsTheVAEsClosedForm() throws {
        var lab = KLLab(seed: 1)
        #expect(Swift.abs(lab.klGaussian - 0.5) < 1e-6, "mean 1, spread 1: 1/2 (1 + 1 - 1 - 0)")
        try lab.set("mean", to: .number(0))
        #expect(Swift.abs(lab.klGaussian) < 1e-6)
        try lab.set("spread", to: .number(0.5))
        let expected = 0.5 * (0.25 - 1 - Foundation.log(0.25))
        #expect(Swift.abs(lab.klGaussian - expected) < 1e-5, "\(lab.klGaussian) vs \(expected)")
        #expect(lab.metrics.latest("kl_gaussian").map { Swift.abs($0 - expected) < 1e-5 } == true)
    }

    static func fitted(_ fit: String, seed: UInt64) throws -> KLLab {
        var lab = KLLab(seed: seed)
        try lab.set("fit", to: .choice(fit))
        for _ in 0..<KLLab.stepBudget { _ = try lab.step() }
        return lab
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func forwardCoversBothModesReverseSeeksOne(_ seed: UInt64) throws {
        let forward = try Self.fitted("forward", seed: seed), reverse = try Self.fitted("reverse", seed: seed)
        let (fm, fs) = (try #require(forward.metrics.latest("fit_mean")), try #require(forward.metrics.latest("fit_spread")))
        let (rm, rs) = (try #require(reverse.metrics.latest("fit_mean")), try #require(reverse.metrics.latest("fit_spread")))
        #expect(Swift.abs(fm) < 0.3 && fs > 2, "forward: mean \(fm), spread \(fs): should sit between the modes, wide")
        #expect(Swift.abs(Swift.abs(rm) - KLLab.modeCentre) < 0.2 && rs < 1, "reverse: mean \(rm), spread \(rs): should sit on one mode")
        #expect(try #require(forward.metrics.latest("mass_covered")) > 0.9)
        #expect(try #require(reverse.metrics.latest("mass_covered")) < 0.6)
    }
}
