import Foundation
import MLEngine

/// What a beat data set holds: which classes, in what proportions, how many, cut how.
public struct BeatDatasetConfig: Codable, Sendable, Equatable {
    public var classes: [BeatClass]
    /// Proportion of each class (same order as `classes`); normalised to sum to 1.
    public var classFractions: [Double]
    /// The test split's own proportions (same order), when it should differ from training's: an
    /// imbalanced training set whose test set still holds enough rare beats to measure recall.
    /// Nil uses `classFractions`.
    public var testClassFractions: [Double]?
    public var trainCount: Int
    public var testCount: Int
    /// Extra shift (samples) applied to the test beats only: the MLP's time-shift lesson.
    public var testShiftSamples: Int
    public var beat: BeatOptions

    public init(classes: [BeatClass] = BeatClass.allCases, classFractions: [Double] = [0.2, 0.2, 0.2, 0.2, 0.2],
                trainCount: Int = 4000, testCount: Int = 1000, testShiftSamples: Int = 0,
                beat: BeatOptions = BeatOptions(), testClassFractions: [Double]? = nil) {
        self.classes = classes
        self.classFractions = classFractions
        self.testClassFractions = testClassFractions
        self.trainCount = trainCount
        self.testCount = testCount
        self.testShiftSamples = testShiftSamples
        self.beat = beat
    }

    public func validate() throws {
        guard !classes.isEmpty, Set(classes).count == classes.count else {
            throw CardioSimError.invalidParameter("classes must be a non-empty list without repeats")
        }
        guard classFractions.count == classes.count, classFractions.allSatisfy({ $0 >= 0 }),
              classFractions.reduce(0, +) > 0 else {
            throw CardioSimError.invalidParameter("classFractions needs one non-negative number per class (\(classes.count)), not all zero")
        }
        if let testClassFractions {
            guard testClassFractions.count == classes.count, testClassFractions.allSatisfy({ $0 >= 0 }),
                  testClassFractions.reduce(0, +) > 0 else {
                throw CardioSimError.invalidParameter("testClassFractions needs one non-negative number per class (\(classes.count)), not all zero")
            }
        }
        guard trainCount >= 0, testCount >= 0 else { throw CardioSimError.invalidParameter("counts must be >= 0") }
        try beat.validate()
    }

    /// Exact counts per class for `total` beats (largest remainders, so they sum to `total`).
    public func classCounts(total: Int, test: Bool = false) -> [Int] {
        let fractions = test ? (testClassFractions ?? classFractions) : classFractions
        let sum = fractions.reduce(0, +)
        let ideal = fractions.map { $0 / sum * Double(total) }
        var counts = ideal.map { Int($0.rounded(.down)) }
        let order = ideal.indices.sorted { (ideal[$0] - Double(counts[$0]), -$0) > (ideal[$1] - Double(counts[$1]), -$1) }
        var missing = total - counts.reduce(0, +)
        for i in order where missing > 0 { counts[i] += 1; missing -= 1 }
        return counts
    }
}

/// One split of a beat data set.
public struct BeatSplit: Sendable {
    /// Beats, shape [count, windowLength], mV.
    public var beats: Tensor
    /// Class index (into `BeatDataset.classes`) of each beat.
    public var labels: [Int]
    /// Underlying heart rate of each beat, bpm.
    public var heartRates: [Float]
    /// Where each beat's R peak fell.
    public var rPeakIndices: [Int]

    public var count: Int { labels.count }
    /// Labels as a float tensor [count] (class indices).
    public var labelTensor: Tensor { Tensor(shape: [labels.count], scalars: labels.map(Float.init)) }
    /// One row of `beats` (copies that row only).
    public func beat(_ i: Int) -> ArraySlice<Float> {
        let length = beats.shape[1]
        return beats.withUnsafeScalars { Array($0[(i * length)..<((i + 1) * length)]) }[...]
    }
}

/// A labelled set of cut beats with a train and a test split.
public struct BeatDataset: Sendable {
    public var config: BeatDatasetConfig
    public var seed: UInt64
    public var classes: [BeatClass]
    public var train: BeatSplit
    public var test: BeatSplit

    /// Generates the data set. Each beat comes from its own generator derived from (seed, split,
    /// index), so the result is identical whatever the number of threads.
    public static func generate(_ config: BeatDatasetConfig, seed: UInt64) throws -> BeatDataset {
        try config.validate()
        var testOptions = config.beat
        testOptions.shiftSamples += config.testShiftSamples
        return BeatDataset(config: config, seed: seed, classes: config.classes,
                           train: makeSplit(config, options: config.beat, count: config.trainCount, seed: seed, stream: 1),
                           test: makeSplit(config, options: testOptions, count: config.testCount, seed: seed, stream: 2))
    }

    static func makeSplit(_ config: BeatDatasetConfig, options: BeatOptions, count: Int, seed: UInt64, stream: UInt64) -> BeatSplit {
        var labels: [Int] = []
        for (index, n) in config.classCounts(total: count, test: stream == 2).enumerated() {
            labels += [Int](repeating: index, count: n)
        }
        var orderRNG = SeededGenerator(seed: SeedMixing.derive(seed, stream, UInt64.max))
        orderRNG.shuffle(&labels)
        let length = options.windowLength
        var scalars = [Float](repeating: 0, count: count * length)
        var rates = [Float](repeating: 0, count: count)
        var rPeaks = [Int](repeating: 0, count: count)
        let classes = config.classes
        let frozenLabels = labels
        scalars.withUnsafeMutableBufferPointer { scalarBuffer in
            rates.withUnsafeMutableBufferPointer { rateBuffer in
                rPeaks.withUnsafeMutableBufferPointer { peakBuffer in
                    // Each item writes only its own rows, so the threads never touch the same memory.
                    nonisolated(unsafe) let out = scalarBuffer, outRates = rateBuffer, outPeaks = peakBuffer
                    let chunk = 64
                    let chunks = (count + chunk - 1) / chunk
                    DispatchQueue.concurrentPerform(iterations: chunks) { c in
                        for i in (c * chunk)..<Swift.min(count, (c + 1) * chunk) {
                            var rng = SeededGenerator(seed: SeedMixing.derive(seed, stream, UInt64(i)))
                            let beat = BeatGenerator.beat(classes[frozenLabels[i]], options: options, rng: &rng)
                            for j in 0..<length { out[i * length + j] = beat.samples[j] }
                            outRates[i] = Float(beat.heartRate)
                            outPeaks[i] = beat.rPeakIndex
                        }
                    }
                }
            }
        }
        return BeatSplit(beats: Tensor(shape: [count, length], scalars: scalars), labels: labels,
                         heartRates: rates, rPeakIndices: rPeaks)
    }
}
