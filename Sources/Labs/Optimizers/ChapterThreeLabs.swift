import Course

/// The labs of chapter 3 (backpropagation and optimizers), for the course catalogue.
public enum ChapterThreeLabs {
    public static let entries: [LabCatalogue.Entry] = [
        LabCatalogue.Entry(panelIDs: GradcheckLab.panels) { GradcheckLab(seed: $0) },
        LabCatalogue.Entry(panelIDs: OptimizerRaceLab.panels) { OptimizerRaceLab(seed: $0) },
    ]
}
