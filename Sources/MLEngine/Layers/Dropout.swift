/// Dropout (Srivastava et al., 2014): during training each number is zeroed with probability
/// `rate` and the survivors are scaled by 1 / (1 - rate), so the expected value is unchanged; a
/// network cannot lean on any single unit. In evaluation it does nothing.
///
/// The random choices come from a `SeededGenerator` the caller passes in (and keeps, for
/// checkpoints), so a run with dropout is as reproducible as one without. `forward(_:)`, the
/// `Layer` entry point, is evaluation mode: the identity.
public struct Dropout: Layer {
    /// Probability of zeroing each number, in 0..<1.
    public var rate: Float

    public init(rate: Float) {
        precondition(rate >= 0 && rate < 1, "dropout rate must lie in [0, 1), got \(rate)")
        self.rate = rate
    }

    /// Evaluation: the input unchanged.
    public func forward(_ input: Tensor) -> Tensor { input }

    /// Training: zero each number with probability `rate` (one draw per number, in row-major
    /// order), scale the rest by 1 / (1 - rate). The gradient flows through the same mask.
    public func forward(_ input: Tensor, generator: inout SeededGenerator) -> Tensor {
        guard rate > 0 else { return input }
        let keep = 1 / (1 - rate), threshold = rate, n = input.count
        let mask = Tensor(shape: input.shape) { out in
            for i in 0..<n { out[i] = generator.nextFloat() < threshold ? 0 : keep }
        }
        return input * mask
    }
}
