import Foundation

/// Unary math ops. Where the derivative reuses the forward result (exp, sqrt), the saved output
/// is used on the fast path; when the backward pass is itself being recorded (create-graph),
/// it is recomputed from the input so the second derivative sees how it depends on the input.
extension Tensor {
    public func exp() -> Tensor {
        let a = self, y = mapKernel(self) { Foundation.exp($0) }
        return Tensor.differentiable(y, op: "exp", inputs: [a]) { g in [g * reuse(y) { a.exp() }] }
    }

    /// Natural logarithm.
    public func log() -> Tensor {
        let a = self
        return Tensor.differentiable(mapKernel(self) { Foundation.log($0) }, op: "log", inputs: [a]) { g in [g / a] }
    }

    public func sqrt() -> Tensor {
        let a = self, y = mapKernel(self) { $0.squareRoot() }
        return Tensor.differentiable(y, op: "sqrt", inputs: [a]) { g in [g * 0.5 / reuse(y) { a.sqrt() }] }
    }

    /// Raises every scalar to the power `p`.
    public func pow(_ p: Float) -> Tensor {
        let a = self
        let y: Tensor = p == 2 ? mapKernel(self) { $0 * $0 } : mapKernel(self) { Foundation.pow($0, p) }
        return Tensor.differentiable(y, op: "pow", inputs: [a]) { g in
            [p == 2 ? g * a * 2 : g * a.pow(p - 1) * p]
        }
    }

    /// x * x.
    public func squared() -> Tensor { pow(2) }

    public func abs() -> Tensor {
        let a = self
        return Tensor.differentiable(mapKernel(self) { Swift.abs($0) }, op: "abs", inputs: [a]) { g in
            [g * mapKernel(a) { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }]
        }
    }

    public func sin() -> Tensor {
        let a = self
        return Tensor.differentiable(mapKernel(self) { Foundation.sin($0) }, op: "sin", inputs: [a]) { g in [g * a.cos()] }
    }

    public func cos() -> Tensor {
        let a = self
        return Tensor.differentiable(mapKernel(self) { Foundation.cos($0) }, op: "cos", inputs: [a]) { g in [-g * a.sin()] }
    }

    /// Limits every scalar to [low, high]; the gradient passes only where no limit applied.
    public func clamped(min low: Float = -.infinity, max high: Float = .infinity) -> Tensor {
        precondition(low <= high, "clamp range is empty: min \(low) > max \(high)")
        let a = self
        return Tensor.differentiable(mapKernel(self) { Swift.min(Swift.max($0, low), high) }, op: "clamp", inputs: [a]) { g in
            [g * mapKernel(a) { $0 >= low && $0 <= high ? 1 : 0 }]
        }
    }
}

/// Inside a backward closure, recording on means create-graph: then use the differentiable
/// recomputation, otherwise the forward result saved in the closure.
func reuse(_ saved: @autoclosure () -> Tensor, orRecompute recompute: () -> Tensor) -> Tensor {
    GradMode.isEnabled ? recompute() : saved()
}

/// base^exponent elementwise with broadcasting. The exponent's gradient, a^b log a, needs a
/// positive base; the base's gradient, b a^(b-1), works for any base where the power is defined.
public func pow(_ base: Tensor, _ exponent: Tensor) -> Tensor {
    let y = zipKernel(base, exponent) { Foundation.pow($0, $1) }
    return Tensor.differentiable(y, op: "pow", inputs: [base, exponent]) { g in
        let power = reuse(y) { pow(base, exponent) }
        return [base.requiresGrad ? (g * exponent * pow(base, exponent - 1)).sum(toShape: base.shape) : nil,
                exponent.requiresGrad ? (g * power * base.log()).sum(toShape: exponent.shape) : nil]
    }
}
