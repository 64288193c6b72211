import Foundation
import MLEngine

/// Settings of the long-range task: recordings of `beatsPerRecording` beats, one beat a slot of
/// `samplesPerSlot` samples (8 x 250 = 2,000 samples, 8 s at 250 Hz), labelled by whether the
/// first and the last beat are of the same class.
public struct LongRangeConfig: Codable, Sendable, Equatable {
    public var classes: [BeatClass]
    public var beatsPerRecording: Int
    public var samplesPerSlot: Int
    public var samplingRate: Double
    public var trainCount: Int
    public var testCount: Int
    /// Where a beat's R peak sits in its slot, and how far (samples, uniform) it may move.
    public var rPeakInSlot: Int
    public var jitterSamples: Int
    /// Standard deviation of white measurement noise, [low, high] mV.
    public var noiseRange: [Double]
    public var wanderMaximum: Double
    public var shapeVariation: Double

    public init(classes: [BeatClass] = BeatClass.allCases, beatsPerRecording: Int = 8, samplesPerSlot: Int = 250,
                samplingRate: Double = 250, trainCount: Int = 2000, testCount: Int = 500, rPeakInSlot: Int = 100,
                jitterSamples: Int = 6, noiseRange: [Double] = [0.005, 0.03], wanderMaximum: Double = 0.08,
                shapeVariation: Double = 0.15) {
        self.classes = classes
        self.beatsPerRecording = beatsPerRecording
        self.samplesPerSlot = samplesPerSlot
        self.samplingRate = samplingRate
        self.trainCount = trainCount
        self.testCount = testCount
        self.rPeakInSlot = rPeakInSlot
        self.jitterSamples = jitterSamples
        self.noiseRange = noiseRange
        self.wanderMaximum = wanderMaximum
        self.shapeVariation = shapeVariation
    }

    /// Samples in one recording.
    public var length: Int { beatsPerRecording * samplesPerSlot }

    /// Checks the settings, naming the first one that makes no sense.
    public func validate() throws {
        func fail(_ message: String) -> CardioSimError { .invalidParameter(message) }
        guard classes.count >= 2, Set(classes).count == classes.count else {
            throw fail("classes must list at least two beat classes, without repeats (the label compares two beats)")
        }
        guard beatsPerRecording >= 3 else { throw fail("beatsPerRecording must be >= 3 (a first, a last and a middle beat)") }
        guard samplesPerSlot >= 100, samplesPerSlot <= 2000 else { throw fail("samplesPerSlot must be 100...2000") }
        guard samplingRate >= 50, samplingRate <= 10_000 else { throw fail("samplingRate must be 50...10000 Hz") }
        guard trainCount >= 0, testCount >= 0 else { throw fail("counts must be >= 0") }
        guard jitterSamples >= 0, rPeakInSlot - jitterSamples >= 0, rPeakInSlot + jitterSamples < samplesPerSlot else {
            throw fail("rPeakInSlot +- jitterSamples must stay inside the slot")
        }
        guard noiseRange.count == 2, noiseRange[0] >= 0, noiseRange[0] <= noiseRange[1] else {
            throw fail("noiseRange must be [low, high] with 0 <= low <= high")
        }
        guard wanderMaximum >= 0, shapeVariation >= 0, shapeVariation < 0.5 else {
            throw fail("wanderMaximum must be >= 0, shapeVariation in 0..<0.5")
        }
    }
}

/// One recording of the long-range task.
public struct LongRangeRecording: Sendable, Equatable {
    /// mV, `config.length` samples.
    public var samples: [Float]
    /// The class of each beat, in order (the first and last decide the label).
    public var beatClasses: [BeatClass]
    /// Where each beat's R peak is.
    public var rPeakIndices: [Int]
    /// The label: the first and the last beat are of the same class.
    public var sameClass: Bool
}

/// One split: signals [count, length] and labels (1 = same class at both ends, 0 = not).
public struct LongRangeSplit: Sendable {
    public var signals: Tensor
    public var labels: [Int]
    /// Per recording, the class index (into `LongRangeDataset.classes`) of each beat.
    public var beatClasses: [[Int]]
    public var rPeakIndices: [[Int]]

    public var count: Int { labels.count }
}

/// The long-range task: *do the very first and the very last beat of an 8-second recording have
/// the same class?* A question about the relation between the two ends of a long signal.
///
/// Construction, per recording: the label is fixed first (each split is exactly half "same",
/// half "different", shuffled); the first beat's class is uniform; the last beat repeats it
/// ("same") or is uniform among the other classes ("different"); every middle beat's class is
/// drawn uniformly and independently, whatever the label. So the middle beats carry no
/// information, and a network can only answer by relating the two ends.
///
/// What is left for a model that only counts beat types over the whole recording (a global
/// pool does that): "same" forces one class to appear at least twice, so the histogram of the
/// eight classes is very slightly informative. With five classes and six middle beats the best
/// possible accuracy from counts alone is 59.1% (exact enumeration; 57% with two classes).
///
/// Each beat sits in its own slot of `samplesPerSlot` samples, R peak at `rPeakInSlot` +- jitter,
/// all beats of a recording from one simulated patient (one shape per class), with one baseline
/// wander and one noise level across the whole recording; atrial-fibrillation beats get the
/// fibrillatory baseline in their slot. Chapter 6 reuses this task (a transformer solves it).
public struct LongRangeDataset: Sendable {
    public var config: LongRangeConfig
    public var seed: UInt64
    public var classes: [BeatClass]
    public var train: LongRangeSplit
    public var test: LongRangeSplit

    /// Generates both splits. Each recording comes from its own generator derived from (seed,
    /// split, index), so the result does not depend on the number of threads.
    public static func generate(_ config: LongRangeConfig, seed: UInt64) throws -> LongRangeDataset {
        try config.validate()
        return LongRangeDataset(config: config, seed: seed, classes: config.classes,
                                train: makeSplit(config, count: config.trainCount, seed: seed, stream: 1),
                                test: makeSplit(config, count: config.testCount, seed: seed, stream: 2))
    }

    /// One recording with the given label, drawn from `rng` (the building block of `generate`).
    public static func recording(sameClass: Bool, config: LongRangeConfig, rng: inout SeededGenerator) -> LongRangeRecording {
        let classes = config.classes, n = config.beatsPerRecording
        // The classes: the ends from the label, the middle independent of it.
        let first = classes[rng.int(below: classes.count)]
        var last = first
        if !sameClass {
            let others = classes.filter { $0 != first }
            last = others[rng.int(below: others.count)]
        }
        var kinds = [first]
        for _ in 1..<(n - 1) { kinds.append(classes[rng.int(below: classes.count)]) }
        kinds.append(last)

        // One patient: one shape per class, one wander and one noise level for the recording.
        var shapes: [BeatClass: [Wave]] = [:]
        for kind in BeatClass.allCases where kinds.contains(kind) {
            shapes[kind] = MorphologyVariation.random(waveCount: kind.waves.count, amount: config.shapeVariation, rng: &rng)
                .apply(to: kind.waves)
        }
        let slot = Double(config.samplesPerSlot) / config.samplingRate
        var peaks: [Int] = []
        var beats: [ScheduledBeat] = []
        // A normal beat before and after the recording, so its edges hold the neighbours' waves.
        let shapeOf = { (kind: BeatClass) -> [Wave] in shapes[kind] ?? kind.waves }
        let sinus = shapes[.normal] ?? BeatClass.normal.waves
        beats.append(ScheduledBeat(rTime: (Double(config.rPeakInSlot) - Double(config.samplesPerSlot)) / config.samplingRate,
                                   rr: slot, waves: sinus))
        for (i, kind) in kinds.enumerated() {
            let jitter = config.jitterSamples > 0 ? rng.int(in: -config.jitterSamples...config.jitterSamples) : 0
            let peak = i * config.samplesPerSlot + config.rPeakInSlot + jitter
            peaks.append(peak)
            beats.append(ScheduledBeat(rTime: Double(peak) / config.samplingRate, rr: slot, waves: shapeOf(kind)))
        }
        beats.append(ScheduledBeat(rTime: (Double(n * config.samplesPerSlot + config.rPeakInSlot)) / config.samplingRate,
                                   rr: slot, waves: sinus))
        let wander = ECGModel.Wander(amplitude: rng.uniform(0, config.wanderMaximum + 1e-12),
                                     frequency: rng.uniform(0.15, 0.35), phase: rng.uniform(0.0, 2 * Double.pi))
        let trace = ECGModel(samplingRate: config.samplingRate).synthesize(beats: beats, start: 0, count: config.length, wander: wander)
        var signal = trace.millivolts
        for (i, kind) in kinds.enumerated() where kind == .afib {
            let start = i * config.samplesPerSlot
            let f = RhythmGenerator.fibrillatoryWaves(count: config.samplesPerSlot, samplingRate: config.samplingRate,
                                                      startTime: Double(start) / config.samplingRate, rng: &rng)
            for j in 0..<config.samplesPerSlot { signal[start + j] += f[j] }
        }
        let noise = rng.uniform(config.noiseRange[0], config.noiseRange[1] + 1e-12)
        let samples = signal.map { Float($0 + (noise > 0 ? rng.normal(mean: 0, std: noise) : 0)) }
        return LongRangeRecording(samples: samples, beatClasses: kinds, rPeakIndices: peaks, sameClass: sameClass)
    }

    static func makeSplit(_ config: LongRangeConfig, count: Int, seed: UInt64, stream: UInt64) -> LongRangeSplit {
        // Exactly half of each label (the odd one out, if any, is "different"), shuffled.
        var labels = [Int](repeating: 1, count: count / 2) + [Int](repeating: 0, count: count - count / 2)
        var orderRNG = SeededGenerator(seed: SeedMixing.derive(seed, stream, UInt64.max))
        orderRNG.shuffle(&labels)
        let length = config.length
        var scalars = [Float](repeating: 0, count: count * length)
        var records = [LongRangeRecording?](repeating: nil, count: count)
        let frozenLabels = labels
        scalars.withUnsafeMutableBufferPointer { scalarBuffer in
            records.withUnsafeMutableBufferPointer { recordBuffer in
                // Each item writes only its own rows, so the threads never touch the same memory.
                nonisolated(unsafe) let out = scalarBuffer, outRecords = recordBuffer
                let chunk = 16
                DispatchQueue.concurrentPerform(iterations: (count + chunk - 1) / chunk) { c in
                    for i in (c * chunk)..<Swift.min(count, (c + 1) * chunk) {
                        var rng = SeededGenerator(seed: SeedMixing.derive(seed, stream, UInt64(i)))
                        var record = recording(sameClass: frozenLabels[i] == 1, config: config, rng: &rng)
                        for j in 0..<length { out[i * length + j] = record.samples[j] }
                        record.samples = []   // kept once, in the tensor
                        outRecords[i] = record
                    }
                }
            }
        }
        let index = Dictionary(uniqueKeysWithValues: config.classes.enumerated().map { ($1, $0) })
        return LongRangeSplit(signals: Tensor(shape: [count, length], scalars: scalars), labels: labels,
                              beatClasses: records.map { $0!.beatClasses.map { index[$0]! } },
                              rPeakIndices: records.map { $0!.rPeakIndices })
    }
}
