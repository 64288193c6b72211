import Foundation

/// What practitioners watch during PPO updates, computed from the log-probabilities of the
/// taken actions before (when the data were collected) and now.
public enum PolicyUpdateDiagnostics {
    /// An estimate of KL(old || new) from samples drawn under the old policy:
    /// mean((ratio - 1) - log ratio), which is never negative and is 0 only when nothing moved.
    /// Around 0.01 to 0.02 per update is usual; much more means the steps are too big.
    public static func approximateKL(old: [Float], new: [Float]) -> Double {
        precondition(old.count == new.count && !old.isEmpty, "one old and one new log-probability per sample")
        var total = 0.0
        for (o, n) in zip(old, new) {
            let logRatio = Double(n - o)
            total += Foundation.exp(logRatio) - 1 - logRatio
        }
        return total / Double(old.count)
    }

    /// The share of samples whose ratio has left 1 +- clip (where the clipped objective is flat).
    public static func clipFraction(old: [Float], new: [Float], clip: Float) -> Double {
        precondition(old.count == new.count && !old.isEmpty, "one old and one new log-probability per sample")
        let outside = zip(old, new).filter { Swift.abs(Foundation.exp(Double($1 - $0)) - 1) > Double(clip) }.count
        return Double(outside) / Double(old.count)
    }
}
