import Foundation

/// Adam (Kingma and Ba, 2015): per-scalar step sizes from running averages of the gradient (m)
/// and of its square (v), with bias correction for their zero start.
///
///     g = grad + weightDecay * p          (L2 decay, coupled to the gradient; usually 0)
///     m = beta1 * m + (1 - beta1) * g
///     v = beta2 * v + (1 - beta2) * g^2
///     p = p - learningRate * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + epsilon)
public struct Adam: Optimizer {
    public var learningRate: Float
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    public var weightDecay: Float
    var moments = AdamMoments()

    public init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-8, weightDecay: Float = 0) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }

    public mutating func update(_ parameter: inout Tensor, named name: String) {
        moments.step(&parameter, named: name, learningRate: learningRate, beta1: beta1, beta2: beta2,
                     epsilon: epsilon, coupledDecay: weightDecay, decoupledDecay: 0)
    }

    public var state: [String: Tensor] { moments.state }
    public mutating func restoreState(_ state: [String: Tensor], parameterShapes: [String: [Int]]?) throws {
        try moments.restore(state, parameterShapes: parameterShapes)
    }
}

/// AdamW (Loshchilov and Hutter, 2019): Adam with weight decay applied to the weights directly,
/// not mixed into the gradient (where Adam's scaling would weaken it for large-gradient weights).
///
///     p = p - learningRate * weightDecay * p, then the Adam step with the plain gradient.
public struct AdamW: Optimizer {
    public var learningRate: Float
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    public var weightDecay: Float
    var moments = AdamMoments()

    public init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-8, weightDecay: Float = 0.01) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }

    public mutating func update(_ parameter: inout Tensor, named name: String) {
        moments.step(&parameter, named: name, learningRate: learningRate, beta1: beta1, beta2: beta2,
                     epsilon: epsilon, coupledDecay: 0, decoupledDecay: weightDecay)
    }

    public var state: [String: Tensor] { moments.state }
    public mutating func restoreState(_ state: [String: Tensor], parameterShapes: [String: [Int]]?) throws {
        try moments.restore(state, parameterShapes: parameterShapes)
    }
}

@inline(__always) private func load(_ p: UnsafeMutablePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
}
@inline(__always) private func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
}
@inline(__always) private func store(_ value: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: value, as: SIMD8<Float>.self)
}

/// The state Adam and AdamW share: first and second moments and a step count per parameter.
struct AdamMoments: Sendable {
    var first: [String: Tensor] = [:]
    var second: [String: Tensor] = [:]
    var steps: [String: Int] = [:]

    mutating func step(_ parameter: inout Tensor, named name: String, learningRate lr: Float,
                       beta1 b1: Float, beta2 b2: Float, epsilon eps: Float,
                       coupledDecay: Float, decoupledDecay: Float) {
        guard let grad = parameter.grad else { return }
        precondition(grad.shape == parameter.shape, "gradient shape \(grad.shape) differs from parameter '\(name)' \(parameter.shape)")
        let t = (steps[name] ?? 0) + 1
        steps[name] = t
        let correction1 = Float(1 - Foundation.pow(Double(b1), Double(t)))
        let correction2 = Float(1 - Foundation.pow(Double(b2), Double(t)))
        let n = parameter.count, shape = parameter.shape
        let shrink = 1 - lr * decoupledDecay
        // mHat / (sqrt(vHat) + eps) with the corrections folded into two constants. Written with
        // SIMD8 because a scalar Float square root in a loop is not vectorised on Linux (it keeps
        // a libm fallback for negative inputs); lanes and the scalar tail round identically.
        let stepSize = lr / correction1, rootCorrection2 = correction2.squareRoot()
        grad.withUnsafeScalars { gb in parameter.withUnsafeMutableScalars { pb in
            first[name, default: Tensor(zeros: shape)].withUnsafeMutableScalars { mb in
                second[name, default: Tensor(zeros: shape)].withUnsafeMutableScalars { vb in
                    let g = gb.baseAddress!, p = pb.baseAddress!, m = mb.baseAddress!, v = vb.baseAddress!
                    var i = 0
                    while i + 8 <= n {
                        let gi = load(g + i) + coupledDecay * load(p + i)
                        let mi = b1 * load(m + i) + (1 - b1) * gi
                        let vi = b2 * load(v + i) + (1 - b2) * gi * gi
                        store(mi, m + i)
                        store(vi, v + i)
                        store(load(p + i) * shrink - stepSize * mi / (vi.squareRoot() / rootCorrection2 + eps), p + i)
                        i += 8
                    }
                    while i < n {
                        let gi = g[i] + coupledDecay * p[i]
                        let mi = b1 * m[i] + (1 - b1) * gi
                        let vi = b2 * v[i] + (1 - b2) * gi * gi
                        m[i] = mi
                        v[i] = vi
                        p[i] = p[i] * shrink - stepSize * mi / (vi.squareRoot() / rootCorrection2 + eps)
                        i += 1
                    }
                }
            }
        } }
    }

    var state: [String: Tensor] {
        var out: [String: Tensor] = [:]
        for (k, v) in first { out["\(k).m"] = v }
        for (k, v) in second { out["\(k).v"] = v }
        for (k, t) in steps { out["\(k).step"] = Tensor(Float(t)) }
        return out
    }

    /// The largest step count a restored state may hold: far beyond any run, and small enough
    /// that the count converts to Int and its bias corrections stay finite.
    static let maximumStepCount: Float = 1e12

    mutating func restore(_ state: [String: Tensor], parameterShapes: [String: [Int]]?) throws {
        var m: [String: Tensor] = [:], v: [String: Tensor] = [:], s: [String: Int] = [:]
        for (key, value) in state {
            let (name, slot) = try splitStateName(key, suffixes: ["m", "v", "step"])
            switch slot {
            case "m": m[name] = value.detached()
            case "v": v[name] = value.detached()
            default:
                guard value.count == 1, value.item >= 0, value.item == value.item.rounded(), value.item <= Self.maximumStepCount else {
                    throw EngineError.invalidArgument("optimizer step count '\(key)' must be one whole number from 0 to 10^12")
                }
                s[name] = Int(value.item)
            }
        }
        for name in Set(m.keys).union(v.keys).union(s.keys) {
            guard let mm = m[name], let vv = v[name], s[name] != nil else {
                throw EngineError.invalidArgument("optimizer state for '\(name)' needs .m, .v and .step together")
            }
            guard mm.shape == vv.shape else {
                throw EngineError.shapeMismatch("moments of '\(name)' have shapes \(mm.shape) and \(vv.shape)")
            }
            try checkStateShape("\(name).m", parameter: name, shape: mm.shape, against: parameterShapes)
        }
        first = m; second = v; steps = s
    }
}
