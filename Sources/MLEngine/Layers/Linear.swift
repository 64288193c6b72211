/// A fully connected layer: y = x W^T + b, with W of shape [outputs, inputs] (one row per
/// output neuron, as in PyTorch) and b of shape [outputs].
///
/// Accepts input of shape [..., inputs]; leading dimensions are treated as a batch.
public struct Linear: Layer {
    public var weight: Tensor
    public var bias: Tensor?

    public init(inputs: Int, outputs: Int, bias: Bool = true, initializer: Initializer = .kaimingUniform,
                generator: inout SeededGenerator) {
        precondition(inputs > 0 && outputs > 0, "Linear needs positive sizes, got \(inputs) -> \(outputs)")
        weight = initializer.make([outputs, inputs], fanIn: inputs, fanOut: outputs, generator: &generator).requiringGrad()
        self.bias = bias ? Tensor(zeros: [outputs]).requiringGrad() : nil
    }

    /// A layer with given weights (shape [outputs, inputs]) and optional bias ([outputs]).
    public init(weight: Tensor, bias: Tensor? = nil) {
        precondition(weight.rank == 2, "Linear weight must be [outputs, inputs], got \(weight.shape)")
        precondition(bias == nil || bias!.shape == [weight.shape[0]], "Linear bias must be [\(weight.shape[0])]")
        self.weight = weight.detached().requiringGrad()
        self.bias = bias?.detached().requiringGrad()
    }

    public var inputCount: Int { weight.shape[1] }
    public var outputCount: Int { weight.shape[0] }

    public func forward(_ input: Tensor) -> Tensor {
        precondition(input.shape.last == inputCount, "Linear expects [..., \(inputCount)], got \(input.shape)")
        let product = matmul(input, weight, transposeB: true)
        return bias.map { product + $0 } ?? product
    }

    public mutating func visitParameters(_ visit: (String, inout Tensor) throws -> Void) rethrows {
        try visit("weight", &weight)
        if bias != nil { try visit("bias", &bias!) }
    }
}
