import MLEngine

/// Typed loading by recipe name, for labs: `let data = try BeatDataset.load(named: "beats")`.
/// The recipe comes from the default catalog (Datasets/NAME.json or the built-in recipe).
enum RecipeLookup {
    static func recipe(_ name: String, catalog: DatasetCatalog?) throws -> Recipe {
        try (catalog ?? DatasetCatalog()).recipe(named: name)
    }

    static func mismatch(_ recipe: Recipe, expected: String) -> CardioSimError {
        .invalidParameter("dataset '\(recipe.name)' is made by generator '\(recipe.parameters.generator)', not '\(expected)'")
    }
}

extension BeatDataset {
    public static func load(named name: String = "beats", seed: UInt64? = nil, catalog: DatasetCatalog? = nil) throws -> BeatDataset {
        let recipe = try RecipeLookup.recipe(name, catalog: catalog)
        guard case .beats(let config) = recipe.parameters else { throw RecipeLookup.mismatch(recipe, expected: "beats") }
        return try generate(config, seed: seed ?? recipe.seed)
    }
}

extension SegmentationDataset {
    public static func load(named name: String = "segmentation", seed: UInt64? = nil, catalog: DatasetCatalog? = nil) throws -> SegmentationDataset {
        let recipe = try RecipeLookup.recipe(name, catalog: catalog)
        guard case .segmentation(let config) = recipe.parameters else { throw RecipeLookup.mismatch(recipe, expected: "segmentation") }
        return try generate(config, seed: seed ?? recipe.seed)
    }
}

extension TwelveLeadDataset {
    public static func load(named name: String = "twelve-lead", seed: UInt64? = nil, catalog: DatasetCatalog? = nil) throws -> TwelveLeadDataset {
        let recipe = try RecipeLookup.recipe(name, catalog: catalog)
        guard case .twelveLead(let config) = recipe.parameters else { throw RecipeLookup.mismatch(recipe, expected: "twelve-lead") }
        return try generate(config, seed: seed ?? recipe.seed)
    }
}

extension PatientTable {
    public static func load(named name: String = "patients", seed: UInt64? = nil, catalog: DatasetCatalog? = nil) throws -> PatientTable {
        let recipe = try RecipeLookup.recipe(name, catalog: catalog)
        guard case .patients(let config) = recipe.parameters else { throw RecipeLookup.mismatch(recipe, expected: "patients") }
        return try generate(config, seed: seed ?? recipe.seed)
    }
}

extension RiskCurve {
    public static func load(named name: String, seed: UInt64? = nil, catalog: DatasetCatalog? = nil) throws -> RiskCurve {
        let recipe = try RecipeLookup.recipe(name, catalog: catalog)
        guard case .riskCurve(let config) = recipe.parameters else { throw RecipeLookup.mismatch(recipe, expected: "risk-curve") }
        return try generate(config, seed: seed ?? recipe.seed)
    }
}

extension WindkesselCurve {
    public static func load(named name: String = "windkessel", seed: UInt64? = nil, catalog: DatasetCatalog? = nil) throws -> WindkesselCurve {
        let recipe = try RecipeLookup.recipe(name, catalog: catalog)
        guard case .windkessel(let config) = recipe.parameters else { throw RecipeLookup.mismatch(recipe, expected: "windkessel") }
        return try simulate(config, seed: seed ?? recipe.seed)
    }
}

extension TrajectoryRecorder {
    public static func load(named name: String = "dosing-trajectories", seed: UInt64? = nil, catalog: DatasetCatalog? = nil) throws -> [Trajectory] {
        let recipe = try RecipeLookup.recipe(name, catalog: catalog)
        guard case .dosingTrajectories(let config) = recipe.parameters else { throw RecipeLookup.mismatch(recipe, expected: "dosing-trajectories") }
        return try record(config, seed: seed ?? recipe.seed)
    }
}

extension LongRangeDataset {
    public static func load(named name: String = "long-range", seed: UInt64? = nil, catalog: DatasetCatalog? = nil) throws -> LongRangeDataset {
        let recipe = try RecipeLookup.recipe(name, catalog: catalog)
        guard case .longRange(let config) = recipe.parameters else { throw RecipeLookup.mismatch(recipe, expected: "long-range") }
        return try generate(config, seed: seed ?? recipe.seed)
    }
}
