import Foundation

/// How a weight tensor's starting values are drawn. Fan-in is the number of inputs feeding one
/// output, fan-out the number of outputs one input feeds.
public enum Initializer: Sendable, Equatable {
    /// Glorot and Bengio (2010): keeps the variance of activations and gradients alike for
    /// tanh/sigmoid nets. Uniform in ±sqrt(6 / (fanIn + fanOut)).
    case xavierUniform
    /// Normal with std sqrt(2 / (fanIn + fanOut)).
    case xavierNormal
    /// He et al. (2015): ReLU zeroes half its inputs, so the variance doubles: ±sqrt(6 / fanIn).
    case kaimingUniform
    /// Normal with std sqrt(2 / fanIn).
    case kaimingNormal
    case uniform(low: Float, high: Float)
    case normal(std: Float)
    case constant(Float)

    public func make(_ shape: [Int], fanIn: Int, fanOut: Int, generator: inout SeededGenerator) -> Tensor {
        let fi = Float(Swift.max(fanIn, 1)), fo = Float(Swift.max(fanOut, 1))
        switch self {
        case .xavierUniform:
            let bound = (6 / (fi + fo)).squareRoot()
            return .uniform(shape, low: -bound, high: bound, generator: &generator)
        case .xavierNormal:
            return .normal(shape, std: (2 / (fi + fo)).squareRoot(), generator: &generator)
        case .kaimingUniform:
            let bound = (6 / fi).squareRoot()
            return .uniform(shape, low: -bound, high: bound, generator: &generator)
        case .kaimingNormal:
            return .normal(shape, std: (2 / fi).squareRoot(), generator: &generator)
        case .uniform(let low, let high):
            return .uniform(shape, low: low, high: high, generator: &generator)
        case .normal(let std):
            return .normal(shape, std: std, generator: &generator)
        case .constant(let value):
            return Tensor(filled: value, shape: shape)
        }
    }
}
