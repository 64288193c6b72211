import Foundation

/// Axis ticks a person would choose: steps of 1, 2 or 5 times a power of ten ("nice numbers",
/// Heckbert, Graphics Gems 1990), and powers of ten on a log axis.
public enum Ticks {
    /// The nice number closest to `value` (`round`) or the smallest nice number >= `value`.
    public static func niceNumber(_ value: Double, round: Bool) -> Double {
        guard value > 0, value.isFinite else { return 1 }
        let exponent = floor(log10(value))
        let power = pow(10, exponent)
        let fraction = value / power
        let nice: Double
        if round {
            nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
        } else {
            nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        }
        return nice * power
    }

    /// Nice ticks covering `lower...upper` with about `count` ticks. The returned bounds are
    /// the data range widened to whole steps; values are exact multiples of `step` (computed
    /// as `k * step`, so 0.6 is `3 * 0.2`).
    public static func linear(lower: Double, upper: Double, count: Int) -> (lower: Double, upper: Double, step: Double, values: [Double]) {
        var low = lower, high = upper
        if !(low.isFinite && high.isFinite) { low = 0; high = 1 }
        if high < low { swap(&low, &high) }
        if high == low {
            let pad = low == 0 ? 1 : abs(low) * 0.1
            low -= pad; high += pad
        }
        // Rounding the raw step (rather than first rounding the range up, as Heckbert does) keeps
        // the tick count close to the one asked for.
        let step = niceNumber((high - low) / Double(max(1, count - 1)), round: true)
        let first = (low / step).rounded(.down), last = (high / step).rounded(.up)
        let values = stride(from: first, through: last, by: 1).map { $0 * step }
        return (first * step, last * step, step, values)
    }

    /// Nice ticks inside `lower...upper` without widening the range (used for x axes whose
    /// ends are the first and last step).
    public static func linearInside(lower: Double, upper: Double, count: Int) -> [Double] {
        let ticks = linear(lower: lower, upper: upper, count: count)
        let tolerance = ticks.step * 1e-9
        return ticks.values.filter { $0 >= lower - tolerance && $0 <= upper + tolerance }
    }

    /// Ticks for a log10 axis over positive `lower...upper`: the decades covering the range,
    /// thinned to at most `maxCount`; when the range spans less than about two decades, the
    /// 2x and 5x marks within each decade are added so the axis is not bare.
    public static func logarithmic(lower: Double, upper: Double, maxCount: Int) -> (lower: Double, upper: Double, values: [Double]) {
        var low = lower > 0 && lower.isFinite ? lower : 1e-3
        var high = upper > 0 && upper.isFinite ? upper : 1
        if high < low { swap(&low, &high) }
        let firstDecade = floor(log10(low))
        var lastDecade = ceil(log10(high))
        if lastDecade == firstDecade { lastDecade += 1 }  // an exact power of ten: show its decade
        let decades = Int(lastDecade - firstDecade)
        var values: [Double] = []
        if decades <= 2 {
            for exponent in Int(firstDecade)..<Int(lastDecade) {
                for mantissa in [1.0, 2.0, 5.0] { values.append(mantissa * pow(10, Double(exponent))) }
            }
            values.append(pow(10, lastDecade))
            let lo = pow(10, firstDecade), hi = pow(10, lastDecade)
            // Keep only marks that can be drawn without crowding.
            if values.count > maxCount { values = values.enumerated().filter { $0.offset % 3 == 0 }.map(\.element) }
            return (lo, hi, values)
        }
        let every = max(1, Int((Double(decades + 1) / Double(max(1, maxCount))).rounded(.up)))
        var exponent = Int(firstDecade)
        while exponent <= Int(lastDecade) {
            values.append(pow(10, Double(exponent)))
            exponent += every
        }
        return (pow(10, firstDecade), pow(10, lastDecade), values)
    }
}
