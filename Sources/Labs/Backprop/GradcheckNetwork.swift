import MLEngine

/// The network the gradient-check lab examines: 2 inputs -> 3 tanh units -> 1 output.
///
/// Small enough that every one of its 13 parameters gets a row of its own in the check table,
/// big enough that some gradients pass through the hidden activation and some do not.
public struct GradcheckNetwork: Layer {
    public var hidden: Linear
    public var output: Linear
    /// When true the hidden activation is `MiswiredTanh` (same forward, wrong backward).
    public var miswired: Bool

    public static let inputCount = 2
    public static let hiddenCount = 3

    /// A network with random weights: each weight's size is drawn from 0.5...1.5 and its sign
    /// at random (so no path through the network is nearly silent and every gradient is big
    /// enough to judge), each bias from -1...1.
    public init(miswired: Bool, generator: inout SeededGenerator) {
        func weights(_ shape: [Int]) -> Tensor {
            let count = shape.reduce(1, *)
            return Tensor(shape: shape, scalars: (0..<count).map { _ in
                let size = generator.uniform(Float(0.5), Float(1.5))
                return generator.bernoulli(0.5) ? size : -size
            })
        }
        func biases(_ count: Int) -> Tensor { .uniform([count], low: -1, high: 1, generator: &generator) }
        hidden = Linear(weight: weights([Self.hiddenCount, Self.inputCount]), bias: biases(Self.hiddenCount))
        output = Linear(weight: weights([1, Self.hiddenCount]), bias: biases(1))
        self.miswired = miswired
    }

    public func forward(_ input: Tensor) -> Tensor {
        let z = hidden(input)
        let h = miswired ? MiswiredTanh()(z) : z.tanh()
        return output(h)
    }

    public mutating func visitParameters(_ visit: (String, inout Tensor) throws -> Void) rethrows {
        try hidden.visitParameters { name, p in try visit("hidden.\(name)", &p) }
        try output.visitParameters { name, p in try visit("output.\(name)", &p) }
    }

    /// Mean squared error over the examples: mean((prediction - target)^2).
    public func loss(inputs: Tensor, targets: Tensor) -> Tensor {
        (self(inputs) - targets).squared().mean()
    }

    /// The parameters whose gradients flow back through the hidden activation: the ones the
    /// miswired backward formula corrupts.
    public static let parametersBehindActivation: Set<String> = ["hidden.weight", "hidden.bias"]
}
