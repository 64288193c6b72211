import MLEngine

/// A vision transformer (ViT) for a one-lead beat, built from chapter 6's pieces:
///
///     beat [250 samples] -> patches of P samples -> Linear -> tokens [250 / P, width]
///     [class token; tokens] + sine positions -> pre-norm encoder blocks
///     -> the class token's output -> Linear -> 5 logits
///
/// The class token is one learned row that holds no sample of the beat: it starts each beat the
/// same, and its attention decides which patches it gathers. The head reads only that row, so
/// whatever the network knows about the beat has to reach it through attention. Compared with
/// `attention-ends`'s mean over the tokens, this keeps one place to look at: the class token's
/// attention row says which patches the answer came from.
///
/// The positions are chapter 6's fixed sine pattern rather than learned rows: neighbouring
/// positions get similar patterns, so a QRS complex one patch later than in training still looks
/// nearly familiar. Learned rows start unrelated and must each be taught from the beats that
/// happen to put a wave there; on 1,000 shifted beats that cost about 7 points of test accuracy
/// (0.848 against 0.922 at seed 1, default budget).
struct VisionTransformer: Layer {
    var patches: PatchEmbedding
    /// [1, width]: the extra token prepended to every beat's patches.
    var classToken: Tensor
    /// Chapter 6's sine pattern for the 1 + P positions [1 + P, width] (fixed, not trained).
    let positions: Tensor
    var encoder: TransformerEncoder
    var head: Linear

    init(length: Int, patch: Int, width: Int, heads: Int, layers: Int, classes: Int, generator: inout SeededGenerator) {
        precondition(length % patch == 0, "a beat of \(length) samples does not cut into patches of \(patch)")
        patches = PatchEmbedding(patchSize: patch, width: width, generator: &generator)
        // Small (as GPT-2 starts its embeddings), so it does not drown the patches at the start.
        classToken = Tensor.normal([1, width], std: 0.02, generator: &generator).requiringGrad()
        positions = SinusoidalPositionalEncoding.table(positions: length / patch + 1, width: width)
        encoder = TransformerEncoder(layers: layers, width: width, heads: heads, mlpWidth: 2 * width, generator: &generator)
        head = Linear(inputs: width, outputs: classes, initializer: .xavierUniform, generator: &generator)
    }

    /// Patches per beat (the class token comes on top).
    var patchCount: Int { positions.shape[0] - 1 }
    var patchSize: Int { patches.patchSize }

    /// [batch, length] beats -> [batch, 1 + patches, width]: the class token first, then one
    /// token per patch, each with its position's sine row added.
    func tokens(_ beats: Tensor) -> Tensor {
        let cut = patches(beats)
        let batch = cut.shape[0], width = cut.shape[2]
        // Broadcasting adds the one class token to every beat; its gradient sums over the batch.
        let first = Tensor(zeros: [batch, 1, width]) + classToken
        return Tensor.concatenate([first, cut], alongAxis: 1) + positions
    }

    /// [batch, length] -> [batch, classes] logits.
    func forward(_ beats: Tensor) -> Tensor {
        head(classTokenOutput(encoder(tokens(beats))))
    }

    /// The logits and each layer's attention weights `[batch, heads, 1 + patches, 1 + patches]`.
    func attend(_ beats: Tensor) -> (logits: Tensor, weights: [Tensor]) {
        let (output, weights) = encoder.attend(tokens(beats))
        return (head(classTokenOutput(output)), weights)
    }

    /// Row 0 of every beat: [batch, positions, width] -> [batch, width].
    private func classTokenOutput(_ encoded: Tensor) -> Tensor {
        encoded.slice(alongAxis: 1, 0..<1).reshaped([encoded.shape[0], encoded.shape[2]])
    }

    mutating func visitParameters(_ visit: (String, inout Tensor) throws -> Void) rethrows {
        try patches.visitParameters { try visit("patches.\($0)", &$1) }
        try visit("class_token", &classToken)
        try encoder.visitParameters { try visit("encoder.\($0)", &$1) }
        try head.visitParameters { try visit("head.\($0)", &$1) }
    }
}
