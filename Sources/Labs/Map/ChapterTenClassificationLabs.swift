import Course

/// The labs of chapter 10's classification group (the map's conceptual and frontier rows on
/// "beats-hard"), for the course catalogue.
public enum ChapterTenClassificationLabs {
    public static let entries: [LabCatalogue.Entry] = [
        // Written out: building it simulates the hard beats (the Labs tests compare).
        LabCatalogue.Entry(id: VisionTransformerLab.labID, title: VisionTransformerLab.labTitle,
                           parameters: VisionTransformerLab.defaultParameters,
                           panelIDs: VisionTransformerLab.panelNames) { VisionTransformerLab(seed: $0) },
    ]
}
