import CardioSim
import Course
import MLEngine
import Testing
@testable import Labs

/// `ppo` at small budgets: the references it is scored between, learning in the promised
/// direction, exact checkpoint continuation, refused settings.
@Suite struct PPOLabTests {
    static func lab(_ settings: [String: HyperValue], seed: UInt64) throws -> PPOLab {
        var lab = PPOLab(seed: seed)
        for (name, value) in settings.sorted(by: { $0.key < $1.key }) { try lab.set(name, to: value) }
        lab.reset(seed: seed)
        return lab
    }

    static func train(_ lab: inout PPOLab, steps: Int) throws {
        for _ in 0..<steps { _ = try lab.step() }
    }

    @Test func referencesAreTheRandomAndExpertReturnsOnTheSamePatients() throws {
        let lab = try Self.lab([:], seed: 1)
        let measured = try DosingReferenceReturns.measure(config: DosingConfig(), episodes: PPOLab.referenceEpisodes, seed: 1)
        #expect(lab.references == measured)
        #expect(lab.references.expert > lab.references.random + 5, "\(lab.references)")
        #expect(lab.metrics.latest("expert_return") == measured.expert)
    }

    /// A few dozen updates lift the return well above random doses (the full budget reaches the
    /// expert: .ci/promises/ch9-ppo.sh).
    @Test func ppoLearnsToDose() throws {
        var lab = try Self.lab([:], seed: 1)
        try Self.train(&lab, steps: 40)
        #expect(lab.normalizedReturn > 0.4, "normalized_return \(lab.normalizedReturn), mean_return \(lab.meanReturn)")
        let kl = lab.metrics.values("approx_kl"), clipped = lab.metrics.values("clip_fraction")
        #expect(kl.count == 40 && kl.allSatisfy { $0 >= 0 && $0.isFinite })
        #expect(clipped.contains { $0 > 0 }, "PPO's steps leave the clip range on some samples")
    }

    @Test func reinforceIsSlowerOnTheSameEnvironmentSteps() throws {
        var ppo = try Self.lab([:], seed: 2)
        var reinforce = try Self.lab(["method": .choice("reinforce")], seed: 2)
        try Self.train(&ppo, steps: 40)
        try Self.train(&reinforce, steps: 40)
        #expect(ppo.environmentSteps == reinforce.environmentSteps)
        #expect(ppo.meanReturn > reinforce.meanReturn, "ppo \(ppo.meanReturn), reinforce \(reinforce.meanReturn)")
    }

    @Test func checkpointContinuesBitForBit() throws {
        var straight = try Self.lab(["lr": .number(0.002)], seed: 3)
        try Self.train(&straight, steps: 5)

        var first = try Self.lab(["lr": .number(0.002)], seed: 3)
        try Self.train(&first, steps: 3)
        let saved = first.snapshot()
        var resumed = PPOLab(seed: 99)
        try resumed.restore(saved)
        try Self.train(&resumed, steps: 2)

        #expect(resumed.metrics == straight.metrics)
        #expect(CheckpointContinuationTests.identical(resumed.snapshot().tensors, straight.snapshot().tensors))
        #expect(resumed.parameters.first { $0.name == "lr" }?.value == .number(0.002))
    }

    @Test func refusesSettingsOutOfRange() throws {
        var lab = PPOLab(seed: 1)
        #expect(throws: (any Error).self) { try lab.set("clip", to: .number(5)) }
        #expect(throws: (any Error).self) { try lab.set("method", to: .choice("sarsa")) }
        #expect(throws: (any Error).self) { try lab.set("lr", to: .number(0)) }
        #expect(throws: (any Error).self) { try lab.set("entropy_coef", to: .number(-1)) }
    }

    @Test func policyMapShowsOneRowPerLevelSummingToOne() throws {
        let lab = PPOLab(seed: 1)
        let panel = try #require(lab.panel("policy"))
        guard case .heatmap(let map) = panel.content else { Issue.record("not a heatmap"); return }
        #expect(map.rows == PPOLab.shownLevels.count && map.columns == 4)
        for r in 0..<map.rows {
            let row = map.values[(r * 4)..<(r * 4 + 4)].reduce(0, +)
            #expect(Swift.abs(row - 1) < 1e-5)
        }
        for id in PPOLab.panelNames { #expect(lab.panel(id) != nil, "\(id)") }
    }
}
