import Course

/// The labs of chapter 5 (recurrent networks and LSTM), for the course catalogue. Their
/// declarations are written out (building a lab draws its test set) and checked against real
/// labs by the Labs tests (`LabCatalogue.mismatches()`).
public enum ChapterFiveLabs {
    /// `memory-task`, `vanishing-gradient` and `sequence-cost`.
    public static let entries: [LabCatalogue.Entry] = [
        LabCatalogue.Entry(id: MemoryTaskLab.labID, title: MemoryTaskLab.labTitle,
                           parameters: MemoryTaskLab.defaultParameters,
                           panelIDs: MemoryTaskLab.panelNames) { seed in MemoryTaskLab(seed: seed) },
        LabCatalogue.Entry(id: VanishingGradientLab.labID, title: VanishingGradientLab.labTitle,
                           parameters: VanishingGradientLab.defaultParameters,
                           panelIDs: VanishingGradientLab.panelNames) { seed in VanishingGradientLab(seed: seed) },
        // Cheap to build (two small models, no data set): its declarations come from a sample lab.
        LabCatalogue.Entry(panelIDs: SequenceCostLab.panelNames) { SequenceCostLab(seed: $0) },
    ]
}
