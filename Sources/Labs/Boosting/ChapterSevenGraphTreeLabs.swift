import Course

/// The labs of chapter 7's graph and tree sections, for the course catalogue.
public enum ChapterSevenGraphTreeLabs {
    public static let entries: [LabCatalogue.Entry] = [
        LabCatalogue.Entry(id: GraphLeadsLab.labID, title: "A graph network reads the twelve leads",
                           parameters: GraphLeadsLab.defaultParameters,
                           panelIDs: GraphLeadsLab.panelNames) { seed in GraphLeadsLab(seed: seed) },
        LabCatalogue.Entry(id: BoostingLab.labID, title: "Gradient-boosted trees on a patients table",
                           parameters: BoostingLab.defaultParameters,
                           panelIDs: BoostingLab.panelNames) { seed in BoostingLab(seed: seed) },
    ]

    /// Simulates the patients table and the twelve-lead beats now (on the background thread that prepares shared data),
    /// so their pages open without waiting for it.
    public static func prepareData() {
        _ = PatientData.shared
        _ = LeadGraphData.shared
    }
}
