import Course
import MLEngine
import Testing
@testable import Labs

/// `simclr`: a CNN trained with NT-Xent on two views of each beat. The full-budget claim (its
/// features beat the raw beats under the same linear probe by 0.10, and cluster purer) is
/// checked in release by `.ci/promises/ch9-unsupervised.sh`; here a small encoder in debug.
@Suite struct SimCLRLabTests {
    static let small = CNNConfig(filters: 8, kernel: 7, layers: 2, pool: .max)

    @Test func settingsAreTheIssuesAndBadValuesAreRefused() throws {
        #expect(SimCLRLab.defaultParameters.map(\.name) == ["shift", "noise", "scale", "wander", "temperature", "lr", "labels"])
        #expect(SimCLRLab.defaultParameters[named: "labels"]?.value == .number(5))
        var lab = SimCLRLab(seed: 1, encoder: Self.small, batch: 4, evaluationInterval: 100)
        #expect(throws: (any Error).self) { try lab.set("labels", to: .number(0)) }
        #expect(throws: (any Error).self) { try lab.set("labels", to: .number(21)) }
        #expect(throws: (any Error).self) { try lab.set("temperature", to: .number(0)) }
        #expect(throws: (any Error).self) { try lab.set("shift", to: .choice("sometimes")) }
        try lab.set("shift", to: .choice("off"))
        #expect(lab.parameters[named: "shift"]?.value == .choice("off"))
        #expect(try #require(lab.metrics.latest("raw_kmeans_purity")) > 0.2)
    }

    @Test func eachDistortionIsSwitchable() {
        let beat: [Float] = (0..<250).map { Float($0 % 50) / 50 }
        var off = SimCLRAugmentation()
        (off.scale, off.wander, off.shift, off.noise) = (false, false, false, false)
        var generator = SeededGenerator(seed: 5)
        #expect(off.view(of: beat[...], generator: &generator) == beat)
        // Only the shift: the same beat, moved, its edge repeated.
        var shiftOnly = off
        shiftOnly.shift = true
        var g1 = SeededGenerator(seed: 6), g2 = SeededGenerator(seed: 6)
        let moved = shiftOnly.view(of: beat[...], generator: &g1)
        #expect(moved != beat)
        let offsets = (-40...40).filter { SimCLRAugmentation.shifted(beat, by: $0) == moved }
        #expect(!offsets.isEmpty)
        // Switching distortions off draws the same numbers, so the generators stay in step.
        _ = SimCLRAugmentation().view(of: beat[...], generator: &g2)
        #expect(g1 == g2)
        #expect(SimCLRAugmentation.shifted([1, 2, 3, 4], by: 1) == [1, 1, 2, 3])
        #expect(SimCLRAugmentation.shifted([1, 2, 3, 4], by: -2) == [3, 4, 4, 4])
    }

    @Test func theProbeLearnsASeparableProblemAndTheTestBeatsAreShifted() {
        // Two classes told apart by the sign of feature 1; feature 0 is noise.
        let train: [Double] = [0.3, 1, -0.2, 1.5, 0.1, -1, 0.4, -2]
        let test: [Double] = [5, 0.5, -3, -0.7, 2, 3, 0, -0.1]
        #expect(LinearProbe.accuracy(trainFeatures: train, trainLabels: [0, 0, 1, 1], testFeatures: test,
                                     testLabels: [0, 1, 0, 1], dimension: 2, classes: 2) == 1)
        let data = SimCLRBeats.shared
        #expect(data.probeRows(perClass: 5).rows.count == 5 * data.classCount)
        #expect(data.test.count == data.testCount * data.window)
        // Each test beat is a simulated one moved and noisy: not the recipe's own test beats.
        let aligned = PCABeats.shared.test
        #expect(zip(data.test.prefix(250), aligned.prefix(250)).contains { Swift.abs(Double($0) - $1) > 0.01 })
    }

    @Test func trainingLowersTheContrastiveLossAndMeasuresBothProbes() throws {
        // A narrower encoder than the default (16 filters, 2 blocks) and smaller batches, for a debug build.
        var lab = SimCLRLab(seed: 2, encoder: CNNConfig(filters: 16, kernel: 7, layers: 2, pool: .max), batch: 32,
                            evaluationInterval: 60)
        for _ in 0..<65 { _ = try lab.step() }
        let loss = lab.metrics.values("contrastive_loss")
        let early = loss.prefix(5).reduce(0, +) / 5, late = loss.suffix(5).reduce(0, +) / 5
        #expect(late < early - 0.1, "contrastive loss \(early) -> \(late)")
        #expect(lab.metrics.values("test_step") == [60])
        let probe = try #require(lab.metrics.latest("probe_accuracy")), raw = try #require(lab.metrics.latest("raw_probe_accuracy"))
        #expect(probe > 0.2 && raw > 0.2 && probe <= 1 && raw <= 1)
        // The promise's direction, already: shift-invariant features beat the raw samples on shifted beats.
        #expect(probe > raw, "probe \(probe), raw \(raw), kmeans \(lab.metrics.latest("kmeans_purity") ?? -1)")
        #expect(lab.featureMap.shape == [1000, 2])
        guard case .scatter(let map)? = lab.panel("map")?.content else { Issue.record("map is not a scatter"); return }
        #expect(map.points.count == 1000)
    }

    @Test func adjustedRandIsTheSharedIndexOfKMeansOnTheFeaturesAndRisesWithTraining() throws {
        var lab = SimCLRLab(seed: 3, encoder: CNNConfig(filters: 16, kernel: 7, layers: 2, pool: .max), batch: 32,
                            evaluationInterval: 60)
        let data = SimCLRBeats.shared
        let beats = Tensor(shape: [data.testCount, 1, data.window], scalars: data.test)
        // The same K-means and the same index as the `kmeans` lab, recomputed here from the encoder.
        func recomputed(_ model: Sequential) -> Double {
            let features = SimCLREvaluation.features(model, beats).map(Double.init)
            let clusters = SimCLRScore.kmeansClusters(points: features, dimension: 16, classes: data.classCount)
            return ClusterQuality.adjustedRandIndex(clusters: clusters, classes: data.testLabels)
        }
        let untrained = recomputed(lab.network)
        var frozen = lab.network
        for step in 1...65 {
            _ = try lab.step()
            if step == 60 { frozen = lab.network }
        }
        #expect(lab.metrics.values("test_step") == [60])
        let trained = try #require(lab.metrics.latest("adjusted_rand"))
        #expect(trained == recomputed(frozen))
        #expect(trained >= -1 && trained <= 1)
        #expect(trained > untrained + 0.05, "adjusted Rand \(untrained) untrained -> \(trained) at step 60")
        let raw = try #require(lab.metrics.latest("raw_adjusted_rand"))
        #expect(raw >= -1 && raw <= 1)
        #expect(raw == SimCLRBeats.rawKMeans.adjustedRand)
    }

    @Test func aRestoredCheckpointContinuesBitForBitEvenMidEvaluation() throws {
        func make() throws -> SimCLRLab {
            var lab = SimCLRLab(seed: 4, encoder: Self.small, batch: 4, evaluationInterval: 2)
            try lab.set("temperature", to: .number(0.4))
            try lab.set("noise", to: .choice("off"))
            return lab
        }
        // Step 3: the evaluation begun at step 2 has encoded 500 of the 1,000 test beats; step 6:
        // all are encoded and the probes measured; step 7 records the evaluation.
        for saveAt in [3, 6] {
            var straight = try make(), first = try make()
            for _ in 0..<saveAt { _ = try straight.step(); _ = try first.step() }
            #expect(first.snapshot().metadata["evaluating"] != nil)
            #expect(first.metrics.values("test_step").isEmpty)
            var resumed = SimCLRLab(seed: 0, encoder: Self.small, batch: 4, evaluationInterval: 2)
            try resumed.restore(first.snapshot())
            #expect(resumed.parameters == first.parameters)
            for _ in saveAt..<7 { _ = try straight.step(); _ = try resumed.step() }
            #expect(straight.metrics.values("test_step") == [2])
            #expect(CheckpointContinuationTests.identical(straight.snapshot().tensors, resumed.snapshot().tensors))
            #expect(straight.snapshot().metadata == resumed.snapshot().metadata)
            #expect(straight.metrics.values("probe_accuracy") == resumed.metrics.values("probe_accuracy"))
            #expect(straight.metrics.values("adjusted_rand") == resumed.metrics.values("adjusted_rand"))
        }
        var first = try make()
        for _ in 0..<3 { _ = try first.step() }
        var resumed = SimCLRLab(seed: 0, encoder: Self.small, batch: 4, evaluationInterval: 2)
        var broken = first.snapshot()
        broken.metadata["evaluating"] = .object(["step": .number(2), "next": .number(5000)])
        #expect(throws: LabStateError.self) { try resumed.restore(broken) }
    }
}
