/// Stochastic gradient descent, optionally with momentum and L2 weight decay.
///
///     g = grad + weightDecay * p
///     v = momentum * v + g        (v starts as g; plain SGD when momentum = 0)
///     p = p - learningRate * v
public struct SGD: Optimizer {
    public var learningRate: Float
    public var momentum: Float
    public var weightDecay: Float
    var velocity: [String: Tensor] = [:]

    public init(learningRate: Float, momentum: Float = 0, weightDecay: Float = 0) {
        self.learningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
    }

    public mutating func update(_ parameter: inout Tensor, named name: String) {
        guard let grad = parameter.grad else { return }
        precondition(grad.shape == parameter.shape, "gradient shape \(grad.shape) differs from parameter '\(name)' \(parameter.shape)")
        let lr = learningRate, mu = momentum, wd = weightDecay, n = parameter.count, shape = parameter.shape
        let first = velocity[name] == nil
        if mu == 0 {
            grad.withUnsafeScalars { g in parameter.withUnsafeMutableScalars { p in
                for i in 0..<n { p[i] -= lr * (g[i] + wd * p[i]) }
            } }
            return
        }
        grad.withUnsafeScalars { g in parameter.withUnsafeMutableScalars { p in
            velocity[name, default: Tensor(zeros: shape)].withUnsafeMutableScalars { v in
                for i in 0..<n {
                    let gi = g[i] + wd * p[i]
                    v[i] = first ? gi : mu * v[i] + gi
                    p[i] -= lr * v[i]
                }
            }
        } }
    }

    public var state: [String: Tensor] {
        Dictionary(uniqueKeysWithValues: velocity.map { ("\($0.key).velocity", $0.value) })
    }

    public mutating func restoreState(_ state: [String: Tensor], parameterShapes: [String: [Int]]?) throws {
        var restored: [String: Tensor] = [:]
        for (key, value) in state {
            let name = try splitStateName(key, suffixes: ["velocity"]).parameter
            try checkStateShape(key, parameter: name, shape: value.shape, against: parameterShapes)
            restored[name] = value.detached()
        }
        velocity = restored
    }
}
