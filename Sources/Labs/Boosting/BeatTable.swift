import CardioSim
import MLEngine

/// The "beats-hard" recipe as a table for the boosting lab (`task=beats`): one row per beat, one
/// feature per sample (250), the class index as the label. The same 1,000 training and 1,000
/// test beats the map's other classification rows (`vit-beats`) are scored on.
struct BeatTable: Sendable {
    let trainFeatures: Tensor
    let testFeatures: Tensor
    let trainLabels: [Double], testLabels: [Double]
    let classNames: [String]

    var classCount: Int { classNames.count }
    /// "s0" ... "s249": a tree's question reads "s112 < 0.41", the value at sample 112.
    var featureNames: [String] { (0..<trainFeatures.shape[1]).map { "s\($0)" } }

    /// Made once per process, on the first `task=beats` reset (the patients task never pays for it).
    static let shared = BeatTable(LabData.beatsHard() ?? BeatClassifierLab.emergencyDataset())

    init(_ dataset: BeatDataset) {
        trainFeatures = dataset.train.beats
        testFeatures = dataset.test.beats
        trainLabels = dataset.train.labels.map(Double.init)
        testLabels = dataset.test.labels.map(Double.init)
        classNames = dataset.classes.map(\.rawValue)
    }
}
