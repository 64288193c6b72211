import CardioSim

/// The recordings `cnn-range` trains on: CardioSim's "long-range" recipe (2,000 training and 500
/// test recordings of 8 beats, 2,000 samples each; label: are the first and the last beat of
/// the same class?).
///
/// Made once per process, on the background thread that prepares the shared data at start
/// (`ChapterFourLabs.prepareData`), so reaching the lab's page costs no simulation.
enum LongRangeData {
    static func recordings() -> LongRangeDataset? { shared }

    private static let shared: LongRangeDataset? = {
        guard let recipe = BuiltInRecipes.recipe(named: "long-range"), case .longRange(let config) = recipe.parameters else {
            return nil
        }
        return try? LongRangeDataset.generate(config, seed: recipe.seed)
    }()

    /// A small set of the same task, for a lab that could not get the recipe (never expected:
    /// the built-in recipe always validates) and for quick tests.
    static func small(train: Int = 64, test: Int = 32, seed: UInt64 = 52) -> LongRangeDataset {
        // swiftlint:disable:next force_try
        try! LongRangeDataset.generate(LongRangeConfig(trainCount: train, testCount: test), seed: seed)
    }
}
