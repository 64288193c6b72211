import Course

/// The labs of chapter 4 (convolutional networks), for the course catalogue.
public enum ChapterFourLabs {
    /// `cnn-ecg`. It generates its beats when made (about 5000), so its declaration is written
    /// out here rather than read from a sample lab; the Labs tests compare it with a real lab.
    public static let entries: [LabCatalogue.Entry] = [
        LabCatalogue.Entry(id: CNNBeatLab.labID, title: "A CNN classifies heartbeats",
                           parameters: CNNBeatLab.defaultParameters,
                           panelIDs: CNNBeatLab.panelNames) { seed in CNNBeatLab(seed: seed) },
    ]
}
