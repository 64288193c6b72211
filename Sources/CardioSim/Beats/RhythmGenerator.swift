import Foundation
import MLEngine

/// Per-patient variation of a beat's shape: an overall gain and a small change of each wave's
/// strength and width.
public struct MorphologyVariation: Sendable, Equatable {
    public var gain: Double
    public var amplitudeFactors: [Double]
    public var widthFactors: [Double]

    public static let none = MorphologyVariation(gain: 1, amplitudeFactors: [], widthFactors: [])

    public init(gain: Double, amplitudeFactors: [Double], widthFactors: [Double]) {
        self.gain = gain
        self.amplitudeFactors = amplitudeFactors
        self.widthFactors = widthFactors
    }

    /// Draws a variation: gain within +-`amount` (relative), each wave's strength within
    /// +-`amount`/1.5 and width within +-`amount`/2.
    public static func random(waveCount: Int, amount: Double, rng: inout SeededGenerator) -> MorphologyVariation {
        let gain = rng.uniform(1 - amount, 1 + amount)
        var amps: [Double] = [], widths: [Double] = []
        for _ in 0..<waveCount {
            amps.append(rng.uniform(1 - amount / 1.5, 1 + amount / 1.5))
            widths.append(rng.uniform(1 - amount / 2, 1 + amount / 2))
        }
        return MorphologyVariation(gain: gain, amplitudeFactors: amps, widthFactors: widths)
    }

    public func apply(to waves: [Wave]) -> [Wave] {
        waves.enumerated().map { i, wave in
            var w = wave
            w.amplitude *= gain * (i < amplitudeFactors.count ? amplitudeFactors[i] : 1)
            w.width *= i < widthFactors.count ? widthFactors[i] : 1
            return w
        }
    }
}

/// Lays beats out in time for a rhythm: sinus rhythm with heart-rate variability, premature
/// ventricular beats with their compensatory pause, or the irregular rhythm of atrial fibrillation.
public enum RhythmGenerator {
    /// A run of beats around an index beat whose R peak is at time 0.
    ///
    /// - Parameters:
    ///   - kinds: the morphology of each beat, in order.
    ///   - indexBeat: which of them has its R peak at time 0.
    ///   - heartRate: the underlying (sinus or mean ventricular) rate, bpm.
    ///   - rrStd: heart-rate variability of sinus rhythm, seconds.
    ///   - variationAmount: relative per-patient shape variation (0 for the textbook shape).
    public static func schedule(kinds: [BeatClass], indexBeat: Int, heartRate: Double, rrStd: Double,
                                variationAmount: Double, rng: inout SeededGenerator) -> [ScheduledBeat] {
        precondition(kinds.indices.contains(indexBeat), "index beat outside the run")
        let meanRR = 60 / heartRate
        let base = RRTachogram(meanHeartRate: heartRate, rrStd: rrStd).intervals(count: kinds.count, rng: &rng)
        // One shape per morphology for this patient.
        var shapes: [BeatClass: [Wave]] = [:]
        for kind in BeatClass.allCases where kinds.contains(kind) {
            let variation = MorphologyVariation.random(waveCount: kind.waves.count, amount: variationAmount, rng: &rng)
            shapes[kind] = variation.apply(to: kind.waves)
        }
        // preceding[i]: the interval from beat i-1's R peak to beat i's; morph[i]: the RR that
        // sets beat i's omega (the underlying rate, so a premature beat is early, not squeezed).
        var preceding = [Double](repeating: meanRR, count: kinds.count)
        var morph = [Double](repeating: meanRR, count: kinds.count)
        for i in kinds.indices {
            switch kinds[i] {
            case .afib:
                let rr = meanRR * rng.uniform(0.65, 1.35)
                preceding[i] = rr
                morph[i] = meanRR
            case .pvc:
                preceding[i] = base[i] * rng.uniform(0.55, 0.7)
                morph[i] = base[i]
            default:
                // After a premature beat the sinus node keeps its rhythm: a full compensatory
                // pause makes the two intervals around the PVC add up to two sinus cycles.
                if i > 0 && kinds[i - 1] == .pvc {
                    preceding[i] = 2 * base[i] - preceding[i - 1]
                } else {
                    preceding[i] = base[i]
                }
                morph[i] = base[i]
            }
        }
        var rTimes = [Double](repeating: 0, count: kinds.count)
        for i in stride(from: indexBeat + 1, to: kinds.count, by: 1) { rTimes[i] = rTimes[i - 1] + preceding[i] }
        for i in stride(from: indexBeat - 1, through: 0, by: -1) { rTimes[i] = rTimes[i + 1] - preceding[i + 1] }
        return kinds.indices.map { ScheduledBeat(rTime: rTimes[$0], rr: morph[$0], waves: shapes[kinds[$0]]!) }
    }

    /// The fibrillatory baseline of atrial fibrillation: a few sinusoids between 4 and 10 Hz with
    /// a slowly changing amplitude, added to the signal (mV).
    public static func fibrillatoryWaves(count: Int, samplingRate: Double, startTime: Double,
                                         rng: inout SeededGenerator) -> [Double] {
        let amplitude = rng.uniform(0.03, 0.07)
        let components = (0..<3).map { _ in
            (frequency: rng.uniform(4.0, 10.0), phase: rng.uniform(0.0, 2 * Double.pi), weight: rng.uniform(0.5, 1.0))
        }
        let modulation = (frequency: rng.uniform(0.2, 0.6), phase: rng.uniform(0.0, 2 * Double.pi))
        let totalWeight = components.reduce(0) { $0 + $1.weight }
        return (0..<count).map { i in
            let t = startTime + Double(i) / samplingRate
            var s = 0.0
            for c in components { s += c.weight * Foundation.sin(2 * Double.pi * c.frequency * t + c.phase) }
            let envelope = 1 + 0.3 * Foundation.sin(2 * Double.pi * modulation.frequency * t + modulation.phase)
            return amplitude * envelope * s / totalWeight * 1.6
        }
    }
}
