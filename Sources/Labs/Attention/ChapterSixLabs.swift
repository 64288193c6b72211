import Course

/// The labs of chapter 6 (transformers), for the course catalogue. Both are cheap to build (no
/// data set is generated up front), so their declarations are read from a sample lab.
public enum ChapterSixLabs {
    public static let entries: [LabCatalogue.Entry] = [
        LabCatalogue.Entry(panelIDs: PositionalEncodingLab.panelNames) { PositionalEncodingLab(seed: $0) },
        LabCatalogue.Entry(panelIDs: AttentionCostLab.panelNames) { AttentionCostLab(seed: $0) },
    ]
}
