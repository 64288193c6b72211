/// One pre-norm transformer encoder block:
///
///     x = x + Dropout(Attention(LayerNorm(x)))
///     x = x + Dropout(MLP(LayerNorm(x)))          MLP = Linear(width -> mlpWidth), ReLU, Linear(-> width)
///
/// The residual connections (x + ...) give the gradient a straight path through every block, so
/// deep stacks train; each block only adds a correction. Normalising *before* each part
/// ("pre-norm") rather than after keeps that straight path free of any rescaling, which is why
/// it trains without the careful warmup post-norm needs.
///
/// Parameters: `norm1.*`, `attention.{query,key,value,output}.*`, `norm2.*`, `mlp1.*`, `mlp2.*`.
/// Input and output `[batch, positions, width]`.
public struct TransformerEncoderBlock: Layer {
    public var norm1: LayerNorm
    public var attention: MultiHeadAttention
    public var norm2: LayerNorm
    public var mlp1: Linear
    public var mlp2: Linear
    public var dropout: Dropout

    public init(width: Int, heads: Int, mlpWidth: Int, dropout: Float = 0, causal: Bool = false,
                generator: inout SeededGenerator) {
        norm1 = LayerNorm(features: width)
        attention = MultiHeadAttention(width: width, heads: heads, causal: causal, generator: &generator)
        norm2 = LayerNorm(features: width)
        mlp1 = Linear(inputs: width, outputs: mlpWidth, generator: &generator)
        mlp2 = Linear(inputs: mlpWidth, outputs: width, initializer: .xavierUniform, generator: &generator)
        self.dropout = Dropout(rate: dropout)
    }

    public var width: Int { norm1.features }

    /// Evaluation (no dropout).
    public func forward(_ input: Tensor) -> Tensor { run(input, generator: nil).output }

    /// Training with dropout drawn from `generator`.
    public func forward(_ input: Tensor, generator: inout SeededGenerator) -> Tensor {
        var g: SeededGenerator? = generator
        defer { generator = g! }
        return run(input, generator: &g).output
    }

    /// The output and this block's attention weights `[batch, heads, positions, positions]`.
    public func attend(_ input: Tensor) -> AttentionResult { run(input, generator: nil) }

    private func run(_ x: Tensor, generator: SeededGenerator?) -> AttentionResult {
        var g = generator
        return run(x, generator: &g)
    }

    private func run(_ x: Tensor, generator: inout SeededGenerator?) -> AttentionResult {
        func drop(_ t: Tensor) -> Tensor {
            guard generator != nil, dropout.rate > 0 else { return t }
            return dropout.forward(t, generator: &generator!)
        }
        let attended = attention.attend(norm1(x))
        let h = x + drop(attended.output)
        let out = h + drop(mlp2(mlp1(norm2(h)).relu()))
        return AttentionResult(output: out, weights: attended.weights)
    }

    public mutating func visitParameters(_ visit: (String, inout Tensor) throws -> Void) rethrows {
        try norm1.visitParameters { try visit("norm1.\($0)", &$1) }
        try attention.visitParameters { try visit("attention.\($0)", &$1) }
        try norm2.visitParameters { try visit("norm2.\($0)", &$1) }
        try mlp1.visitParameters { try visit("mlp1.\($0)", &$1) }
        try mlp2.visitParameters { try visit("mlp2.\($0)", &$1) }
    }
}

/// A stack of pre-norm encoder blocks and the final LayerNorm pre-norm stacks need (the last
/// block's residual sum is otherwise never normalised). Parameters: `block0.*`, `block1.*`, ...,
/// `norm.*`.
public struct TransformerEncoder: Layer {
    public var blocks: [TransformerEncoderBlock]
    public var norm: LayerNorm

    public init(layers: Int, width: Int, heads: Int, mlpWidth: Int, dropout: Float = 0, causal: Bool = false,
                generator: inout SeededGenerator) {
        precondition(layers > 0, "an encoder needs at least one block")
        blocks = (0..<layers).map { _ in
            TransformerEncoderBlock(width: width, heads: heads, mlpWidth: mlpWidth, dropout: dropout, causal: causal, generator: &generator)
        }
        norm = LayerNorm(features: width)
    }

    /// Evaluation (no dropout).
    public func forward(_ input: Tensor) -> Tensor { norm(blocks.reduce(input) { $1($0) }) }

    /// Training with dropout drawn from `generator`.
    public func forward(_ input: Tensor, generator: inout SeededGenerator) -> Tensor {
        var x = input
        for block in blocks { x = block.forward(x, generator: &generator) }
        return norm(x)
    }

    /// The output and every block's attention weights, first block first.
    public func attend(_ input: Tensor) -> (output: Tensor, weights: [Tensor]) {
        var x = input, maps: [Tensor] = []
        for block in blocks {
            let r = block.attend(x)
            x = r.output
            maps.append(r.weights)
        }
        return (norm(x), maps)
    }

    public mutating func visitParameters(_ visit: (String, inout Tensor) throws -> Void) rethrows {
        for i in blocks.indices { try blocks[i].visitParameters { try visit("block\(i).\($0)", &$1) } }
        try norm.visitParameters { try visit("norm.\($0)", &$1) }
    }
}
