import Course

/// The unsupervised labs of chapter 9 (learning paradigms), for the course catalogue.
public enum ChapterNineUnsupervisedLabs {
    public static let entries: [LabCatalogue.Entry] = [
        LabCatalogue.Entry(id: KMeansLab.labID, title: "K-means clusters heartbeats",
                           parameters: KMeansLab.defaultParameters,
                           panelIDs: KMeansLab.panelNames) { seed in KMeansLab(seed: seed) },
        LabCatalogue.Entry(id: PCALab.labID, title: "PCA finds the main shapes of heartbeats",
                           parameters: PCALab.defaultParameters,
                           panelIDs: PCALab.panelNames) { seed in PCALab(seed: seed) },
        LabCatalogue.Entry(id: SimCLRLab.labID, title: "SimCLR learns beat features without labels",
                           parameters: SimCLRLab.defaultParameters,
                           panelIDs: SimCLRLab.panelNames) { seed in SimCLRLab(seed: seed) },
        LabCatalogue.Entry(id: VAELab.labID, title: "A variational autoencoder maps heartbeats to two numbers",
                           parameters: VAELab.defaultParameters,
                           panelIDs: VAELab.panelNames) { seed in VAELab(seed: seed) },
    ]

    /// Builds the beats' matrix and its principal components now (on the background thread
    /// that prepares shared data at start), so the pages open without waiting for them.
    public static func prepareData() {
        _ = ClusteringData.sharedBeats
        _ = PCABeats.shared
        _ = PCABeats.pcaTwoComponentError
        _ = SimCLRBeats.rawKMeans
        _ = SimCLRBeats.rawProbeWithFiveLabels
    }
}
