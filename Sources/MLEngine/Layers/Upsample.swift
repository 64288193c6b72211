// Fixed (unlearned) upsampling along the length of [batch, channels, length]: the cheap
// alternative to a transposed convolution in a decoder.
//
// - nearest: every sample is repeated `factor` times.
//       y[t] = x[t / factor]                       (integer division)
// - linear: output sample t sits at input position s = (t + 0.5) / factor - 0.5 (the centres of
//   the two grids line up, as in PyTorch's align_corners=false), and is read between the two
//   nearest input samples:
//       y[t] = (1 - f) x[floor(s)] + f x[floor(s) + 1],  f = s - floor(s)
//   with s clamped to [0, length - 1] at the two ends.
//
// Both are linear maps, so both are written with ops the engine already differentiates:
// nearest is a broadcast along a new axis (its gradient sums each group of `factor` back into
// one sample), and linear is a product with a fixed [length, length x factor] interpolation
// matrix (its gradient is the product with that matrix's transpose).

/// How `upsample` fills the new samples.
public enum UpsampleMode: String, Sendable, CaseIterable {
    case nearest, linear
}

/// Stretches [batch, channels, length] to [batch, channels, length x factor] (see the top of
/// this file).
public func upsample(_ input: Tensor, factor: Int, mode: UpsampleMode = .nearest) -> Tensor {
    precondition(input.rank == 3, "upsample expects [batch, channels, length], got \(input.shape)")
    precondition(factor >= 1, "upsample needs a factor >= 1, got \(factor)")
    let (batch, channels, length) = (input.shape[0], input.shape[1], input.shape[2])
    switch mode {
    case .nearest:
        return input.reshaped([batch, channels, length, 1])
            .broadcast(to: [batch, channels, length, factor])
            .reshaped([batch, channels, length * factor])
    case .linear:
        let rows = input.reshaped([batch * channels, length])
        return matmul(rows, linearInterpolationMatrix(length: length, factor: factor))
            .reshaped([batch, channels, length * factor])
    }
}

/// The [length, length x factor] matrix M with (x M)[t] = the linear interpolation of x at
/// output sample t: column t holds the weights 1 - f and f on the two input samples it reads.
func linearInterpolationMatrix(length: Int, factor: Int) -> Tensor {
    let outLength = length * factor
    var weights = [Float](repeating: 0, count: length * outLength)
    for t in 0..<outLength {
        let s = Swift.min(Swift.max((Double(t) + 0.5) / Double(factor) - 0.5, 0), Double(length - 1))
        let left = Int(s), right = Swift.min(left + 1, length - 1)
        let f = Float(s - Double(left))
        weights[left * outLength + t] += 1 - f
        weights[right * outLength + t] += f
    }
    return Tensor(shape: [length, outLength], scalars: weights)
}

/// `upsample` as a layer (no parameters), for a `Sequential` decoder.
public struct Upsample: Layer {
    public let factor: Int
    public let mode: UpsampleMode

    public init(factor: Int, mode: UpsampleMode = .nearest) {
        precondition(factor >= 1, "Upsample needs a factor >= 1, got \(factor)")
        self.factor = factor
        self.mode = mode
    }

    public func forward(_ input: Tensor) -> Tensor { upsample(input, factor: factor, mode: mode) }
}
