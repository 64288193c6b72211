import CardioSim
import Course
import MLEngine
import Testing
@testable import Labs

/// `focal` on a small imbalanced beat set: focal loss's per-beat weights fall for the beats the
/// model already gets right, class weights lift the rare classes, and the recipe's test split
/// holds enough rare beats to measure recall.
@Suite struct FocalLabTests {
    /// 600 training beats, 98% normal; a test set of 40 beats per class.
    static let small: BeatDataset = {
        let config = BeatDatasetConfig(classFractions: [0.98, 0.005, 0.005, 0.005, 0.005], trainCount: 600, testCount: 200,
                                       testClassFractions: [1, 1, 1, 1, 1])
        // swiftlint:disable:next force_try
        return try! BeatDataset.generate(config, seed: 5)
    }()

    static func lab(_ settings: [String: String], steps: Int = 0) throws -> FocalLab {
        var lab = FocalLab(seed: 1, dataset: small)
        try lab.set("hidden", to: .number(16))
        lab.reset(seed: 1)
        for (name, value) in settings {
            try lab.set(name, to: Double(value).map(HyperValue.number) ?? .choice(value))
        }
        for _ in 0..<steps { _ = try lab.step() }
        return lab
    }

    @Test func focalWeightsFallForConfidentBeatsAndCrossEntropyKeepsThemAll() throws {
        let focal = try Self.lab(["loss": "focal", "gamma": "2"])
        let weights = focal.sampleWeights(probabilities: [0.99, 0.9, 0.5, 0.1], labels: [0, 0, 1, 1])
        #expect(Swift.abs(weights[1] - 0.01) < 1e-6, "p 0.9 keeps (0.1)^2 = 1%, got \(weights[1])")
        #expect(weights[0] < weights[1] && weights[1] < weights[2] && weights[2] < weights[3], "\(weights)")
        let ce = try Self.lab(["loss": "ce", "gamma": "2"])
        #expect(ce.sampleWeights(probabilities: [0.99, 0.1], labels: [0, 1]) == [1, 1], "ce ignores gamma")
        // Class weights: a rare beat outweighs a normal one, whatever the loss.
        let weighted = try Self.lab(["loss": "ce", "alpha": "on"])
        let pair = weighted.sampleWeights(probabilities: [0.5, 0.5], labels: [0, 1])
        #expect(pair[1] > 10 * pair[0], "\(pair)")
    }

    @Test func trainingUnderFocalMutesTheEasyNormalBeats() throws {
        let focal = try Self.lab(["loss": "focal", "lr": "0.003"], steps: 60), ce = try Self.lab(["loss": "ce", "lr": "0.003"], steps: 60)
        let normal = try #require(focal.metrics.latest("normal_weight")), rare = try #require(focal.metrics.latest("rare_weight"))
        // After a few dozen steps the normal beats are easy: their weights collapse, the rare
        // beats' do not.
        #expect(normal < 0.2, "normal beats' mean weight under focal: \(normal)")
        #expect(rare > 2 * normal, "rare \(rare) vs normal \(normal)")
        #expect(ce.metrics.latest("normal_weight") == 1 && ce.metrics.latest("rare_weight") == 1)
        #expect(focal.evaluation.normalBins.reduce(0, +) == 40 && focal.evaluation.rareBins.reduce(0, +) == 160)
        for name in ["test_accuracy", "rare_recall"] {
            let value = try #require(focal.metrics.latest(name))
            #expect((0...1).contains(value), "\(name) \(value)")
        }
    }

    @Test func classWeightsLiftRareRecall() throws {
        let plain = try Self.lab(["loss": "ce", "lr": "0.001"], steps: 60)
        let weighted = try Self.lab(["loss": "ce", "lr": "0.001", "alpha": "on"], steps: 60)
        let a = try #require(plain.metrics.latest("rare_recall")), b = try #require(weighted.metrics.latest("rare_recall"))
        #expect(b > a + 0.05, "rare_recall ce \(a), ce with class weights \(b)")
    }

    @Test func theRecipesTestSplitHoldsAHundredOfEachRareClass() throws {
        let recipe = try #require(BuiltInRecipes.recipe(named: "beats-imbalanced"))
        guard case .beats(let config) = recipe.parameters else { Issue.record("not a beat recipe"); return }
        let test = config.classCounts(total: config.testCount, test: true)
        #expect(test.dropFirst().allSatisfy { $0 >= 100 }, "\(test)")
        let train = config.classCounts(total: config.trainCount)
        #expect(Double(train[0]) / Double(config.trainCount) >= 0.98, "\(train)")
    }

    @Test func panelsShowTheirTitles() throws {
        let lab = try Self.lab(["loss": "focal"], steps: 2)
        let titles = FocalLab.panelNames.compactMap { lab.panel($0)?.title }
        #expect(titles.count == FocalLab.panelNames.count)
        #expect(titles[0].hasPrefix("Recall per class under focal: rare_recall"))
        #expect(titles.contains("Loss weight per test beat: alpha (1-p)^2"), "\(titles)")
    }
}
