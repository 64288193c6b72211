// Transposed 1-D convolution: learned upsampling, the decoder's half of a U-Net.
//
// A convolution with stride 2 maps a signal of 2L samples to L. Its *transpose* goes the other
// way: every input sample scatters a copy of the filter, scaled by its value, onto the output,
// and the copies step `stride` samples apart, so L samples become about 2L:
//
//     for b, c, t:  for o, j:  y[b, o, t * stride - padding + j] += w[c, o, j] * x[b, c, t]
//
// (taps that land outside the output are dropped: that is what `padding` trims). The output has
//
//     outLength = (length - 1) stride - 2 padding + kernel + outputPadding
//
// samples; `outputPadding` (< stride) adds samples at the end, because a strided convolution
// maps several lengths to the same one and the transpose has to be told which to give back.
//
// The loop above is, line for line, how a convolution sends its output gradient back to its
// input (the adjoint of the sliding dot product). So the forward pass here *is* conv1d's input
// gradient kernel (wᵀ x, then col2im), and its gradients are conv1d's other two ops: the input's
// is a plain convolution of the output gradient with the same filters, the weight's is conv1d's
// weight gradient with the roles of signal and gradient swapped. Nothing new to get wrong.

/// Applies a transposed 1-D convolution (see the top of this file).
/// - Parameters:
///   - input: [batch, inChannels, length].
///   - weight: [inChannels, outChannels, kernel] (PyTorch's layout: the transpose of a conv's).
///   - bias: [outChannels], or nil.
/// - Returns: [batch, outChannels, (length - 1) stride - 2 padding + kernel + outputPadding].
public func convTranspose1d(_ input: Tensor, weight: Tensor, bias: Tensor? = nil,
                            stride: Int = 1, padding: Int = 0, outputPadding: Int = 0) -> Tensor {
    precondition(input.rank == 3, "convTranspose1d expects input [batch, channels, length], got \(input.shape)")
    precondition(weight.rank == 3, "convTranspose1d expects weight [inChannels, outChannels, kernel], got \(weight.shape)")
    precondition(weight.shape[0] == input.shape[1],
                 "convTranspose1d: input has \(input.shape[1]) channels, weight expects \(weight.shape[0]) (\(weight.shape))")
    precondition(bias == nil || bias!.shape == [weight.shape[1]], "convTranspose1d bias must be [\(weight.shape[1])]")
    precondition(stride >= 1 && padding >= 0 && weight.shape[2] >= 1,
                 "convTranspose1d needs stride >= 1, padding >= 0, kernel >= 1")
    precondition(outputPadding >= 0 && outputPadding < stride,
                 "convTranspose1d needs 0 <= outputPadding < stride, got \(outputPadding) with stride \(stride)")
    let (inChannels, outChannels, kernel) = (weight.shape[0], weight.shape[1], weight.shape[2])
    let outLength = ConvTranspose1d.outputLength(for: input.shape[2], kernel: kernel, stride: stride,
                                                 padding: padding, outputPadding: outputPadding)
    precondition(outLength > 0, "convTranspose1d: padding \(padding) trims away all \(outLength + 2 * padding) samples")
    // The convolution this one is the transpose of: it reads outLength samples with outChannels
    // channels and gives back exactly `length` samples with inChannels channels.
    let geometry = ConvGeometry(batch: input.shape[0], inChannels: outChannels, outChannels: inChannels,
                                plan: WindowPlan(length: outLength, kernel: kernel, stride: stride, padding: padding, dilation: 1))
    precondition(geometry.outLength == input.shape[2], "convTranspose1d: inconsistent geometry")
    let y = ConvGeometry.inputGradient(input, weight, geometry)
    guard let bias else { return y }
    return y + bias.reshaped([1, outChannels, 1])
}

/// A transposed 1-D convolution layer (see `convTranspose1d`): with kernel 2 and stride 2 it
/// doubles the length, each input sample writing its own two output samples through a learned
/// pair of taps per channel.
public struct ConvTranspose1d: Layer {
    public var weight: Tensor
    public var bias: Tensor?
    public let stride: Int
    public let padding: Int
    public let outputPadding: Int

    /// - Parameters:
    ///   - initializer: drawn with fan-in inChannels x kernelSize / stride (the taps that reach one
    ///     output sample), the figure PyTorch's default uses too.
    public init(inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                outputPadding: Int = 0, bias: Bool = true, initializer: Initializer = .kaimingUniform,
                generator: inout SeededGenerator) {
        precondition(inChannels > 0 && outChannels > 0 && kernelSize > 0,
                     "ConvTranspose1d needs positive sizes, got \(inChannels) -> \(outChannels), kernel \(kernelSize)")
        precondition(stride >= 1 && padding >= 0 && outputPadding >= 0 && outputPadding < stride,
                     "ConvTranspose1d needs stride >= 1, padding >= 0, 0 <= outputPadding < stride")
        let reach = Swift.max(1, inChannels * kernelSize / stride)
        weight = initializer.make([inChannels, outChannels, kernelSize], fanIn: reach, fanOut: outChannels * kernelSize,
                                  generator: &generator).requiringGrad()
        self.bias = bias ? Tensor(zeros: [outChannels]).requiringGrad() : nil
        self.stride = stride
        self.padding = padding
        self.outputPadding = outputPadding
    }

    /// A layer with given weights [inChannels, outChannels, kernel] and optional bias [outChannels].
    public init(weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0, outputPadding: Int = 0) {
        precondition(weight.rank == 3, "ConvTranspose1d weight must be [inChannels, outChannels, kernel], got \(weight.shape)")
        precondition(bias == nil || bias!.shape == [weight.shape[1]], "ConvTranspose1d bias must be [\(weight.shape[1])]")
        precondition(stride >= 1 && padding >= 0 && outputPadding >= 0 && outputPadding < stride,
                     "ConvTranspose1d needs stride >= 1, padding >= 0, 0 <= outputPadding < stride")
        self.weight = weight.detached().requiringGrad()
        self.bias = bias?.detached().requiringGrad()
        self.stride = stride
        self.padding = padding
        self.outputPadding = outputPadding
    }

    public var inChannels: Int { weight.shape[0] }
    public var outChannels: Int { weight.shape[1] }
    public var kernelSize: Int { weight.shape[2] }

    /// (length - 1) stride - 2 padding + kernel + outputPadding.
    public static func outputLength(for length: Int, kernel: Int, stride: Int, padding: Int, outputPadding: Int) -> Int {
        (length - 1) * stride - 2 * padding + kernel + outputPadding
    }

    public func outputLength(for length: Int) -> Int {
        Self.outputLength(for: length, kernel: kernelSize, stride: stride, padding: padding, outputPadding: outputPadding)
    }

    public func forward(_ input: Tensor) -> Tensor {
        convTranspose1d(input, weight: weight, bias: bias, stride: stride, padding: padding, outputPadding: outputPadding)
    }

    public mutating func visitParameters(_ visit: (String, inout Tensor) throws -> Void) rethrows {
        try visit("weight", &weight)
        if bias != nil { try visit("bias", &bias!) }
    }
}
