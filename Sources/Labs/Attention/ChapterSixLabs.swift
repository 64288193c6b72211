import Course

/// The labs of chapter 6 (transformers), for the course catalogue. The first two are cheap to build (no
/// data set is generated up front), so their declarations are read from a sample lab.
public enum ChapterSixLabs {
    public static let entries: [LabCatalogue.Entry] = [
        LabCatalogue.Entry(panelIDs: PositionalEncodingLab.panelNames) { PositionalEncodingLab(seed: $0) },
        LabCatalogue.Entry(panelIDs: AttentionCostLab.panelNames) { AttentionCostLab(seed: $0) },
        // Written out: building it simulates the long-range recordings (the Labs tests compare).
        LabCatalogue.Entry(id: AttentionEndsLab.labID, title: AttentionEndsLab.labTitle,
                           parameters: AttentionEndsLab.defaultParameters,
                           panelIDs: AttentionEndsLab.panelNames) { AttentionEndsLab(seed: $0) },
    ]

    /// Simulates the long-range recordings `attention-ends` trains on (a second or two), so that
    /// opening its page later costs nothing. The course screen calls this on a background thread.
    static func prepareSharedData() {
        _ = LongRangeInputs.shared
    }
}
