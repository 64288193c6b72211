import Foundation

/// A second-order (two-pole) IIR filter section, designed as a Butterworth low- or high-pass
/// (coefficients from the bilinear transform, R. Bristow-Johnson's audio-EQ formulas).
struct Biquad: Sendable {
    var b0, b1, b2, a1, a2: Double

    static func lowPass(cutoff: Double, samplingRate: Double) -> Biquad {
        let (cosw, alpha) = terms(cutoff, samplingRate)
        let a0 = 1 + alpha
        return Biquad(b0: (1 - cosw) / 2 / a0, b1: (1 - cosw) / a0, b2: (1 - cosw) / 2 / a0,
                      a1: -2 * cosw / a0, a2: (1 - alpha) / a0)
    }

    static func highPass(cutoff: Double, samplingRate: Double) -> Biquad {
        let (cosw, alpha) = terms(cutoff, samplingRate)
        let a0 = 1 + alpha
        return Biquad(b0: (1 + cosw) / 2 / a0, b1: -(1 + cosw) / a0, b2: (1 + cosw) / 2 / a0,
                      a1: -2 * cosw / a0, a2: (1 - alpha) / a0)
    }

    private static func terms(_ cutoff: Double, _ rate: Double) -> (Double, Double) {
        let w = 2 * Double.pi * cutoff / rate
        return (cos(w), sin(w) / (2 * 0.5.squareRoot()))  // Q = 1/sqrt(2): Butterworth
    }

    /// Filters forwards, then backwards over the result: the phase delays cancel, so a QRS
    /// complex comes out where it went in (and the magnitude response is squared).
    func zeroPhase(_ x: [Double]) -> [Double] {
        var y = run(x)
        y.reverse()
        y = run(y)
        y.reverse()
        return y
    }

    private func run(_ x: [Double]) -> [Double] {
        var y = [Double](repeating: 0, count: x.count)
        guard let first = x.first else { return y }
        // Start from the state a constant `first` would have left (no step at sample 0).
        let dc = (b0 + b1 + b2) / (1 + a1 + a2)
        var (x1, x2, y1, y2) = (first, first, first * dc, first * dc)
        for n in x.indices {
            let value = b0 * x[n] + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2
            (x2, x1, y2, y1) = (x1, x[n], y1, value)
            y[n] = value
        }
        return y
    }
}
