import Foundation

/// Exact per-sample labels, read off the model itself.
///
/// Each wave i of a beat is active where its own Gaussian exp(-dtheta^2 / (2 b_i^2)) exceeds a
/// fraction of its peak: 40% for P and T (within 1.35 widths of the centre), 15% for the
/// narrow, steep Q, R and S waves (within 1.95 widths), so that the QRS label ends where the S wave
/// has returned near the baseline, at the J point. A beat's P, QRS and T
/// each span from the earliest onset to the latest offset of the waves carrying that label, so a
/// notched QRS stays one complex. Where spans overlap, QRS wins over T and T over P.
/// With the tuned normal waves this gives, at 60 bpm: P 88 ms, PR 188 ms, QRS 100 ms, QT 392 ms.
public enum WaveLabeller {
    /// The fraction of a wave's peak above which it labels a sample.
    public static func threshold(_ label: WaveLabel) -> Double { label == .qrs ? 0.15 : 0.4 }

    /// Half-width of the active region in units of the Gaussian's width: sqrt(2 ln(1/threshold)).
    public static func halfWidthInWidths(_ label: WaveLabel) -> Double { (2 * Foundation.log(1 / threshold(label))).squareRoot() }

    /// The [onset, offset] time span (seconds) of each labelled wave of a beat.
    public static func spans(of beat: ScheduledBeat) -> [WaveLabel: ClosedRange<Double>] {
        var spans: [WaveLabel: ClosedRange<Double>] = [:]
        for wave in beat.waves where wave.label != .background && wave.amplitude != 0 {
            let k = halfWidthInWidths(wave.label)
            let centre = beat.rTime + wave.angle / beat.omega
            let half = k * wave.width / beat.omega
            let span = (centre - half)...(centre + half)
            if let old = spans[wave.label] {
                spans[wave.label] = Swift.min(old.lowerBound, span.lowerBound)...Swift.max(old.upperBound, span.upperBound)
            } else {
                spans[wave.label] = span
            }
        }
        return spans
    }

    static func priority(_ label: WaveLabel) -> Int {
        switch label {
        case .background: return 0
        case .p: return 1
        case .t: return 2
        case .qrs: return 3
        }
    }

    /// A label for each of `count` samples starting at `start`.
    public static func labels(beats: [ScheduledBeat], start: Double, count: Int, samplingRate: Double) -> [WaveLabel] {
        var labels = [WaveLabel](repeating: .background, count: count)
        for beat in beats {
            for (label, span) in spans(of: beat) {
                let lo = Swift.max(0, Int(((span.lowerBound - start) * samplingRate).rounded(.up)))
                let hi = Swift.min(count - 1, Int(((span.upperBound - start) * samplingRate).rounded(.down)))
                guard lo <= hi else { continue }
                for i in lo...hi where priority(label) > priority(labels[i]) { labels[i] = label }
            }
        }
        return labels
    }

    /// Runs of one label in a label sequence: (label, first index, length).
    public static func runs(_ labels: [WaveLabel]) -> [(label: WaveLabel, start: Int, length: Int)] {
        var result: [(label: WaveLabel, start: Int, length: Int)] = []
        var i = 0
        while i < labels.count {
            var j = i
            while j < labels.count && labels[j] == labels[i] { j += 1 }
            result.append((labels[i], i, j - i))
            i = j
        }
        return result
    }
}
