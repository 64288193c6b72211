import Foundation

/// A learning rate that changes with the step: a linear warmup from almost 0 to `peak` over
/// `warmupSteps`, then an optional decay.
///
/// Why warm up: Adam's second-moment estimate v starts from a handful of gradients, so the first
/// updates are poorly scaled, and a freshly initialised transformer's attention can lock onto
/// whatever it sees first. Small steps while the statistics settle, then the full rate.
///
///     step s (counting from 0) < warmup:  lr = peak * (s + 1) / warmup
///     afterwards, constant:               lr = peak
///     afterwards, cosine to total:        lr = floor + (peak - floor) * (1 + cos(pi * progress)) / 2
///
/// Apply it by setting the optimizer's `learningRate` before each step:
/// `optimizer.learningRate = schedule.learningRate(atStep: step)`.
public struct WarmupSchedule: Sendable, Equatable {
    /// What happens after the warmup.
    public enum Decay: Sendable, Equatable {
        /// Stay at the peak.
        case constant
        /// Half a cosine from the peak down to `floor`, reached at step `totalSteps` and kept after.
        case cosine(totalSteps: Int, floor: Float)
    }

    public var peak: Float
    public var warmupSteps: Int
    public var decay: Decay

    public init(peak: Float, warmupSteps: Int, decay: Decay = .constant) {
        precondition(peak > 0 && peak.isFinite, "peak learning rate must be positive, got \(peak)")
        precondition(warmupSteps >= 0, "warmup steps must not be negative")
        if case .cosine(let total, let floor) = decay {
            precondition(total > warmupSteps && floor >= 0 && floor <= peak, "cosine decay needs totalSteps > warmupSteps and 0 <= floor <= peak")
        }
        self.peak = peak
        self.warmupSteps = warmupSteps
        self.decay = decay
    }

    /// The learning rate for step `step` (0 is the first step).
    public func learningRate(atStep step: Int) -> Float {
        precondition(step >= 0, "steps count from 0")
        if step < warmupSteps { return peak * Float(step + 1) / Float(warmupSteps) }
        switch decay {
        case .constant:
            return peak
        case .cosine(let total, let floor):
            let progress = min(1, Double(step - warmupSteps) / Double(total - warmupSteps))
            return floor + (peak - floor) * Float((1 + Foundation.cos(Double.pi * progress)) / 2)
        }
    }
}
