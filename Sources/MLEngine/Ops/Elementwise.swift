/// Binary elementwise ops with broadcasting: forward kernel and backward formula side by side.
///
/// Broadcasting copies an operand along some axes, so its gradient is the output gradient summed
/// back over those axes: `sum(toShape:)`.
extension Tensor {
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        differentiable(zipKernel(a, b, +), op: "add", inputs: [a, b]) { g in
            [a.requiresGrad ? g.sum(toShape: a.shape) : nil, b.requiresGrad ? g.sum(toShape: b.shape) : nil]
        }
    }

    public static func - (a: Tensor, b: Tensor) -> Tensor {
        differentiable(zipKernel(a, b, -), op: "sub", inputs: [a, b]) { g in
            [a.requiresGrad ? g.sum(toShape: a.shape) : nil, b.requiresGrad ? (-g).sum(toShape: b.shape) : nil]
        }
    }

    public static func * (a: Tensor, b: Tensor) -> Tensor {
        differentiable(zipKernel(a, b, *), op: "mul", inputs: [a, b]) { g in
            [a.requiresGrad ? (g * b).sum(toShape: a.shape) : nil,
             b.requiresGrad ? (g * a).sum(toShape: b.shape) : nil]
        }
    }

    public static func / (a: Tensor, b: Tensor) -> Tensor {
        differentiable(zipKernel(a, b, /), op: "div", inputs: [a, b]) { g in
            [a.requiresGrad ? (g / b).sum(toShape: a.shape) : nil,
             b.requiresGrad ? (-g * a / (b * b)).sum(toShape: b.shape) : nil]
        }
    }

    public static prefix func - (a: Tensor) -> Tensor {
        differentiable(mapKernel(a) { -$0 }, op: "neg", inputs: [a]) { g in [-g] }
    }

    // Scalar operands: no gradient flows to a plain Float.
    public static func + (a: Tensor, s: Float) -> Tensor {
        differentiable(mapKernel(a) { $0 + s }, op: "add-scalar", inputs: [a]) { g in [g] }
    }
    public static func + (s: Float, a: Tensor) -> Tensor { a + s }
    public static func - (a: Tensor, s: Float) -> Tensor { a + (-s) }
    public static func - (s: Float, a: Tensor) -> Tensor {
        differentiable(mapKernel(a) { s - $0 }, op: "scalar-sub", inputs: [a]) { g in [-g] }
    }
    public static func * (a: Tensor, s: Float) -> Tensor {
        differentiable(mapKernel(a) { $0 * s }, op: "mul-scalar", inputs: [a]) { g in [g * s] }
    }
    public static func * (s: Float, a: Tensor) -> Tensor { a * s }
    public static func / (a: Tensor, s: Float) -> Tensor {
        differentiable(mapKernel(a) { $0 / s }, op: "div-scalar", inputs: [a]) { g in [g / s] }
    }
    public static func / (s: Float, a: Tensor) -> Tensor {
        differentiable(mapKernel(a) { s / $0 }, op: "scalar-div", inputs: [a]) { g in [-g * s / (a * a)] }
    }

    public static func += (a: inout Tensor, b: Tensor) { a = a + b }
    public static func -= (a: inout Tensor, b: Tensor) { a = a - b }
    public static func *= (a: inout Tensor, b: Tensor) { a = a * b }
    public static func /= (a: inout Tensor, b: Tensor) { a = a / b }
    public static func += (a: inout Tensor, s: Float) { a = a + s }
    public static func -= (a: inout Tensor, s: Float) { a = a - s }
    public static func *= (a: inout Tensor, s: Float) { a = a * s }
    public static func /= (a: inout Tensor, s: Float) { a = a / s }
}

/// Elementwise maximum with broadcasting; where a == b the gradient goes to `a`.
public func maximum(_ a: Tensor, _ b: Tensor) -> Tensor {
    Tensor.differentiable(zipKernel(a, b) { Swift.max($0, $1) }, op: "maximum", inputs: [a, b]) { g in
        let pickA = zipKernel(a, b) { $0 >= $1 ? 1 : 0 }
        return [a.requiresGrad ? (g * pickA).sum(toShape: a.shape) : nil,
                b.requiresGrad ? (g * (1 - pickA)).sum(toShape: b.shape) : nil]
    }
}

/// Elementwise minimum with broadcasting; where a == b the gradient goes to `a`.
public func minimum(_ a: Tensor, _ b: Tensor) -> Tensor {
    Tensor.differentiable(zipKernel(a, b) { Swift.min($0, $1) }, op: "minimum", inputs: [a, b]) { g in
        let pickA = zipKernel(a, b) { $0 <= $1 ? 1 : 0 }
        return [a.requiresGrad ? (g * pickA).sum(toShape: a.shape) : nil,
                b.requiresGrad ? (g * (1 - pickA)).sum(toShape: b.shape) : nil]
    }
}
