import Course

/// The labs of chapter 2 (multi-layer perceptron) and the heartbeat-network race of chapter 3,
/// for the course catalogue.
public enum ChapterTwoLabs {
    /// `mlp-curve`, `mlp-ecg` and `optimizer-mlp`. The ECG labs generate their beats when made
    /// (about 5000 beats), so their declarations are written out here rather than read from a
    /// sample lab; the Labs tests compare them with real labs (`LabCatalogue.mismatches()`).
    public static let entries: [LabCatalogue.Entry] = [
        LabCatalogue.Entry(panelIDs: ["fit", "loss"]) { seed in CurveFitLab(seed: seed) },
        LabCatalogue.Entry(id: BeatClassifierLab.labID, title: "An MLP classifies heartbeats",
                           parameters: BeatClassifierLab.defaultParameters,
                           panelIDs: ["loss", "accuracy", "confusion", "weights", "beat"]) { seed in BeatClassifierLab(seed: seed) },
        LabCatalogue.Entry(id: MLPOptimizerRaceLab.labID, title: "Four optimizers train the heartbeat MLP",
                           parameters: MLPOptimizerRaceLab.defaultParameters,
                           panelIDs: ["loss", "accuracy"]) { seed in MLPOptimizerRaceLab(seed: seed) },
    ]
}
