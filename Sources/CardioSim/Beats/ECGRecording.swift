import Foundation
import MLEngine

/// A continuous single-lead ECG with a label per sample: the segmentation data.
public struct ECGRecording: Sendable, Equatable {
    public var rhythm: BeatClass
    public var samplingRate: Double
    /// mV.
    public var samples: [Float]
    public var labels: [WaveLabel]
    /// Sample indices of the R peaks (theta = 0 of each beat) inside the recording.
    public var rPeakIndices: [Int]
    /// The requested (underlying) heart rate, bpm.
    public var heartRate: Double

    /// Simulates `duration` seconds of the rhythm `rhythm`: normal, bbb and ste are regular
    /// sinus rhythms of that morphology; afib is irregular without P waves; pvc is sinus rhythm
    /// with a premature ventricular beat every 3 to 6 beats.
    public static func simulate(rhythm: BeatClass, duration: Double, heartRate: Double, samplingRate: Double = 250,
                                rrStd: Double = 0.03, noise: Double = 0, wander: ECGModel.Wander = .none,
                                shapeVariation: Double = 0, rng: inout SeededGenerator) throws -> ECGRecording {
        guard duration > 0, duration <= 3600 else { throw CardioSimError.invalidParameter("duration must be in (0, 3600] s, got \(duration)") }
        guard heartRate >= 20, heartRate <= 250 else { throw CardioSimError.invalidParameter("heartRate must be 20...250 bpm, got \(heartRate)") }
        guard samplingRate >= 50, samplingRate <= 10_000 else { throw CardioSimError.invalidParameter("samplingRate must be 50...10000 Hz") }
        let beatCount = Int(duration * heartRate / 60 * 1.5) + 6
        var kinds = [BeatClass](repeating: rhythm == .pvc ? .normal : rhythm, count: beatCount)
        if rhythm == .pvc {
            var i = rng.int(in: 3...5)
            while i < beatCount { kinds[i] = .pvc; i += rng.int(in: 3...6) }
        }
        // Beat 1 sits at 0.4 s, so the recording starts in the middle of a cycle.
        var beats = RhythmGenerator.schedule(kinds: kinds, indexBeat: 1, heartRate: heartRate, rrStd: rrStd,
                                             variationAmount: shapeVariation, rng: &rng)
        for i in beats.indices { beats[i].rTime += 0.4 }
        let count = Int((duration * samplingRate).rounded())
        let trace = ECGModel(samplingRate: samplingRate).synthesize(beats: beats, start: 0, count: count, wander: wander)
        var signal = trace.millivolts
        if rhythm == .afib {
            let f = RhythmGenerator.fibrillatoryWaves(count: count, samplingRate: samplingRate, startTime: 0, rng: &rng)
            for i in signal.indices { signal[i] += f[i] }
        }
        let samples = signal.map { Float($0 + (noise > 0 ? rng.normal(mean: 0, std: noise) : 0)) }
        let peaks = beats.map { Int(($0.rTime * samplingRate).rounded()) }.filter { $0 >= 0 && $0 < count }
        return ECGRecording(rhythm: rhythm, samplingRate: samplingRate, samples: samples, labels: trace.labels,
                            rPeakIndices: peaks, heartRate: heartRate)
    }
}

/// Settings of the segmentation data set.
public struct SegmentationConfig: Codable, Sendable, Equatable {
    public var rhythms: [BeatClass]
    public var trainCount: Int
    public var testCount: Int
    public var durationSeconds: Double
    public var samplingRate: Double
    public var heartRateRange: [Double]
    public var noiseRange: [Double]
    public var wanderMaximum: Double
    public var shapeVariation: Double

    public init(rhythms: [BeatClass] = [.normal, .bbb, .ste, .afib], trainCount: Int = 200, testCount: Int = 50,
                durationSeconds: Double = 4, samplingRate: Double = 250, heartRateRange: [Double] = [60, 100],
                noiseRange: [Double] = [0.005, 0.03], wanderMaximum: Double = 0.05, shapeVariation: Double = 0.15) {
        self.rhythms = rhythms
        self.trainCount = trainCount
        self.testCount = testCount
        self.durationSeconds = durationSeconds
        self.samplingRate = samplingRate
        self.heartRateRange = heartRateRange
        self.noiseRange = noiseRange
        self.wanderMaximum = wanderMaximum
        self.shapeVariation = shapeVariation
    }
}

/// Continuous ECG recordings with per-sample labels, for the U-Net lesson.
public struct SegmentationDataset: Sendable {
    public var train: [ECGRecording]
    public var test: [ECGRecording]

    /// Signals [count, samples] (mV) and labels [count, samples] (WaveLabel raw values as Float).
    public static func tensors(_ records: [ECGRecording]) -> (signals: Tensor, labels: Tensor) {
        let length = records.first?.samples.count ?? 0
        return (Tensor(shape: [records.count, length], scalars: records.flatMap { $0.samples }),
                Tensor(shape: [records.count, length], scalars: records.flatMap { $0.labels.map { Float($0.rawValue) } }))
    }

    public static func generate(_ config: SegmentationConfig, seed: UInt64) throws -> SegmentationDataset {
        guard !config.rhythms.isEmpty else { throw CardioSimError.invalidParameter("rhythms must not be empty") }
        guard config.heartRateRange.count == 2, config.heartRateRange[0] <= config.heartRateRange[1],
              config.noiseRange.count == 2, config.noiseRange[0] <= config.noiseRange[1] else {
            throw CardioSimError.invalidParameter("heartRateRange and noiseRange must be [low, high]")
        }
        func make(_ count: Int, _ stream: UInt64) throws -> [ECGRecording] {
            try (0..<count).map { i in
                var rng = SeededGenerator(seed: SeedMixing.derive(seed, stream, UInt64(i)))
                let rhythm = config.rhythms[i % config.rhythms.count]
                let wander = ECGModel.Wander(amplitude: rng.uniform(0, config.wanderMaximum + 1e-12),
                                             frequency: rng.uniform(0.15, 0.35), phase: rng.uniform(0.0, 2 * Double.pi))
                return try ECGRecording.simulate(
                    rhythm: rhythm, duration: config.durationSeconds,
                    heartRate: rng.uniform(config.heartRateRange[0], config.heartRateRange[1] + 1e-12),
                    samplingRate: config.samplingRate, rrStd: 0.03,
                    noise: rng.uniform(config.noiseRange[0], config.noiseRange[1] + 1e-12),
                    wander: wander, shapeVariation: config.shapeVariation, rng: &rng)
            }
        }
        return SegmentationDataset(train: try make(config.trainCount, 1), test: try make(config.testCount, 2))
    }
}
