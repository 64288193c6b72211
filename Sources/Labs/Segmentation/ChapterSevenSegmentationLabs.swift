import Course

/// The segmentation labs of chapter 7 (section 7a), for the course catalogue.
public enum ChapterSevenSegmentationLabs {
    /// `unet-ecg` and `window-cnn`. They share the "segmentation" recordings (250 of 1,000
    /// samples), made once per process by `prepareData`.
    public static let entries: [LabCatalogue.Entry] = [
        LabCatalogue.Entry(id: ECGSegmentationLab.unetID, title: ECGSegmentationLab.title(.unet),
                           parameters: ECGSegmentationLab.defaultParameters(.unet),
                           panelIDs: ECGSegmentationLab.panelNames) { ECGSegmentationLab(.unet, seed: $0) },
        LabCatalogue.Entry(id: ECGSegmentationLab.windowID, title: ECGSegmentationLab.title(.window),
                           parameters: ECGSegmentationLab.defaultParameters(.window),
                           panelIDs: ECGSegmentationLab.panelNames) { ECGSegmentationLab(.window, seed: $0) },
    ]

    /// Simulates the recordings now (on the background thread that prepares shared data at start).
    public static func prepareData() {
        _ = SegmentationData.shared
    }
}
