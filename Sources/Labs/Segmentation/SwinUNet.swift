import MLEngine

/// A 1-D Swin-UNet (Cao et al., 2022): the U-Net's shape, built from window-attention blocks
/// instead of convolutions.
///
///     patch embedding:  the signal, padded to a whole number of windows at every level, cut
///                       into patches of `patch` samples; a linear map makes each a token of
///                       `width` features
///     encoder level i:  a window block and a shifted-window block (width x 2^i features),
///                       then patch merging (half the tokens, twice the features)
///     bottleneck:       the two blocks at 1/2^depth of the tokens
///     decoder level i:  patch expanding (twice the tokens, half the features), the encoder's
///                       level-i tokens concatenated, a linear map back to the level's width,
///                       the two blocks
///     head:             patch expanding by `patch` (one token per sample again) and a linear
///                       map to one score per class; the padding is cut off
///
/// With `shifted` off every block uses the same windows: no information crosses a window edge
/// until patch merging has made the windows twice as long.
struct SwinUNet: Layer {
    var embed: Linear
    var embedNorm: LayerNorm
    var encoders: [[SwinBlock]]
    var merges: [PatchMerging]
    var bottleneck: [SwinBlock]
    var expands: [PatchExpanding]
    var joins: [Linear]
    var decoders: [[SwinBlock]]
    var finalExpand: PatchExpanding
    var head: Linear
    let patch: Int
    let window: Int
    let depth: Int

    init(depth: Int, width: Int, window: Int, patch: Int = 4, headWidth: Int = 16, classes: Int, shifted: Bool,
         generator: inout SeededGenerator) {
        precondition(depth >= 1 && width >= 1 && window >= 2)
        (self.patch, self.window, self.depth) = (patch, window, depth)
        func pair(_ c: Int) -> [SwinBlock] {
            let heads = max(1, c / headWidth)
            return [SwinBlock(width: c, heads: heads, window: window, shifted: false, generator: &generator),
                    SwinBlock(width: c, heads: heads, window: window, shifted: shifted, generator: &generator)]
        }
        embed = Linear(inputs: patch, outputs: width, generator: &generator)
        embedNorm = LayerNorm(features: width)
        encoders = []
        merges = []
        for level in 0..<depth {
            let c = width << level
            encoders.append(pair(c))
            merges.append(PatchMerging(width: c, outputs: 2 * c, generator: &generator))
        }
        bottleneck = pair(width << depth)
        expands = []
        joins = []
        decoders = []
        for level in stride(from: depth - 1, through: 0, by: -1) {
            let c = width << level
            expands.append(PatchExpanding(width: 2 * c, outputs: c, generator: &generator))
            joins.append(Linear(inputs: 2 * c, outputs: c, generator: &generator))
            decoders.append(pair(c))
        }
        finalExpand = PatchExpanding(width: width, outputs: width, factor: patch, generator: &generator)
        head = Linear(inputs: width, outputs: classes, generator: &generator)
    }

    /// Samples the padded signal must be a multiple of: a whole number of windows at the
    /// deepest level.
    var multiple: Int { patch * window << depth }

    func forward(_ input: Tensor) -> Tensor { run(input).logits }

    /// The logits [batch, classes, length] and the bottleneck's tokens as maps
    /// [batch, features, tokens] (the layout the `maps` panel draws).
    func run(_ input: Tensor) -> (logits: Tensor, bottleneck: Tensor) {
        let (batch, length) = (input.shape[0], input.shape[2])
        let padded = (length + multiple - 1) / multiple * multiple
        // Zeros are the standardised signal's mean.
        let signal = input.padded(alongAxis: 2, before: 0, after: padded - length)
        var x = embedNorm(embed(signal.reshaped([batch, padded / patch, patch])))
        var saved: [Tensor] = []
        for (blocks, merge) in zip(encoders, merges) {
            x = blocks.reduce(x) { $1($0) }
            saved.append(x)
            x = merge(x)
        }
        x = bottleneck.reduce(x) { $1($0) }
        let deepest = x
        for (i, (expand, (join, blocks))) in zip(expands, zip(joins, decoders)).enumerated() {
            let skip = saved[saved.count - 1 - i]
            x = join(Tensor.concatenate([skip, expand(x)], alongAxis: 2))
            x = blocks.reduce(x) { $1($0) }
        }
        let logits = head(finalExpand(x)).permuted([0, 2, 1]).slice(alongAxis: 2, 0..<length)
        return (logits, deepest.permuted([0, 2, 1]))
    }

    mutating func visitParameters(_ visit: (String, inout Tensor) throws -> Void) rethrows {
        func visitAll(_ blocks: inout [SwinBlock], _ prefix: String) throws {
            for j in blocks.indices { try blocks[j].visitParameters { try visit("\(prefix).block\(j).\($0)", &$1) } }
        }
        try embed.visitParameters { try visit("embed.\($0)", &$1) }
        try embedNorm.visitParameters { try visit("embed_norm.\($0)", &$1) }
        for i in encoders.indices {
            try visitAll(&encoders[i], "enc\(i)")
            try merges[i].visitParameters { try visit("merge\(i).\($0)", &$1) }
        }
        try visitAll(&bottleneck, "bottleneck")
        for i in decoders.indices {
            try expands[i].visitParameters { try visit("expand\(i).\($0)", &$1) }
            try joins[i].visitParameters { try visit("join\(i).\($0)", &$1) }
            try visitAll(&decoders[i], "dec\(i)")
        }
        try finalExpand.visitParameters { try visit("final_expand.\($0)", &$1) }
        try head.visitParameters { try visit("head.\($0)", &$1) }
    }
}
