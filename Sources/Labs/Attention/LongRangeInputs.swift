import CardioSim
import MLEngine

/// Chapter 4's long-range task as the transformer reads it: do the first and the last beat of
/// an 8-beat recording (2,000 samples) have the same class? The recordings are the "long-range"
/// recipe's (2,000 training, 500 test, fixed recipe seed), scaled by one mean and one standard
/// deviation taken from the training signals, so the patch embedding starts on numbers near 1.
///
/// Made once per process and shared by every `attention-ends` lab: simulating 2,500 recordings
/// takes a noticeable moment, which a page turn or a reset should not cost each time.
struct LongRangeInputs: Sendable {
    var train: Tensor
    var trainLabels: [Int]
    var test: Tensor
    var testLabels: [Int]
    /// Each test recording's beat classes, first to last (for the example panel's title).
    var testBeats: [[BeatClass]]
    var samplesPerBeat: Int
    var beatsPerRecording: Int

    var length: Int { samplesPerBeat * beatsPerRecording }

    /// Built on `cnn-range`'s recordings (`LongRangeData`), the same recipe and seed, so the
    /// 2,500 recordings are simulated once per process for both chapters.
    static let shared: LongRangeInputs = {
        // The built-in recipe always validates; `generate` with its defaults cannot fail.
        // swiftlint:disable:next force_try
        LongRangeInputs(LongRangeData.recordings() ?? (try! LongRangeDataset.generate(LongRangeConfig(), seed: 52)))
    }()

    init(_ data: LongRangeDataset) {
        let (mean, std) = Self.moments(data.train.signals)
        func scaled(_ t: Tensor) -> Tensor { withNoGrad { (t - mean) * (1 / std) } }
        train = scaled(data.train.signals)
        trainLabels = data.train.labels
        test = scaled(data.test.signals)
        testLabels = data.test.labels
        testBeats = data.test.beatClasses.map { $0.map { data.classes[$0] } }
        samplesPerBeat = data.config.samplesPerSlot
        beatsPerRecording = data.config.beatsPerRecording
    }

    /// Mean and standard deviation of every sample (one pass, in Double).
    static func moments(_ t: Tensor) -> (Float, Float) {
        t.withUnsafeScalars { s in
            var sum = 0.0, squares = 0.0
            for v in s { sum += Double(v); squares += Double(v) * Double(v) }
            let n = Double(max(s.count, 1)), mean = sum / n
            return (Float(mean), Float(max(1e-6, (squares / n - mean * mean).squareRoot())))
        }
    }
}
