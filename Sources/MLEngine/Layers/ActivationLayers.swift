/// Activation functions as layers, for use inside `Sequential`.
public struct ReLU: Layer {
    public init() {}
    public func forward(_ input: Tensor) -> Tensor { input.relu() }
}

public struct LeakyReLU: Layer {
    public var slope: Float
    public init(slope: Float = 0.01) { self.slope = slope }
    public func forward(_ input: Tensor) -> Tensor { input.leakyReLU(slope: slope) }
}

public struct Sigmoid: Layer {
    public init() {}
    public func forward(_ input: Tensor) -> Tensor { input.sigmoid() }
}

public struct Tanh: Layer {
    public init() {}
    public func forward(_ input: Tensor) -> Tensor { input.tanh() }
}

public struct Softplus: Layer {
    public init() {}
    public func forward(_ input: Tensor) -> Tensor { input.softplus() }
}

public struct Softmax: Layer {
    public var axis: Int
    public init(axis: Int = -1) { self.axis = axis }
    public func forward(_ input: Tensor) -> Tensor { input.softmax(alongAxis: axis) }
}

public struct LogSoftmax: Layer {
    public var axis: Int
    public init(axis: Int = -1) { self.axis = axis }
    public func forward(_ input: Tensor) -> Tensor { input.logSoftmax(alongAxis: axis) }
}
