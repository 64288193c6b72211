import Course

/// The labs of chapter 8, loss functions, for the course catalogue. Both are cheap to build
/// (a few numbers, 33 points): their declarations come from a sample lab.
public enum ChapterEightLabs {
    public static let entries: [LabCatalogue.Entry] = [
        LabCatalogue.Entry(panelIDs: LossExplorerLab.panelNames) { LossExplorerLab(seed: $0) },
        LabCatalogue.Entry(panelIDs: OutliersLab.panelNames) { OutliersLab(seed: $0) },
    ]
}
