/// Random tensors drawn from a `SeededGenerator`, so that every run with the same seed starts
/// from the same numbers.
extension Tensor {
    /// Scalars uniform in [low, high).
    public static func uniform(_ shape: [Int], low: Float = 0, high: Float = 1,
                               generator: inout SeededGenerator) -> Tensor {
        Tensor(shape: shape) { out in
            for i in 0..<shape.reduce(1, *) { out[i] = generator.uniform(low, high) }
        }
    }

    /// Scalars from a normal distribution.
    public static func normal(_ shape: [Int], mean: Float = 0, std: Float = 1,
                              generator: inout SeededGenerator) -> Tensor {
        Tensor(shape: shape) { out in
            for i in 0..<shape.reduce(1, *) {
                out[i] = Float(generator.normal(mean: Double(mean), std: Double(std)))
            }
        }
    }
}
