import Foundation
import MLEngine

/// The settings of one cut beat: where the R peak sits, how much the shape, rate and noise vary.
public struct BeatOptions: Codable, Sendable, Equatable {
    public var samplingRate: Double
    /// Samples in a beat window (250 at 250 Hz is 1 s).
    public var windowLength: Int
    /// Sample index of the R peak in an unshifted window.
    public var rPeakIndex: Int
    /// Each beat's R peak moves by a uniform whole number of samples in -jitter...jitter.
    public var jitterSamples: Int
    /// Every beat's R peak moves by this many samples (positive = later in the window).
    public var shiftSamples: Int
    /// Underlying heart rate, [low, high] bpm.
    public var heartRateRange: [Double]
    /// Sinus heart-rate variability, seconds (standard deviation of RR).
    public var rrStd: Double
    /// Standard deviation of white measurement noise, [low, high] mV.
    public var noiseRange: [Double]
    /// Largest baseline-wander amplitude, mV.
    public var wanderMaximum: Double
    /// Relative per-patient variation of wave strengths and widths.
    public var shapeVariation: Double

    public init(samplingRate: Double = 250, windowLength: Int = 250, rPeakIndex: Int = 90,
                jitterSamples: Int = 2, shiftSamples: Int = 0, heartRateRange: [Double] = [60, 90],
                rrStd: Double = 0.03, noiseRange: [Double] = [0.005, 0.03], wanderMaximum: Double = 0.08,
                shapeVariation: Double = 0.15) {
        self.samplingRate = samplingRate
        self.windowLength = windowLength
        self.rPeakIndex = rPeakIndex
        self.jitterSamples = jitterSamples
        self.shiftSamples = shiftSamples
        self.heartRateRange = heartRateRange
        self.rrStd = rrStd
        self.noiseRange = noiseRange
        self.wanderMaximum = wanderMaximum
        self.shapeVariation = shapeVariation
    }

    /// Checks the options, naming the first one that makes no sense.
    public func validate() throws {
        func fail(_ message: String) -> CardioSimError { .invalidParameter(message) }
        guard samplingRate >= 50 && samplingRate <= 10_000 else { throw fail("samplingRate must be 50...10000 Hz, got \(samplingRate)") }
        guard windowLength > 0 else { throw fail("windowLength must be positive") }
        guard heartRateRange.count == 2, heartRateRange[0] >= 20, heartRateRange[0] <= heartRateRange[1], heartRateRange[1] <= 250 else {
            throw fail("heartRateRange must be [low, high] within 20...250 bpm, got \(heartRateRange)")
        }
        guard noiseRange.count == 2, noiseRange[0] >= 0, noiseRange[0] <= noiseRange[1] else {
            throw fail("noiseRange must be [low, high] with 0 <= low <= high, got \(noiseRange)")
        }
        guard jitterSamples >= 0 else { throw fail("jitterSamples must be >= 0") }
        guard rrStd >= 0, wanderMaximum >= 0, shapeVariation >= 0, shapeVariation < 0.5 else {
            throw fail("rrStd and wanderMaximum must be >= 0, shapeVariation in 0..<0.5")
        }
    }
}

/// One cut beat.
public struct Beat: Sendable, Equatable {
    public var beatClass: BeatClass
    /// The window, mV.
    public var samples: [Float]
    /// A wave label per sample.
    public var waveLabels: [WaveLabel]
    /// The sample index of the R peak in the window (after shift and jitter).
    public var rPeakIndex: Int
    /// The underlying heart rate, bpm.
    public var heartRate: Double
}

/// Generates single beats, cut around their R peak.
public enum BeatGenerator {
    /// A beat of class `beatClass`: a run of five beats is simulated (the neighbours matter:
    /// the previous T wave, a compensatory pause) and the middle one is cut out.
    public static func beat(_ beatClass: BeatClass, options: BeatOptions, rng: inout SeededGenerator) -> Beat {
        let heartRate = rng.uniform(options.heartRateRange[0], options.heartRateRange[1] + 1e-12)
        var kinds = [BeatClass](repeating: beatClass == .pvc ? .normal : beatClass, count: 5)
        kinds[2] = beatClass
        let beats = RhythmGenerator.schedule(kinds: kinds, indexBeat: 2, heartRate: heartRate, rrStd: options.rrStd,
                                             variationAmount: options.shapeVariation, rng: &rng)
        let jitter = options.jitterSamples > 0 ? rng.int(in: -options.jitterSamples...options.jitterSamples) : 0
        let rIndex = options.rPeakIndex + options.shiftSamples + jitter
        let start = -Double(rIndex) / options.samplingRate
        let wander = ECGModel.Wander(amplitude: rng.uniform(0, options.wanderMaximum + 1e-12),
                                     frequency: rng.uniform(0.15, 0.35), phase: rng.uniform(0.0, 2 * Double.pi))
        let model = ECGModel(samplingRate: options.samplingRate)
        let trace = model.synthesize(beats: beats, start: start, count: options.windowLength, wander: wander)
        var signal = trace.millivolts
        if beatClass == .afib {
            let f = RhythmGenerator.fibrillatoryWaves(count: signal.count, samplingRate: options.samplingRate,
                                                      startTime: start, rng: &rng)
            for i in signal.indices { signal[i] += f[i] }
        }
        let noise = rng.uniform(options.noiseRange[0], options.noiseRange[1] + 1e-12)
        let samples = signal.map { Float($0 + (noise > 0 ? rng.normal(mean: 0, std: noise) : 0)) }
        return Beat(beatClass: beatClass, samples: samples, waveLabels: trace.labels, rPeakIndex: rIndex, heartRate: heartRate)
    }
}
