import Course

/// The reinforcement-learning labs of chapter 9, for the course catalogue.
public enum ChapterNineReinforcementLabs {
    /// `q-table` and `ppo`. Cheap to build (a 7 x 2 table; a small network and the two
    /// reference returns, a few milliseconds): their declarations come from a sample lab.
    public static let entries: [LabCatalogue.Entry] = [
        LabCatalogue.Entry(panelIDs: QTableLab.panelNames) { QTableLab(seed: $0) },
        LabCatalogue.Entry(panelIDs: PPOLab.panelNames) { PPOLab(seed: $0) },
        LabCatalogue.Entry(panelIDs: DecisionTransformerLab.panelNames) { DecisionTransformerLab(seed: $0) },
    ]
}
