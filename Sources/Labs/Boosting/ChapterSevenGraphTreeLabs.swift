import Course

/// The labs of chapter 7's graph and tree sections, for the course catalogue.
public enum ChapterSevenGraphTreeLabs {
    public static let entries: [LabCatalogue.Entry] = [
        LabCatalogue.Entry(id: BoostingLab.labID, title: "Gradient-boosted trees on a patients table",
                           parameters: BoostingLab.defaultParameters,
                           panelIDs: BoostingLab.panelNames) { seed in BoostingLab(seed: seed) },
    ]

    /// Simulates the patients table now (on the background thread that prepares shared data),
    /// so the boosting page opens without waiting for it.
    public static func prepareData() {
        _ = PatientData.shared
    }
}
