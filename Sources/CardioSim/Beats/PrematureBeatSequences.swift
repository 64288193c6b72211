import Foundation
import MLEngine

/// The long-range memory task of chapter 5 as RR intervals: one number per beat (the time since
/// the beat before, in seconds), and one question about the whole sequence, "was the first beat
/// premature?".
///
/// Every sequence is one stretch of a recording at its own resting heart rate (60-85 beats a
/// minute), with respiratory sinus arrhythmia (the rate rises and falls with breathing, about
/// 4 seconds a breath) and beat-to-beat jitter. In half of them (label 1) the first beat comes
/// early: its interval is 45-60% of the normal one, as for a premature atrial or ventricular
/// beat. There is no compensatory pause, so beat 1 is the only clue: everything after it is
/// ordinary and says nothing about the answer. A model must carry one bit across `length` beats.
public struct PrematureBeatSequences: Sendable, Equatable {
    /// Beats per sequence (time steps).
    public var length: Int
    /// Resting heart rates, beats per minute, drawn per sequence.
    public var heartRates: ClosedRange<Double> = 60...85
    /// The premature beat's interval as a fraction of the sequence's normal interval.
    public var prematureFraction: ClosedRange<Double> = 0.45...0.6
    /// Breathing swings the interval by up to this much (seconds, amplitude drawn per sequence).
    public var breathingSwing: ClosedRange<Double> = 0.01...0.03
    /// Standard deviation of the beat-to-beat jitter, seconds.
    public var jitter: Double = 0.015

    /// - Throws: `CardioSimError.invalidParameter` for a length below 1.
    public init(length: Int) throws(CardioSimError) {
        guard length >= 1 else { throw .invalidParameter("a beat sequence needs at least 1 beat, got \(length)") }
        self.length = length
    }

    /// `count` sequences: intervals row-major ([count, length], seconds) and one label each
    /// (1: the first beat was premature), half of each in a random order.
    public func generate(count: Int, generator: inout SeededGenerator) -> (intervals: [Float], labels: [Int]) {
        var intervals = [Float](repeating: 0, count: count * length)
        var labels = [Int](repeating: 0, count: count)
        intervals.withUnsafeMutableBufferPointer { out in
            for n in 0..<count {
                labels[n] = generator.bernoulli(0.5) ? 1 : 0
                fill(out.baseAddress! + n * length, premature: labels[n] == 1, generator: &generator)
            }
        }
        return (intervals, labels)
    }

    /// One sequence into `out` (`length` values).
    func fill(_ out: UnsafeMutablePointer<Float>, premature: Bool, generator: inout SeededGenerator) {
        let normal = 60 / generator.uniform(heartRates.lowerBound, heartRates.upperBound)
        let swing = generator.uniform(breathingSwing.lowerBound, breathingSwing.upperBound)
        let breathBeats = 4.0 / normal            // beats per breath
        let phase = generator.uniform(0, 2 * Double.pi)
        for beat in 0..<length {
            let breathing = swing * Foundation.sin(2 * Double.pi * Double(beat) / breathBeats + phase)
            out[beat] = Float(normal + breathing + jitter * generator.normal())
        }
        if premature {
            out[0] = Float(normal * generator.uniform(prematureFraction.lowerBound, prematureFraction.upperBound))
        }
    }
}
