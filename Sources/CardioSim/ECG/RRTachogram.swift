import Foundation
import MLEngine

/// RR intervals with realistic heart-rate variability, after McSharry et al. (2003): a power
/// spectrum made of two Gaussians, one for the Mayer waves (low frequency, about 0.1 Hz) and one
/// for respiratory sinus arrhythmia (high frequency, about 0.25 Hz), turned into a time series
/// with random phases and rescaled to the requested mean and standard deviation.
public struct RRTachogram: Sendable, Equatable {
    /// Mean heart rate, beats per minute.
    public var meanHeartRate: Double
    /// Standard deviation of the RR intervals, seconds.
    public var rrStd: Double
    public var lowFrequency: Double = 0.1
    public var highFrequency: Double = 0.25
    public var lowWidth: Double = 0.01
    public var highWidth: Double = 0.01
    /// Power ratio of the low- to the high-frequency peak.
    public var lfHfRatio: Double = 0.5

    public init(meanHeartRate: Double, rrStd: Double = 0.03) {
        self.meanHeartRate = meanHeartRate
        self.rrStd = rrStd
    }

    /// The spectral density S(f) (unnormalised).
    public func spectralDensity(_ f: Double) -> Double {
        let hfPower = 1.0, lfPower = lfHfRatio
        func gauss(_ centre: Double, _ width: Double) -> Double {
            Foundation.exp(-(f - centre) * (f - centre) / (2 * width * width)) / (2 * Double.pi * width * width).squareRoot()
        }
        return lfPower * gauss(lowFrequency, lowWidth) + hfPower * gauss(highFrequency, highWidth)
    }

    /// `count` consecutive RR intervals in seconds.
    public func intervals(count: Int, rng: inout SeededGenerator) -> [Double] {
        let meanRR = 60.0 / meanHeartRate
        guard count > 0 else { return [] }
        guard rrStd > 0 else { return [Double](repeating: meanRR, count: count) }
        // The series is a sum of cosines at the frequencies resolvable over a window of
        // `span` seconds, sampled where the beats fall (beat n at about n * meanRR seconds).
        let span = Swift.max(256.0, Double(count) * meanRR)
        let df = 1.0 / span
        let binCount = Int(0.5 / df)
        var amplitudes = [Double](repeating: 0, count: binCount)
        var phases = [Double](repeating: 0, count: binCount)
        var variance = 0.0
        for j in 0..<binCount {
            let f = Double(j + 1) * df
            // Beyond eight widths from both peaks the power is below 1e-14 of the peak: skip.
            guard abs(f - lowFrequency) < 8 * lowWidth || abs(f - highFrequency) < 8 * highWidth else { continue }
            amplitudes[j] = (spectralDensity(f) * df).squareRoot()
            phases[j] = 2 * Double.pi * rng.nextDouble()
            variance += amplitudes[j] * amplitudes[j] / 2
        }
        let scale = rrStd / variance.squareRoot()
        var result = [Double](repeating: meanRR, count: count)
        for n in 0..<count {
            let t = Double(n) * meanRR
            var x = 0.0
            for j in 0..<binCount where amplitudes[j] > 0 {
                x += amplitudes[j] * Foundation.cos(2 * Double.pi * Double(j + 1) * df * t + phases[j])
            }
            // Keep every interval physiological even in the tails.
            result[n] = Swift.min(Swift.max(meanRR + scale * x, 0.6 * meanRR), 1.4 * meanRR)
        }
        return result
    }
}
