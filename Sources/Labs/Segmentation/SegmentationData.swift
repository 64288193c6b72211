import CardioSim
import MLEngine

/// CardioSim's "segmentation-noisy" recordings as the networks read them: each recording standardised
/// on its own (mean 0, standard deviation 1, so baseline wander and gain do not matter),
/// [count, 1, samples], with one label per sample (WaveLabel raw values).
struct SegmentationData: Sendable {
    let train: Tensor
    let trainLabels: [Int]
    let test: Tensor
    let testLabels: [Int]
    let length: Int
    let samplingRate: Double

    var trainCount: Int { train.shape[0] }
    var testCount: Int { test.shape[0] }

    init(dataset: SegmentationDataset) {
        length = dataset.train.first?.samples.count ?? 0
        samplingRate = dataset.train.first?.samplingRate ?? 250
        (train, trainLabels) = Self.standardised(dataset.train, length: length)
        (test, testLabels) = Self.standardised(dataset.test, length: length)
    }

    private static func standardised(_ records: [ECGRecording], length: Int) -> (Tensor, [Int]) {
        var scalars: [Float] = []
        scalars.reserveCapacity(records.count * length)
        for record in records {
            let n = Double(record.samples.count)
            let mean = record.samples.reduce(0.0) { $0 + Double($1) } / n
            let variance = record.samples.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / n
            let scale = 1 / Swift.max(variance.squareRoot(), 1e-6)
            scalars += record.samples.map { Float((Double($0) - mean) * scale) }
        }
        return (Tensor(shape: [records.count, 1, length], scalars: scalars),
                records.flatMap { $0.labels.map(\.rawValue) })
    }

    /// Labels of recordings `rows` of the training set, concatenated.
    func trainLabels(_ rows: [Int]) -> [Int] { rows.flatMap { trainLabels[($0 * length)..<(($0 + 1) * length)] } }
    func testLabels(_ row: Int) -> [Int] { Array(testLabels[(row * length)..<((row + 1) * length)]) }

    /// The share of test samples that are background (the accuracy of answering "background"
    /// everywhere).
    var backgroundShare: Double { Double(testLabels.count { $0 == 0 }) / Double(Swift.max(testLabels.count, 1)) }

    /// The recipe the labs train on. On the clean "segmentation" recordings every network
    /// reaches Dice 0.95 or more and the comparisons vanish; with more noise and wander the
    /// boundaries are hard to place and the choices (skips, loss, window) show.
    static let recipe = "segmentation-noisy"

    /// The recipe's recordings, made once per process (250 recordings of 1,000 samples).
    static let shared: SegmentationData? = {
        if let data = try? SegmentationDataset.load(named: recipe) { return SegmentationData(dataset: data) }
        guard case .segmentation(let config)? = BuiltInRecipes.recipe(named: recipe)?.parameters,
              let data = try? SegmentationDataset.generate(config, seed: 44) else { return nil }
        return SegmentationData(dataset: data)
    }()
}
