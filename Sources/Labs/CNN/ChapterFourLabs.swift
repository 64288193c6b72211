import Course

/// The labs of chapter 4 (convolutional networks), for the course catalogue.
public enum ChapterFourLabs {
    /// `cnn-ecg` and `cnn-range`. They generate their data when made (about 5000 beats, 2500
    /// long recordings), so their declarations are written out here rather than read from a
    /// sample lab; the Labs tests compare them with real labs.
    public static let entries: [LabCatalogue.Entry] = [
        LabCatalogue.Entry(id: CNNBeatLab.labID, title: "A CNN classifies heartbeats",
                           parameters: CNNBeatLab.defaultParameters,
                           panelIDs: CNNBeatLab.panelNames) { seed in CNNBeatLab(seed: seed) },
        LabCatalogue.Entry(id: CNNRangeLab.labID, title: "A CNN compares the first and the last beat",
                           parameters: CNNRangeLab.defaultParameters,
                           panelIDs: CNNRangeLab.panelNames) { seed in CNNRangeLab(seed: seed) },
    ]

    /// Simulates the long recordings of `cnn-range` now (called on the background thread that
    /// prepares the shared data at start), so its page opens without waiting for them.
    public static func prepareData() {
        _ = LongRangeData.recordings()
    }
}
