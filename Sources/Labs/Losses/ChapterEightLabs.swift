import Course

/// The labs of chapter 8, loss functions, for the course catalogue. The explorer, outliers and
/// kl are cheap to build (a few numbers); focal's declarations are read without generating its
/// beats.
public enum ChapterEightLabs {
    public static let entries: [LabCatalogue.Entry] = [
        LabCatalogue.Entry(panelIDs: LossExplorerLab.panelNames) { LossExplorerLab(seed: $0) },
        LabCatalogue.Entry(panelIDs: OutliersLab.panelNames) { OutliersLab(seed: $0) },
        LabCatalogue.Entry(id: FocalLab.labID, title: FocalLab.labTitle, parameters: FocalLab.defaultParameters,
                           panelIDs: FocalLab.panelNames) { FocalLab(seed: $0) },
        LabCatalogue.Entry(panelIDs: KLLab.panelNames) { KLLab(seed: $0) },
    ]
}
