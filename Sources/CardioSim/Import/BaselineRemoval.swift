/// Removes baseline wander: the slow drift (breathing, movement, electrode drying, well below
/// 1 Hz) that moves a whole stretch of ECG up or down without changing its shape.
///
/// The baseline is estimated by two median filters in a row. A median over 200 ms ignores the
/// QRS complex (it is shorter than half the window, so it can never be the middle value); a
/// median over 600 ms of that result ignores the P and T waves too. What is left is the drift,
/// and it is subtracted. Unlike a high-pass filter, a median leaves the ST segment where it
/// was relative to the PR segment, which matters for telling ST elevation apart.
public enum BaselineRemoval {
    /// `signal` minus its estimated baseline, at `samplingRate` Hz.
    public static func remove(_ signal: [Double], samplingRate: Double) -> [Double] {
        let short = oddWindow(0.2 * samplingRate), long = oddWindow(0.6 * samplingRate)
        let baseline = RunningMedian.filter(RunningMedian.filter(signal, window: short), window: long)
        var result = signal
        for i in result.indices { result[i] -= baseline[i] }
        return result
    }

    private static func oddWindow(_ samples: Double) -> Int { Int(samples.rounded()) / 2 * 2 + 1 }
}

/// A median over a window sliding along a signal, the window kept sorted: each step removes the
/// sample that leaves and inserts the one that enters, by binary search. Near the ends the
/// window is clipped to the samples that exist.
enum RunningMedian {
    static func filter(_ signal: [Double], window: Int) -> [Double] {
        let count = signal.count, half = window / 2
        guard count > 0 else { return [] }
        var sorted: [Double] = []
        sorted.reserveCapacity(window + 1)
        var output = [Double](repeating: 0, count: count)
        var (low, high) = (0, 0)  // the window holds signal[low..<high]
        for i in 0..<count {
            let wantLow = max(0, i - half), wantHigh = min(count, i + half + 1)
            while high < wantHigh { sorted.insert(signal[high], at: insertionIndex(signal[high], in: sorted)); high += 1 }
            while low < wantLow { sorted.remove(at: insertionIndex(signal[low], in: sorted)); low += 1 }
            let n = sorted.count
            output[i] = n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2])
        }
        return output
    }

    /// The first index whose value is not less than `value`.
    private static func insertionIndex(_ value: Double, in sorted: [Double]) -> Int {
        var (low, high) = (0, sorted.count)
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
