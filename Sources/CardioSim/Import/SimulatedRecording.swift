import Foundation
import MLEngine

/// A long simulated recording with the troubles of a real one, at any rate: what the course
/// bundles as its import example, and what the detector's tests measure against (the simulator
/// knows where every R peak truly is). It is simulated, not recorded from a person.
///
/// On top of CardioSim's beats (sinus rhythm of one morphology, with a premature ventricular
/// beat now and then) it adds **electrode noise** (white, plus a little mains hum), **baseline
/// wander** (breathing: two slow sinusoids) and **motion artefacts** (a slow bump of up to a
/// millivolt or so every few tens of seconds, as when the wearer moves and the electrode shifts).
public struct SimulatedRecording: Sendable {
    public struct Settings: Sendable, Equatable {
        public var duration: Double = 60
        public var samplingRate: Double = 360
        public var heartRate: Double = 72
        /// The morphology of the sinus beats.
        public var morphology: BeatClass = .normal
        /// Insert a premature ventricular beat every 3-8 sinus beats.
        public var pvcs: Bool = true
        /// Standard deviation of the white electrode noise, mV.
        public var noise: Double = 0.03
        /// Peak amplitude of the baseline wander, mV.
        public var wander: Double = 0.3
        public var motionArtefacts: Bool = true
        /// Relative per-patient variation of wave shapes.
        public var shapeVariation: Double = 0.1
        public init() {}
    }

    public var samplingRate: Double
    /// mV.
    public var samples: [Double]
    /// True R-peak sample indices.
    public var rPeaks: [Int]
    /// The class of the beat at each R peak.
    public var classes: [BeatClass]

    public static func generate(_ settings: Settings, seed: UInt64) throws -> SimulatedRecording {
        let fs = settings.samplingRate
        guard settings.duration > 0, settings.duration <= 3600, fs >= 50, fs <= 10_000 else {
            throw CardioSimError.invalidParameter("duration must be in (0, 3600] s and the rate in 50...10000 Hz")
        }
        var rng = SeededGenerator(seed: seed)
        let count = Int((settings.duration * fs).rounded())
        let beatCount = Int(settings.duration * settings.heartRate / 60 * 1.2) + 4
        var kinds = [BeatClass](repeating: settings.morphology, count: beatCount)
        if settings.pvcs {
            var i = rng.int(in: 3...8)
            while i < beatCount - 1 { kinds[i] = .pvc; i += rng.int(in: 4...9) }
        }
        var beats = RhythmGenerator.schedule(kinds: kinds, indexBeat: 0, heartRate: settings.heartRate, rrStd: 0.04,
                                             variationAmount: settings.shapeVariation, rng: &rng)
        for i in beats.indices { beats[i].rTime += 0.5 }
        let trace = ECGModel(samplingRate: fs).synthesize(beats: beats, start: 0, count: count)
        var signal = trace.millivolts
        if settings.morphology == .afib {
            let f = RhythmGenerator.fibrillatoryWaves(count: count, samplingRate: fs, startTime: 0, rng: &rng)
            for i in signal.indices { signal[i] += f[i] }
        }
        // Breathing: two slow sinusoids.
        let waves = (0..<2).map { _ in (rng.uniform(0.1, 0.4), rng.uniform(0.0, 2 * Double.pi), rng.uniform(0.4, 1.0)) }
        let mains = rng.uniform(0.0, 0.01)
        for i in signal.indices {
            let t = Double(i) / fs
            var drift = 0.0
            for (frequency, phase, weight) in waves { drift += weight * sin(2 * Double.pi * frequency * t + phase) }
            signal[i] += settings.wander * drift / 2
            signal[i] += mains * sin(2 * Double.pi * 50 * t)
            if settings.noise > 0 { signal[i] += rng.normal(mean: 0, std: settings.noise) }
        }
        if settings.motionArtefacts {
            // A smooth bump (raised cosine, 0.3-1 s long) every 10-40 s.
            var t = rng.uniform(3.0, 15.0)
            while t < settings.duration {
                let length = rng.uniform(0.3, 1.0), height = rng.uniform(-1.0, 1.0)
                let first = Int(t * fs), last = min(count, Int((t + length) * fs))
                if first < last {
                    for i in first..<last {
                        let phase = Double(i - first) / Double(last - first)
                        signal[i] += height * 0.5 * (1 - cos(2 * Double.pi * phase))
                    }
                }
                t += rng.uniform(10.0, 40.0)
            }
        }
        var peaks: [Int] = [], classes: [BeatClass] = []
        for (beat, kind) in zip(beats, kinds) {
            let index = Int((beat.rTime * fs).rounded())
            if index >= 0 && index < count { peaks.append(index); classes.append(kind) }
        }
        return SimulatedRecording(samplingRate: fs, samples: signal, rPeaks: peaks, classes: classes)
    }

    /// The recording as import CSV: `time,ECG,label` with the class name on each R-peak row
    /// (`labelled`), four decimals of mV.
    public func csv(labelled: Bool = true) -> String {
        var labels = [String](repeating: "", count: samples.count)
        if labelled { for (peak, kind) in zip(rPeaks, classes) { labels[peak] = kind.rawValue } }
        var text = labelled ? "time,ECG,label\n" : "time,ECG\n"
        text.reserveCapacity(samples.count * 24)
        for i in samples.indices {
            text += String(format: "%.5f,%.4f", Double(i) / samplingRate, samples[i])
            text += labelled ? ",\(labels[i])\n" : "\n"
        }
        return text
    }
}
