import Foundation
import MLEngine
@testable import CardioSim

/// A clean beat (no noise, wander, jitter or shape variation) at a fixed heart rate.
func cleanBeat(_ cls: BeatClass, heartRate: Double, seed: UInt64 = 7) -> Beat {
    var options = BeatOptions()
    options.noiseRange = [0, 0]
    options.wanderMaximum = 0
    options.jitterSamples = 0
    options.shapeVariation = 0
    options.rrStd = 0
    options.heartRateRange = [heartRate, heartRate]
    var rng = SeededGenerator(seed: seed)
    return BeatGenerator.beat(cls, options: options, rng: &rng)
}

/// Durations (ms) of the index beat's waves, read from its labels.
struct MeasuredDurations {
    var p: Double?
    var pr: Double?
    var qrs: Double
    var qt: Double?
    var qrsEnd: Int
    var qrsStart: Int
}

func measure(_ beat: Beat, samplingRate: Double = 250) -> MeasuredDurations {
    let runs = WaveLabeller.runs(beat.waveLabels)
    let ms = 1000 / samplingRate
    let q = runs.firstIndex { $0.label == .qrs && $0.start <= beat.rPeakIndex && beat.rPeakIndex < $0.start + $0.length }!
    let qrs = runs[q]
    // The P of this beat is the last P run before the QRS with only background between.
    var p: (label: WaveLabel, start: Int, length: Int)?
    if q >= 2, runs[q - 1].label == .background, runs[q - 2].label == .p { p = runs[q - 2] }
    var t: (label: WaveLabel, start: Int, length: Int)?
    if q + 2 < runs.count, runs[q + 1].label == .background, runs[q + 2].label == .t { t = runs[q + 2] }
    if q + 1 < runs.count, runs[q + 1].label == .t { t = runs[q + 1] }
    return MeasuredDurations(
        p: p.map { Double($0.length) * ms },
        pr: p.map { Double(qrs.start - $0.start) * ms },
        qrs: Double(qrs.length) * ms,
        qt: t.map { Double($0.start + $0.length - qrs.start) * ms },
        qrsEnd: qrs.start + qrs.length - 1, qrsStart: qrs.start)
}

/// R peaks by a simple detector: local maxima above half the largest value, 250 ms apart.
func detectRPeaks(_ signal: [Float], samplingRate: Double) -> [Int] {
    let threshold = 0.5 * (signal.max() ?? 0)
    let refractory = Int(0.25 * samplingRate)
    var peaks: [Int] = []
    var i = 1
    while i < signal.count - 1 {
        if signal[i] > threshold && signal[i] >= signal[i - 1] && signal[i] >= signal[i + 1] {
            let end = min(signal.count, i + refractory)
            let best = (i..<end).max { signal[$0] < signal[$1] }!
            peaks.append(best)
            i = best + refractory
        } else {
            i += 1
        }
    }
    return peaks
}
