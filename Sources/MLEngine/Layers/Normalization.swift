import Foundation

/// Layer normalisation (Ba, Kiros and Hinton, 2016): each position's row of features is shifted
/// to mean 0 and scaled to variance 1, then a learned per-feature scale and shift are applied:
///
///     y = (x - mean(x)) / sqrt(var(x) + epsilon) * weight + bias      (over the last axis)
///
/// Unlike batch normalisation it uses no statistics of other examples, so it behaves the same in
/// training and evaluation and for a batch of one. Transformers put it before attention and the
/// MLP ("pre-norm") so that every block sees inputs of a steady size however deep the stack.
///
/// Parameters: `weight` (starts at 1) and `bias` (starts at 0), shape [features].
public struct LayerNorm: Layer {
    public var weight: Tensor
    public var bias: Tensor
    public let epsilon: Float

    public init(features: Int, epsilon: Float = 1e-5) {
        precondition(features > 0, "LayerNorm needs a positive feature count, got \(features)")
        weight = Tensor(ones: [features]).requiringGrad()
        bias = Tensor(zeros: [features]).requiringGrad()
        self.epsilon = epsilon
    }

    public var features: Int { weight.count }

    public func forward(_ input: Tensor) -> Tensor {
        precondition(input.shape.last == features, "LayerNorm over \(features) features given \(input.shape)")
        return input.layerNormalized(weight: weight, bias: bias, epsilon: epsilon)
    }

    public mutating func visitParameters(_ visit: (String, inout Tensor) throws -> Void) rethrows {
        try visit("weight", &weight)
        try visit("bias", &bias)
    }
}

extension Tensor {
    /// (x - mean) / sqrt(variance + epsilon) over the last axis (population variance), the
    /// normalisation inside `LayerNorm` without its scale and shift.
    ///
    /// One pass per row forward; the backward is the closed form
    ///     dx = (g - mean(g) - x̂ mean(g x̂)) / sqrt(var + epsilon)
    /// with x̂ the normalised row.
    public func layerNormalized(epsilon: Float = 1e-5) -> Tensor {
        precondition(rank >= 1 && shape.last! > 0, "layerNormalized needs a non-empty last axis, got \(shape)")
        let width = shape.last!, rows = count / width, a = self
        let p = storage.pointer
        var inverseStd = [Float](repeating: 0, count: rows)
        let y = inverseStd.withUnsafeMutableBufferPointer { inv in
            Tensor(shape: shape) { out in
                for r in 0..<rows {
                    let x = p + r * width, o = out + r * width
                    var sum: Float = 0
                    for j in 0..<width { sum += x[j] }
                    let mean = sum / Float(width)
                    var squares: Float = 0
                    for j in 0..<width { let c = x[j] - mean; squares += c * c }
                    let s = 1 / (squares / Float(width) + epsilon).squareRoot()
                    inv[r] = s
                    for j in 0..<width { o[j] = (x[j] - mean) * s }
                }
            }
        }
        let saved = inverseStd
        return Tensor.differentiable(y, op: "layer-norm", inputs: [a]) { g in
            if GradMode.isEnabled {
                // Recorded backward (create-graph): the same formula in differentiable ops.
                let centred = a - a.mean(alongAxis: -1, keepDims: true)
                let inv = 1 / (centred.squared().mean(alongAxis: -1, keepDims: true) + epsilon).sqrt()
                let xhat = centred * inv
                return [(g - g.mean(alongAxis: -1, keepDims: true) - xhat * (g * xhat).mean(alongAxis: -1, keepDims: true)) * inv]
            }
            let gp = g.storage.pointer, yp = y.storage.pointer
            return [Tensor(shape: a.shape) { out in
                for r in 0..<rows {
                    let gr = gp + r * width, xr = yp + r * width, o = out + r * width
                    var meanG: Float = 0, meanGX: Float = 0
                    for j in 0..<width { meanG += gr[j]; meanGX += gr[j] * xr[j] }
                    meanG /= Float(width)
                    meanGX /= Float(width)
                    let s = saved[r]
                    for j in 0..<width { o[j] = (gr[j] - meanG - xr[j] * meanGX) * s }
                }
            }]
        }
    }
}

extension Tensor {
    /// `layerNormalized(epsilon:) * weight + bias` as one op: one pass forward, one pass back for
    /// all three gradients (instead of five tensors and two reductions through the general ops).
    ///
    ///     dx = (ĝ - mean(ĝ) - x̂ mean(ĝ x̂)) / sqrt(var + epsilon)  with ĝ = g * weight
    ///     dweight = sum over rows of g x̂,   dbias = sum over rows of g
    public func layerNormalized(weight: Tensor, bias: Tensor, epsilon: Float = 1e-5) -> Tensor {
        let width = shape.last ?? 0
        precondition(rank >= 1 && width > 0 && weight.shape == [width] && bias.shape == [width],
                     "layerNormalized(weight:bias:) wants [..., \(width)] with weight and bias [\(width)], got \(shape), \(weight.shape), \(bias.shape)")
        let rows = count / width, a = self
        let xp = storage.pointer, wp = weight.storage.pointer, bp = bias.storage.pointer
        var inverseStd = [Float](repeating: 0, count: rows)
        // x̂, kept for the backward pass.
        let normalized = Tensor(shape: shape) { out in
            for r in 0..<rows {
                let x = xp + r * width, o = out + r * width
                var sum: Float = 0
                for j in 0..<width { sum += x[j] }
                let mean = sum / Float(width)
                var squares: Float = 0
                for j in 0..<width { let c = x[j] - mean; squares += c * c }
                let s = 1 / (squares / Float(width) + epsilon).squareRoot()
                inverseStd[r] = s
                for j in 0..<width { o[j] = (x[j] - mean) * s }
            }
        }
        let np = normalized.storage.pointer
        let y = Tensor(shape: shape) { out in
            for r in 0..<rows {
                let x = np + r * width, o = out + r * width
                for j in 0..<width { o[j] = x[j] * wp[j] + bp[j] }
            }
        }
        let saved = inverseStd
        return Tensor.differentiable(y, op: "layer-norm-affine", inputs: [a, weight, bias]) { [weight] g in
            if GradMode.isEnabled {
                // Recorded backward (create-graph): the same formulas in differentiable ops.
                let centred = a - a.mean(alongAxis: -1, keepDims: true)
                let inv = 1 / (centred.squared().mean(alongAxis: -1, keepDims: true) + epsilon).sqrt()
                let xhat = centred * inv, gh = g * weight
                let dx = (gh - gh.mean(alongAxis: -1, keepDims: true) - xhat * (gh * xhat).mean(alongAxis: -1, keepDims: true)) * inv
                return [dx, (g * xhat).sum(toShape: [width]), g.sum(toShape: [width])]
            }
            let gp = g.storage.pointer, xh = normalized.storage.pointer, w = weight.storage.pointer
            var dw = [Float](repeating: 0, count: width), db = [Float](repeating: 0, count: width)
            let dx = dw.withUnsafeMutableBufferPointer { dwp in db.withUnsafeMutableBufferPointer { dbp in
                Tensor(shape: a.shape) { out in
                    for r in 0..<rows {
                        let gr = gp + r * width, xr = xh + r * width, o = out + r * width
                        var meanG: Float = 0, meanGX: Float = 0
                        for j in 0..<width {
                            let gh = gr[j] * w[j]
                            meanG += gh
                            meanGX += gh * xr[j]
                            dwp[j] += gr[j] * xr[j]
                            dbp[j] += gr[j]
                        }
                        meanG /= Float(width)
                        meanGX /= Float(width)
                        let s = saved[r]
                        for j in 0..<width { o[j] = (gr[j] * w[j] - meanG - xr[j] * meanGX) * s }
                    }
                }
            } }
            return [a.requiresGrad ? dx : nil, Tensor(dw), Tensor(db)]
        }
    }
}
