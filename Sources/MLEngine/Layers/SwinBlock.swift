/// A Swin Transformer block in one dimension: the pre-norm encoder block of
/// `TransformerEncoderBlock` with window attention in place of full attention.
///
///     x = x + WindowAttention(LayerNorm(x))
///     x = x + MLP(LayerNorm(x))                  MLP = Linear(width -> 2 width), ReLU, Linear(-> width)
///
/// Blocks come in pairs, the second with `shifted` windows, so that what one window learned
/// reaches its neighbours. Parameters: `norm1.*`, `attention.*`, `norm2.*`, `mlp1.*`, `mlp2.*`.
/// Input and output `[batch, length, width]`.
public struct SwinBlock: Layer {
    public var norm1: LayerNorm
    public var attention: WindowAttention
    public var norm2: LayerNorm
    public var mlp1: Linear
    public var mlp2: Linear

    public init(width: Int, heads: Int, window: Int, shifted: Bool, generator: inout SeededGenerator) {
        norm1 = LayerNorm(features: width)
        attention = WindowAttention(width: width, heads: heads, window: window, shifted: shifted, generator: &generator)
        norm2 = LayerNorm(features: width)
        mlp1 = Linear(inputs: width, outputs: 2 * width, generator: &generator)
        mlp2 = Linear(inputs: 2 * width, outputs: width, initializer: .xavierUniform, generator: &generator)
    }

    public func forward(_ x: Tensor) -> Tensor {
        let h = x + attention(norm1(x))
        return h + mlp2(mlp1(norm2(h)).relu())
    }

    public mutating func visitParameters(_ visit: (String, inout Tensor) throws -> Void) rethrows {
        try norm1.visitParameters { try visit("norm1.\($0)", &$1) }
        try attention.visitParameters { try visit("attention.\($0)", &$1) }
        try norm2.visitParameters { try visit("norm2.\($0)", &$1) }
        try mlp1.visitParameters { try visit("mlp1.\($0)", &$1) }
        try mlp2.visitParameters { try visit("mlp2.\($0)", &$1) }
    }
}

/// Swin's downsampling in one dimension: every two neighbouring tokens become one, their rows
/// side by side (a reshape: the rows are contiguous), normalised and mapped to `outputs`
/// features. `[batch, length, width]` -> `[batch, length / 2, outputs]`.
/// Parameters: `norm.*` (over 2 width), `reduction.*`.
public struct PatchMerging: Layer {
    public var norm: LayerNorm
    public var reduction: Linear

    public init(width: Int, outputs: Int, generator: inout SeededGenerator) {
        norm = LayerNorm(features: 2 * width)
        reduction = Linear(inputs: 2 * width, outputs: outputs, generator: &generator)
    }

    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.rank == 3 && x.shape[1] % 2 == 0 && x.shape[2] * 2 == norm.features,
                     "PatchMerging of width \(norm.features / 2) given \(x.shape) (the length must be even)")
        return reduction(norm(x.reshaped([x.shape[0], x.shape[1] / 2, 2 * x.shape[2]])))
    }

    public mutating func visitParameters(_ visit: (String, inout Tensor) throws -> Void) rethrows {
        try norm.visitParameters { try visit("norm.\($0)", &$1) }
        try reduction.visitParameters { try visit("reduction.\($0)", &$1) }
    }
}

/// The way back up (Swin-UNet's patch expanding): each token's row is mapped to `factor x
/// outputs` features and cut into `factor` tokens of `outputs` features, then normalised.
/// `[batch, length, width]` -> `[batch, factor x length, outputs]`.
/// Parameters: `expand.*`, `norm.*` (over outputs).
public struct PatchExpanding: Layer {
    public var expand: Linear
    public var norm: LayerNorm
    public let factor: Int

    public init(width: Int, outputs: Int, factor: Int = 2, generator: inout SeededGenerator) {
        expand = Linear(inputs: width, outputs: factor * outputs, generator: &generator)
        norm = LayerNorm(features: outputs)
        self.factor = factor
    }

    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.rank == 3, "PatchExpanding wants [batch, length, width], got \(x.shape)")
        return norm(expand(x).reshaped([x.shape[0], x.shape[1] * factor, norm.features]))
    }

    public mutating func visitParameters(_ visit: (String, inout Tensor) throws -> Void) rethrows {
        try expand.visitParameters { try visit("expand.\($0)", &$1) }
        try norm.visitParameters { try visit("norm.\($0)", &$1) }
    }
}
