import Course

/// The lab of chapter 10's segmentation group that chapter 7 does not already have: the
/// Swin-UNet, the map's frontier row, on the same recordings as `unet-ecg` and `window-cnn`.
public enum ChapterTenSegmentationLabs {
    public static let entries: [LabCatalogue.Entry] = [
        LabCatalogue.Entry(id: ECGSegmentationLab.swinID, title: ECGSegmentationLab.title(.swin),
                           parameters: ECGSegmentationLab.defaultParameters(.swin),
                           panelIDs: ECGSegmentationLab.panelNames) { ECGSegmentationLab(.swin, seed: $0) },
    ]
}
