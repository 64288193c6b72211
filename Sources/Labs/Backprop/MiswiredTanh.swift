import MLEngine

/// tanh with a deliberately wrong backward formula: the kind of bug a hand-written layer hides.
///
/// The forward pass is the real tanh, so the loss (and every finite-difference gradient) is
/// untouched. The backward pass multiplies the incoming gradient by h² - 1 instead of the true
/// slope 1 - h²: the two operands of the subtraction swapped, so every gradient that flows back
/// through this link comes out with its sign flipped. Gradients that never pass through it (the
/// output layer's) stay right, and the pattern of wrong rows in a gradient check points here.
public struct MiswiredTanh: Layer {
    public init() {}

    public func forward(_ input: Tensor) -> Tensor {
        let h = withNoGrad { input.tanh() }
        return Tensor.differentiable(h, op: "miswired-tanh", inputs: [input]) { g in
            [g * (h * h - 1)]   // the bug: should be (1 - h * h)
        }
    }

    /// The local slope this layer's backward pass uses, for an output value h (the chain panel
    /// prints it so the learner sees the wrong factor).
    public static func backwardSlope(outputValue h: Double) -> Double { h * h - 1 }
}
