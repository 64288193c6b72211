import MLEngine

/// Two convolutions (kernel 5, padded to keep the length), each followed by ReLU: the unit every
/// level of the U-Net is built from.
struct ConvBlock: Layer {
    var first: Conv1d
    var second: Conv1d

    init(inChannels: Int, outChannels: Int, kernel: Int, generator: inout SeededGenerator) {
        first = Conv1d(inChannels: inChannels, outChannels: outChannels, kernelSize: kernel, padding: kernel / 2, generator: &generator)
        second = Conv1d(inChannels: outChannels, outChannels: outChannels, kernelSize: kernel, padding: kernel / 2, generator: &generator)
    }

    func forward(_ input: Tensor) -> Tensor { second(first(input).relu()).relu() }

    mutating func visitParameters(_ visit: (String, inout Tensor) throws -> Void) rethrows {
        try first.visitParameters { try visit("conv1." + $0, &$1) }
        try second.visitParameters { try visit("conv2." + $0, &$1) }
    }
}

/// A 1-D U-Net that gives every sample of a signal a score per class.
///
///     encoder level i:  ConvBlock (width x 2^i channels), then max-pool by 2   ("what", losing "where")
///     bottleneck:       ConvBlock at 1/2^depth of the length
///     decoder level i:  ConvTranspose1d (kernel 2, stride 2) doubles the length back;
///                       with skips, the encoder's level-i maps are concatenated along the
///                       channels, and a ConvBlock mixes the sharp and the blurry
///     head:             a 1x1 convolution to one score per class
///
/// Without skips the decoder has only the bottleneck's coarse maps to go on: it knows a QRS is
/// roughly there, but not on which sample it starts.
struct UNet: Layer {
    var encoders: [ConvBlock]
    var bottleneck: ConvBlock
    var ups: [ConvTranspose1d]
    var decoders: [ConvBlock]
    var head: Conv1d
    let skips: Bool

    /// - Parameter length: the input length, so a level of odd length gets its last sample back
    ///   through the transposed convolution's output padding.
    init(depth: Int, width: Int, kernel: Int = 5, classes: Int, length: Int, skips: Bool, generator: inout SeededGenerator) {
        precondition(depth >= 1 && width >= 1)
        self.skips = skips
        let channels = (0..<depth).map { width << $0 }
        var lengths = [length]
        for _ in 0..<depth { lengths.append(lengths.last! / 2) }
        var inChannels = 1
        encoders = []
        for c in channels {
            encoders.append(ConvBlock(inChannels: inChannels, outChannels: c, kernel: kernel, generator: &generator))
            inChannels = c
        }
        bottleneck = ConvBlock(inChannels: inChannels, outChannels: inChannels, kernel: kernel, generator: &generator)
        ups = []
        decoders = []
        var below = inChannels
        for level in stride(from: depth - 1, through: 0, by: -1) {
            let c = channels[level]
            let extra = lengths[level] - 2 * lengths[level + 1]        // 0 or 1
            ups.append(ConvTranspose1d(inChannels: below, outChannels: c, kernelSize: 2, stride: 2, outputPadding: extra,
                                       generator: &generator))
            decoders.append(ConvBlock(inChannels: skips ? 2 * c : c, outChannels: c, kernel: kernel, generator: &generator))
            below = c
        }
        head = Conv1d(inChannels: channels[0], outChannels: classes, kernelSize: 1, generator: &generator)
    }

    func forward(_ input: Tensor) -> Tensor { run(input).logits }

    /// The logits [batch, classes, length] and the bottleneck's maps [batch, channels, length / 2^depth].
    func run(_ input: Tensor) -> (logits: Tensor, bottleneck: Tensor) {
        var x = input
        var saved: [Tensor] = []
        for encoder in encoders {
            x = encoder(x)
            saved.append(x)
            x = maxPool1d(x, kernelSize: 2)
        }
        x = bottleneck(x)
        let deepest = x
        for (i, (up, decoder)) in zip(ups, decoders).enumerated() {
            x = up(x).relu()
            let sharp = saved[saved.count - 1 - i]
            x = decoder(skips ? skipConcatenate(encoder: sharp, decoder: x) : x)
        }
        return (head(x), deepest)
    }

    mutating func visitParameters(_ visit: (String, inout Tensor) throws -> Void) rethrows {
        for i in encoders.indices { try encoders[i].visitParameters { try visit("enc\(i)." + $0, &$1) } }
        try bottleneck.visitParameters { try visit("bottleneck." + $0, &$1) }
        for i in ups.indices {
            try ups[i].visitParameters { try visit("up\(i)." + $0, &$1) }
            try decoders[i].visitParameters { try visit("dec\(i)." + $0, &$1) }
        }
        try head.visitParameters { try visit("head." + $0, &$1) }
    }
}

/// The baseline: each sample is labelled from a fixed window of samples around it, by two
/// convolutions and a 1x1 head. A convolution *is* that sliding window, computed at every sample
/// at once: the first layer's kernel spans `window / 2 + 1` samples and the second's the rest, so
/// one output sees exactly `window` input samples (its receptive field) and nothing further away.
struct WindowCNN: Layer {
    var first: Conv1d
    var second: Conv1d
    var head: Conv1d

    init(window: Int, width: Int, classes: Int, generator: inout SeededGenerator) {
        let k1 = window / 2 + 1, k2 = window - k1 + 1              // k1 + k2 - 1 = window
        first = Conv1d(inChannels: 1, outChannels: width, kernelSize: k1, padding: 0, generator: &generator)
        second = Conv1d(inChannels: width, outChannels: width, kernelSize: k2, padding: 0, generator: &generator)
        head = Conv1d(inChannels: width, outChannels: classes, kernelSize: 1, generator: &generator)
        self.window = window
    }

    let window: Int

    func forward(_ input: Tensor) -> Tensor { run(input).logits }

    /// The logits [batch, classes, length] and the second layer's maps. The signal is padded by
    /// half a window on each side first (zeros: the standardised signal's mean), so every sample,
    /// the first and the last too, gets a full window.
    func run(_ input: Tensor) -> (logits: Tensor, bottleneck: Tensor) {
        let padded = input.padded(alongAxis: 2, before: (window - 1) / 2, after: window / 2)
        let maps = second(first(padded).relu()).relu()
        return (head(maps), maps)
    }

    mutating func visitParameters(_ visit: (String, inout Tensor) throws -> Void) rethrows {
        try first.visitParameters { try visit("conv1." + $0, &$1) }
        try second.visitParameters { try visit("conv2." + $0, &$1) }
        try head.visitParameters { try visit("head." + $0, &$1) }
    }
}

/// Either network, as one layer type the lab can store, checkpoint and train.
enum SegmentationNetwork: Layer {
    case unet(UNet)
    case window(WindowCNN)
    case swin(SwinUNet)

    func forward(_ input: Tensor) -> Tensor { run(input).logits }

    func run(_ input: Tensor) -> (logits: Tensor, bottleneck: Tensor) {
        switch self {
        case .unet(let net): return net.run(input)
        case .window(let net): return net.run(input)
        case .swin(let net): return net.run(input)
        }
    }

    mutating func visitParameters(_ visit: (String, inout Tensor) throws -> Void) rethrows {
        switch self {
        case .unet(var net):
            try net.visitParameters(visit)
            self = .unet(net)
        case .window(var net):
            try net.visitParameters(visit)
            self = .window(net)
        case .swin(var net):
            try net.visitParameters(visit)
            self = .swin(net)
        }
    }
}
