import Foundation

/// Exact per-sample labels, read off the model itself.
///
/// Each wave i of a beat is active where its own Gaussian exp(-dtheta^2 / (2 b_i^2)) exceeds
/// `threshold` (40% of its peak, i.e. within 1.35 widths of its centre). A beat's P, QRS and T
/// each span from the earliest onset to the latest offset of the waves carrying that label, so a
/// notched QRS stays one complex. Where spans overlap, QRS wins over T and T over P.
/// With the tuned normal waves this gives, at 60 bpm: P 86 ms, PR 187 ms, QRS 101 ms, QT 391 ms.
public enum WaveLabeller {
    public static let threshold = 0.4

    /// Half-width of the active region in units of the Gaussian's width: sqrt(2 ln(1/threshold)).
    public static var halfWidthInWidths: Double { (2 * Foundation.log(1 / threshold)).squareRoot() }

    /// The [onset, offset] time span (seconds) of each labelled wave of a beat.
    public static func spans(of beat: ScheduledBeat) -> [WaveLabel: ClosedRange<Double>] {
        var spans: [WaveLabel: ClosedRange<Double>] = [:]
        let k = halfWidthInWidths
        for wave in beat.waves where wave.label != .background && wave.amplitude != 0 {
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
