import Foundation

/// Activation functions, forward and backward together. Softmax and log-softmax subtract the
/// row maximum first so that exp never overflows (numerically stable).
extension Tensor {
    /// max(0, x).
    public func relu() -> Tensor {
        let a = self
        return Tensor.differentiable(mapKernel(self) { Swift.max($0, 0) }, op: "relu", inputs: [a]) { g in
            // g where x > 0, else g * 0 (not a plain 0: the same bits, signed zeros and NaN
            // included, as multiplying by a 0/1 mask, in one pass instead of two).
            guard g.shape == a.shape, !g.requiresGrad else { return [g * mapKernel(a) { $0 > 0 ? 1 : 0 }] }
            return [zipKernel(g, a) { gradient, x in x > 0 ? gradient : gradient * 0 }]
        }
    }

    /// x for x > 0, slope * x otherwise.
    public func leakyReLU(slope: Float = 0.01) -> Tensor {
        let a = self
        return Tensor.differentiable(mapKernel(self) { $0 > 0 ? $0 : slope * $0 }, op: "leaky-relu", inputs: [a]) { g in
            [g * mapKernel(a) { $0 > 0 ? 1 : slope }]
        }
    }

    /// 1 / (1 + e^-x), computed without overflow for large |x|.
    public func sigmoid() -> Tensor {
        let a = self, y = mapKernel(self, stableSigmoid)
        return Tensor.differentiable(y, op: "sigmoid", inputs: [a]) { g in
            let s = reuse(y) { a.sigmoid() }
            return [g * s * (1 - s)]
        }
    }

    public func tanh() -> Tensor {
        let a = self, y = mapKernel(self) { Foundation.tanh($0) }
        return Tensor.differentiable(y, op: "tanh", inputs: [a]) { g in
            let t = reuse(y) { a.tanh() }
            return [g * (1 - t * t)]
        }
    }

    /// log(1 + e^x), as max(x, 0) + log1p(e^-|x|) so it neither overflows nor loses small values.
    public func softplus() -> Tensor {
        let a = self
        let y = mapKernel(self) { Swift.max($0, 0) + Foundation.log1p(Foundation.exp(-Swift.abs($0))) }
        return Tensor.differentiable(y, op: "softplus", inputs: [a]) { g in [g * a.sigmoid()] }
    }

    /// e^x / sum(e^x) along `axis` (default: the last).
    public func softmax(alongAxis axis: Int = -1) -> Tensor {
        let a = self, ax = ShapeMath.axis(axis, rank: rank)
        let y = softmaxKernel(self, axis: ax, log: false)
        return Tensor.differentiable(y, op: "softmax", inputs: [a]) { g in
            let s = reuse(y) { a.softmax(alongAxis: ax) }
            return [s * (g - (g * s).sum(alongAxis: ax, keepDims: true))]
        }
    }

    /// log(softmax(x)) along `axis`, as x - max - log(sum(e^(x - max))).
    public func logSoftmax(alongAxis axis: Int = -1) -> Tensor {
        let a = self, ax = ShapeMath.axis(axis, rank: rank)
        let y = softmaxKernel(self, axis: ax, log: true)
        return Tensor.differentiable(y, op: "log-softmax", inputs: [a]) { g in
            let p = reuse(y.exp()) { a.softmax(alongAxis: ax) }
            return [g - p * g.sum(alongAxis: ax, keepDims: true)]
        }
    }
}

@inline(__always)
func stableSigmoid(_ x: Float) -> Float {
    if x >= 0 { return 1 / (1 + Foundation.exp(-x)) }
    let e = Foundation.exp(x)
    return e / (1 + e)
}

/// Softmax or log-softmax of each line along `axis`, subtracting the line's maximum first.
func softmaxKernel(_ x: Tensor, axis: Int, log: Bool) -> Tensor {
    let (outer, length, inner) = ShapeMath.split(x.shape, at: axis)
    let a = x.storage.pointer
    return Tensor(shape: x.shape) { out in
        for o in 0..<outer {
            for i in 0..<inner {
                let base = o * length * inner + i
                var top = -Float.infinity
                for l in 0..<length { top = Swift.max(top, a[base + l * inner]) }
                var total: Double = 0
                for l in 0..<length { total += Double(Foundation.exp(a[base + l * inner] - top)) }
                if log {
                    let logTotal = Float(Foundation.log(total))
                    for l in 0..<length { out[base + l * inner] = a[base + l * inner] - top - logTotal }
                } else {
                    let scale = Float(1 / total)
                    for l in 0..<length { out[base + l * inner] = Foundation.exp(a[base + l * inner] - top) * scale }
                }
            }
        }
    }
}
