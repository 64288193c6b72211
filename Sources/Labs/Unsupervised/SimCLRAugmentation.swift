import Foundation
import MLEngine

/// The distortions `simclr` draws for each view of a beat, each switchable. Every one changes
/// the samples without changing what kind of beat it is:
/// - scale: the whole beat times a factor in 0.7-1.3 (electrode contact, body size);
/// - wander: a slow sine added, amplitude up to 0.15 mV, 0.1-0.5 cycles across the window
///   (breathing moves the baseline);
/// - shift: the beat moved by a whole number of samples in -40...40, the edge samples repeated
///   (where the cut falls around the R peak);
/// - noise: white noise of standard deviation up to 0.05 mV (the amplifier, the muscles).
/// Applied in that order.
struct SimCLRAugmentation: Equatable, Sendable {
    static let scaleRange: ClosedRange<Float> = 0.7...1.3
    static let wanderAmplitude: Float = 0.15
    static let wanderCycles: ClosedRange<Float> = 0.1...0.5
    static let largestShift = 40
    static let largestNoise: Float = 0.05

    var scale = true
    var wander = true
    var shift = true
    var noise = true

    /// One view of `beat`, drawn from `generator` (which draws the same numbers whichever
    /// distortions are on, so switching one off changes nothing else).
    func view(of beat: ArraySlice<Float>, generator: inout SeededGenerator) -> [Float] {
        let factor = generator.uniform(Self.scaleRange.lowerBound, Self.scaleRange.upperBound)
        let amplitude = generator.uniform(0, Self.wanderAmplitude)
        let cycles = generator.uniform(Self.wanderCycles.lowerBound, Self.wanderCycles.upperBound)
        let phase = generator.uniform(0, 2 * Float.pi)
        let offset = generator.int(in: -Self.largestShift...Self.largestShift)
        let deviation = generator.uniform(0, Self.largestNoise)
        let n = beat.count
        var out = Array(beat)
        if scale { for j in 0..<n { out[j] *= factor } }
        if wander {
            let rate = 2 * Float.pi * cycles / Float(n)
            for j in 0..<n { out[j] += amplitude * sin(rate * Float(j) + phase) }
        }
        if shift { out = Self.shifted(out, by: offset) }
        // The noise is always drawn, so the generator moves on the same whatever is switched on.
        for j in 0..<n {
            let draw = Float(generator.normal())
            if noise { out[j] += deviation * draw }
        }
        return out
    }

    /// `beat` moved `offset` samples later (earlier when negative); the samples that come into
    /// the window repeat the edge.
    static func shifted(_ beat: [Float], by offset: Int) -> [Float] {
        let n = beat.count
        guard n > 0, offset != 0 else { return beat }
        return (0..<n).map { beat[Swift.min(Swift.max($0 - offset, 0), n - 1)] }
    }
}
