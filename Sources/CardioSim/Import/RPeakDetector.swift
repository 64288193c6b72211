/// Finds the R peaks of an ECG: a Pan-Tompkins-style QRS detector (J. Pan and W. J. Tompkins,
/// "A real-time QRS detection algorithm", IEEE Trans. Biomed. Eng., 1985), in its steps:
///
/// 1. **Band-pass 5-15 Hz.** The QRS complex has most of its energy there; P and T waves are
///    slower, baseline wander much slower, muscle noise and mains hum faster.
/// 2. **Derivative.** The QRS is the steepest part of a beat: the slope singles it out.
/// 3. **Squaring.** Makes every value positive and stresses big slopes over small ones.
/// 4. **Moving-window integration** over 150 ms (about one wide QRS): one smooth hump per beat.
/// 5. **Adaptive thresholds.** Each hump's peak is a candidate. Running estimates of the signal
///    peak level (SPKI) and the noise peak level (NPKI) set threshold 1 a quarter of the way from
///    noise to signal; a candidate above it is a beat, and each decision updates the estimates,
///    so the detector follows a recording that grows louder or quieter.
/// 6. **Refractory period.** No two beats within 200 ms (the heart cannot), and a candidate
///    within 360 ms of a beat whose slope is under half that beat's is a T wave.
/// 7. **Search-back.** When no beat has been found for 1.66 average RR intervals, one was
///    probably missed: the biggest candidate in the gap above threshold 2 (half of threshold 1)
///    is taken.
///
/// The integrated signal says where a beat is, not exactly where its R wave peaks, so each
/// beat is finally placed at the largest deflection of the (baseline-free) ECG near it.
public enum RPeakDetector {
    /// The intermediate signals, for a learner (or a panel) to look at each step.
    public struct Stages: Sendable {
        public var bandPassed: [Double]
        public var derivative: [Double]
        public var squared: [Double]
        public var integrated: [Double]
    }

    public static let refractorySeconds = 0.2
    public static let tWaveSeconds = 0.36
    public static let windowSeconds = 0.15

    /// Steps 1-4.
    public static func stages(_ ecg: [Double], samplingRate fs: Double) -> Stages {
        let high = Biquad.highPass(cutoff: 5, samplingRate: fs), low = Biquad.lowPass(cutoff: 15, samplingRate: fs)
        let band = low.zeroPhase(high.zeroPhase(ecg))
        let n = band.count
        // Five-point derivative centred on each sample (Pan and Tompkins's, without its delay).
        var slope = [Double](repeating: 0, count: n)
        if n >= 5 {
            for i in 2..<(n - 2) {
                slope[i] = (2 * band[i + 2] + band[i + 1] - band[i - 1] - 2 * band[i - 2]) * fs / 8
            }
        }
        let squared = slope.map { $0 * $0 }
        // Moving-window integration, centred: a running sum over `width` samples.
        let width = max(1, Int((windowSeconds * fs).rounded()))
        var integrated = [Double](repeating: 0, count: n)
        var running = 0.0
        var prefix = [Double](repeating: 0, count: n + 1)
        for i in 0..<n { running += squared[i]; prefix[i + 1] = running }
        for i in 0..<n {
            let low = max(0, i - width / 2), high = min(n, i - width / 2 + width)
            integrated[i] = (prefix[high] - prefix[low]) / Double(width)
        }
        return Stages(bandPassed: band, derivative: slope, squared: squared, integrated: integrated)
    }

    /// Sample indices of the R peaks in `ecg` (baseline wander removed, any rate), in order.
    public static func detect(_ ecg: [Double], samplingRate fs: Double) -> [Int] {
        let stage = stages(ecg, samplingRate: fs)
        let signal = stage.integrated
        let n = signal.count
        guard n > 5 else { return [] }
        let refractory = Int(refractorySeconds * fs), tWindow = Int(tWaveSeconds * fs)

        // Candidates: local maxima of the integrated signal.
        var candidates: [Int] = []
        for i in 1..<(n - 1) where signal[i] > signal[i - 1] && signal[i] >= signal[i + 1] { candidates.append(i) }

        // Learning phase: the first two seconds set the starting levels.
        let learning = signal[0..<min(n, Int(2 * fs))]
        var spki = 0.25 * (learning.max() ?? 0)
        var npki = 0.5 * learning.reduce(0, +) / Double(max(learning.count, 1))
        func threshold1() -> Double { npki + 0.25 * (spki - npki) }

        var beats: [Int] = []
        var rrIntervals: [Int] = []
        var noise: [Int] = []  // candidates judged noise since the last beat, for search-back
        func maxSlope(around i: Int) -> Double {
            let reach = Int(windowSeconds * fs)
            var best = 0.0
            for j in max(0, i - reach)..<min(n, i + 1) { best = max(best, abs(stage.derivative[j])) }
            return best
        }
        func accept(_ i: Int, searchBack: Bool) {
            if let last = beats.last { rrIntervals.append(i - last); if rrIntervals.count > 8 { rrIntervals.removeFirst() } }
            beats.append(i)
            spki = searchBack ? 0.25 * signal[i] + 0.75 * spki : 0.125 * signal[i] + 0.875 * spki
            noise.removeAll()
        }

        for i in candidates {
            // Search-back before judging i: was a beat missed in the gap behind it?
            if let last = beats.last, rrIntervals.count >= 2 {
                let average = Double(rrIntervals.reduce(0, +)) / Double(rrIntervals.count)
                if Double(i - last) > 1.66 * average {
                    let threshold2 = 0.5 * threshold1()
                    if let missed = noise.filter({ $0 - last > refractory && signal[$0] > threshold2 })
                        .max(by: { signal[$0] < signal[$1] }) {
                        accept(missed, searchBack: true)
                    }
                }
            }
            let value = signal[i]
            if let last = beats.last, i - last < refractory {
                // Two peaks inside one refractory period are one beat: keep the bigger.
                if value > signal[last] { beats[beats.count - 1] = i }
                continue
            }
            if value > threshold1() {
                if let last = beats.last, i - last < tWindow, maxSlope(around: i) < 0.5 * maxSlope(around: last) {
                    npki = 0.125 * value + 0.875 * npki  // a T wave
                    continue
                }
                accept(i, searchBack: false)
            } else {
                npki = 0.125 * value + 0.875 * npki
                noise.append(i)
            }
        }
        return beats.map { locateR(near: $0, in: ecg, samplingRate: fs) }
    }

    /// The largest deflection (either sign) of `ecg` within 75 ms of `i`: the R wave, or the
    /// dominant wave of a beat whose QRS points down.
    static func locateR(near i: Int, in ecg: [Double], samplingRate fs: Double) -> Int {
        let reach = Int(0.075 * fs)
        var best = i
        for j in max(0, i - reach)..<min(ecg.count, i + reach + 1) where abs(ecg[j]) > abs(ecg[best]) { best = j }
        return best
    }
}
