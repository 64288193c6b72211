import CardioSim
import MLEngine

/// Loads the simulator data the labs train on (chapter 2's MLPs, chapter 4's CNNs). The Datasets
/// folder may override a recipe; if that file is broken the built-in recipe is used, so a lab
/// always has its data (the `mlcourse data` commands report the broken file).
enum LabData {
    /// The "risk-bend" recipe: 200 ages 30-80, risk flat until 55 and steep after.
    static func riskBend() -> RiskCurve {
        if let curve = try? RiskCurve.load(named: "risk-bend") { return curve }
        return builtIn("risk-bend") { recipe -> RiskCurve? in
            guard case .riskCurve(let config) = recipe.parameters else { return nil }
            return try? RiskCurve.generate(config, seed: recipe.seed)
        } ?? fallbackRiskBend()
    }

    /// The "beats" recipe: 4000 training and 1000 test beats in five balanced classes.
    ///
    /// Made once per process: every ECG lab page opens a lab on the same beats, and simulating
    /// them takes a noticeable part of a second, which a page turn must not cost each time.
    static func beats() -> BeatDataset? { sharedBeats }

    private static let sharedBeats: BeatDataset? = {
        if let data = try? BeatDataset.load(named: "beats") { return data }
        return builtIn("beats") { recipe -> BeatDataset? in
            guard case .beats(let config) = recipe.parameters else { return nil }
            return try? BeatDataset.generate(config, seed: recipe.seed)
        }
    }()

    /// The "beats-imbalanced" recipe: 5000 training beats, 98% normal, and a test set with 150
    /// beats of each rare class (`focal`). Made once per process, on first use.
    static func beatsImbalanced() -> BeatDataset? { sharedImbalancedBeats }

    private static let sharedImbalancedBeats: BeatDataset? = {
        if let data = try? BeatDataset.load(named: "beats-imbalanced") { return data }
        return builtIn("beats-imbalanced") { recipe -> BeatDataset? in
            guard case .beats(let config) = recipe.parameters else { return nil }
            return try? BeatDataset.generate(config, seed: recipe.seed)
        }
    }()

    /// The "beats-hard" recipe: 1000 training and 1000 test beats, each moved by up to 40
    /// samples, noisier and with more wander (`vit-beats`). Made once per process, on first use.
    static func beatsHard() -> BeatDataset? { sharedHardBeats }

    private static let sharedHardBeats: BeatDataset? = {
        if let data = try? BeatDataset.load(named: "beats-hard") { return data }
        return builtIn("beats-hard") { recipe -> BeatDataset? in
            guard case .beats(let config) = recipe.parameters else { return nil }
            return try? BeatDataset.generate(config, seed: recipe.seed)
        }
    }()

    /// Builds the shared data sets now. The course screen calls this on a background thread at
    /// start, so the first ECG page finds its beats ready (a page reached sooner waits for them).
    static func prepare() {
        _ = sharedBeats
        _ = sharedImbalancedBeats
        _ = sharedHardBeats
    }

    /// The built-in recipe's settings always validate; this keeps a lab constructible even so.
    private static func fallbackRiskBend() -> RiskCurve {
        // swiftlint:disable:next force_try
        try! RiskCurve.generate(RiskCurveConfig(shape: "bend", intercept: 2, slope: 0.05, slopeAfterBend: 1.5), seed: 48)
    }

    private static func builtIn<T>(_ name: String, _ make: (Recipe) -> T?) -> T? {
        BuiltInRecipes.all.first { $0.name == name }.flatMap(make)
    }
}
