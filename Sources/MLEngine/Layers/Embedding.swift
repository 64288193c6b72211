import Foundation

/// Turning things into rows of numbers a transformer can read: a lookup table for symbols
/// (`Embedding`), patches of a signal (`PatchEmbedding`), and the position patterns added to them
/// (`SinusoidalPositionalEncoding`, `LearnedPositionalEncoding`), because attention by itself
/// cannot tell the first position from the last.

/// A lookup table: symbol i (a token, an action, a class) becomes row i of `weight`
/// ([count, width]). Its gradient adds up into the rows that were looked up.
public struct Embedding: Layer {
    public var weight: Tensor

    /// Rows drawn from N(0, std^2) (0.02, small next to LayerNorm'd activations, as GPT-2 does).
    public init(count: Int, width: Int, std: Float = 0.02, generator: inout SeededGenerator) {
        precondition(count > 0 && width > 0, "Embedding needs positive sizes, got \(count) x \(width)")
        weight = Tensor.normal([count, width], std: std, generator: &generator).requiringGrad()
    }

    public var count: Int { weight.shape[0] }
    public var width: Int { weight.shape[1] }

    /// The rows for `indices`, shaped `shape + [width]` (default: one row per index).
    /// - Precondition: every index lies in 0..<count.
    public func callAsFunction(_ indices: [Int], shape: [Int]? = nil) -> Tensor {
        let outer = shape ?? [indices.count]
        precondition(outer.reduce(1, *) == indices.count, "Embedding: shape \(outer) does not hold \(indices.count) indices")
        return weight.gathering(indices, alongAxis: 0).reshaped(outer + [width])
    }

    /// Indices given as a tensor of whole numbers (any shape) -> that shape + [width].
    public func forward(_ input: Tensor) -> Tensor {
        let indices = input.copyScalars().map { Int($0) }
        return self(indices, shape: input.shape)
    }

    public mutating func visitParameters(_ visit: (String, inout Tensor) throws -> Void) rethrows {
        try visit("weight", &weight)
    }
}

/// The fixed position pattern of "Attention is all you need": position t, feature pair i gets
///
///     PE[t, 2i] = sin(t / 10000^(2i / width)),   PE[t, 2i + 1] = cos(t / 10000^(2i / width))
///
/// Each pair of features is a clock turning at its own speed, from once every 2 pi positions to
/// once every 10000 * 2 pi, so every position gets a distinct pattern, and the dot product of two
/// positions' patterns depends only on how far apart they are. No parameters.
public struct SinusoidalPositionalEncoding: Layer {
    public let width: Int
    public init(width: Int) {
        precondition(width > 0, "positional encoding width must be positive")
        self.width = width
    }

    /// The pattern for positions 0..<positions: [positions, width].
    public static func table(positions: Int, width: Int) -> Tensor {
        Tensor(shape: [positions, width]) { out in
            for t in 0..<positions {
                for j in 0..<width {
                    let pair = j / 2
                    let angle = Double(t) / Foundation.pow(10000, Double(2 * pair) / Double(width))
                    out[t * width + j] = Float(j % 2 == 0 ? Foundation.sin(angle) : Foundation.cos(angle))
                }
            }
        }
    }

    /// Adds the pattern to `[..., positions, width]`.
    public func forward(_ input: Tensor) -> Tensor {
        precondition(input.rank >= 2 && input.shape.last == width, "positional encoding of width \(width) given \(input.shape)")
        return input + Self.table(positions: input.shape[input.rank - 2], width: width)
    }
}

/// A position pattern that is learned: one trainable row per position (`weight`,
/// [positions, width]), added to the input like the sine pattern. It can only describe
/// positions it has seen in training.
public struct LearnedPositionalEncoding: Layer {
    public var weight: Tensor

    public init(positions: Int, width: Int, std: Float = 0.02, generator: inout SeededGenerator) {
        precondition(positions > 0 && width > 0, "LearnedPositionalEncoding needs positive sizes")
        weight = Tensor.normal([positions, width], std: std, generator: &generator).requiringGrad()
    }

    public var positions: Int { weight.shape[0] }

    /// Adds rows 0..<n to `[..., n, width]`, n <= positions.
    public func forward(_ input: Tensor) -> Tensor {
        precondition(input.rank >= 2 && input.shape.last == weight.shape[1], "learned encoding of width \(weight.shape[1]) given \(input.shape)")
        let n = input.shape[input.rank - 2]
        precondition(n <= positions, "learned encoding knows \(positions) positions, given \(n)")
        return input + (n == positions ? weight : weight.slice(alongAxis: 0, 0..<n))
    }

    public mutating func visitParameters(_ visit: (String, inout Tensor) throws -> Void) rethrows {
        try visit("weight", &weight)
    }
}

/// Cuts a signal into patches of `patchSize` samples and turns each patch into one token with a
/// shared linear map (as a Vision Transformer does with image patches):
/// `[batch, length * channels]` or `[batch, length, channels]` -> `[batch, length / patchSize, width]`.
///
/// Parameters: `projection.weight` ([width, patchSize * channels]) and `projection.bias`.
public struct PatchEmbedding: Layer {
    public var projection: Linear
    public let patchSize: Int
    public let channels: Int

    public init(patchSize: Int, channels: Int = 1, width: Int, generator: inout SeededGenerator) {
        precondition(patchSize > 0 && channels > 0 && width > 0, "PatchEmbedding needs positive sizes")
        projection = Linear(inputs: patchSize * channels, outputs: width, initializer: .xavierUniform, generator: &generator)
        self.patchSize = patchSize
        self.channels = channels
    }

    /// Tokens a signal of `length` samples gives.
    public func tokens(length: Int) -> Int { length / patchSize }

    /// - Precondition: the signal length is a multiple of `patchSize`.
    public func forward(_ input: Tensor) -> Tensor {
        precondition(input.rank == 2 || input.rank == 3, "PatchEmbedding wants [batch, length] or [batch, length, channels], got \(input.shape)")
        let batch = input.shape[0]
        let length = input.rank == 2 ? input.shape[1] / channels : input.shape[1]
        precondition(input.rank == 3 ? input.shape[2] == channels : input.shape[1] % channels == 0,
                     "PatchEmbedding with \(channels) channels given \(input.shape)")
        precondition(length % patchSize == 0, "a signal of \(length) samples does not cut into patches of \(patchSize)")
        // Row-major [batch, length, channels] already lists each patch's samples together.
        return projection(input.reshaped([batch, length / patchSize, patchSize * channels]))
    }

    public mutating func visitParameters(_ visit: (String, inout Tensor) throws -> Void) rethrows {
        try projection.visitParameters { try visit("projection.\($0)", &$1) }
    }
}
