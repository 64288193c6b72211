import MLEngine

/// How the transformer of `attention-ends` learns where a patch sits.
enum PositionMode: String, CaseIterable, Sendable {
    /// The fixed sine pattern of "Attention is all you need", added to every patch's token.
    case sine
    /// One trainable row per position, added the same way.
    case learned
    /// Nothing added: attention sees contents only, so the first beat and the last look alike.
    case off
}

/// The small transformer that answers chapter 4's long-range question:
///
///     recording [2000 samples] -> patches of P samples -> Linear -> tokens [T, width]
///     tokens + positions -> pre-norm encoder blocks -> mean over the tokens -> Linear -> 2 logits
///
/// Every token can look at every other in one layer, so the first beat is as close to the last
/// as to its neighbour. Without positions the mean over tokens cannot tell which beat came first
/// or last: the model sees a bag of beats, and the question is about order.
struct EndsTransformer: Layer {
    var patches: PatchEmbedding
    var learned: LearnedPositionalEncoding?
    var encoder: TransformerEncoder
    var head: Linear
    let positions: PositionMode
    /// The sine pattern for the T tokens [T, width] (empty unless `positions == .sine`).
    let sine: Tensor

    init(length: Int, patch: Int, width: Int, heads: Int, layers: Int, positions: PositionMode,
         generator: inout SeededGenerator) {
        let tokens = length / patch
        patches = PatchEmbedding(patchSize: patch, width: width, generator: &generator)
        learned = positions == .learned ? LearnedPositionalEncoding(positions: tokens, width: width, generator: &generator) : nil
        encoder = TransformerEncoder(layers: layers, width: width, heads: heads, mlpWidth: 2 * width, generator: &generator)
        head = Linear(inputs: width, outputs: 2, initializer: .xavierUniform, generator: &generator)
        self.positions = positions
        sine = positions == .sine ? SinusoidalPositionalEncoding.table(positions: tokens, width: width) : Tensor(zeros: [1])
    }

    /// [batch, length] recordings -> [batch, T, width] tokens with their positions added.
    func tokens(_ recordings: Tensor) -> Tensor {
        let x = patches(recordings)
        switch positions {
        case .sine: return x + sine
        case .learned: return learned!(x)
        case .off: return x
        }
    }

    /// [batch, length] -> [batch, 2] logits (1 = the ends are of the same class).
    func forward(_ recordings: Tensor) -> Tensor {
        head(encoder(tokens(recordings)).mean(alongAxis: 1))
    }

    /// The logits and every layer's attention weights `[batch, heads, T, T]`, first layer first.
    func attend(_ recordings: Tensor) -> (logits: Tensor, weights: [Tensor]) {
        let (output, weights) = encoder.attend(tokens(recordings))
        return (head(output.mean(alongAxis: 1)), weights)
    }

    mutating func visitParameters(_ visit: (String, inout Tensor) throws -> Void) rethrows {
        try patches.visitParameters { try visit("patches.\($0)", &$1) }
        if learned != nil { try learned!.visitParameters { try visit("positions.\($0)", &$1) } }
        try encoder.visitParameters { try visit("encoder.\($0)", &$1) }
        try head.visitParameters { try visit("head.\($0)", &$1) }
    }
}
