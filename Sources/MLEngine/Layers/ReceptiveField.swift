/// How much of the input one unit of a layer sees.
///
/// A convolution with kernel k and dilation d widens what a unit sees by (k - 1) d steps of the
/// layer below; a stride s (in a convolution or a pooling window) makes the layer above step s
/// units of this one at a time. Stacked, with `jump` the input samples between neighbouring
/// units of the current layer:
///
///     size' = size + (k - 1) d jump        jump' = jump s        start' = start - padding jump
///
/// Starting from the input (size 1, jump 1, start 0): Conv(k 5) -> 5; MaxPool(2) -> 6;
/// Conv(k 5) -> 6 + 4 x 2 = 14; MaxPool(2) -> 16 samples.
public struct ReceptiveField: Sendable, Equatable, CustomStringConvertible {
    /// Input samples one unit sees.
    public var size: Int
    /// Input samples between two neighbouring units (the product of the strides so far).
    public var jump: Int
    /// Input position of the first sample unit 0 sees (negative: it reaches into the padding).
    public var start: Int

    public init(size: Int, jump: Int, start: Int) {
        self.size = size
        self.jump = jump
        self.start = start
    }

    /// One input sample sees itself.
    public static let input = ReceptiveField(size: 1, jump: 1, start: 0)

    /// The field of a unit of `window` stacked on top of this one.
    public func through(_ window: SlidingWindow) -> ReceptiveField {
        ReceptiveField(size: size + (window.kernel - 1) * window.dilation * jump,
                       jump: jump * window.stride,
                       start: start - window.padding * jump)
    }

    /// The input samples unit `index` sees (before clipping to the signal).
    public func span(ofUnit index: Int) -> Range<Int> {
        let first = start + index * jump
        return first..<(first + size)
    }

    /// The field after each window of a stack, in order (empty for an empty stack).
    public static func stack(_ windows: [SlidingWindow]) -> [ReceptiveField] {
        var field = ReceptiveField.input
        return windows.map { window in
            field = field.through(window)
            return field
        }
    }

    public var description: String { "\(size) samples (jump \(jump), start \(start))" }
}

/// The geometry of a sliding window: a convolution's kernel or a pooling window.
public struct SlidingWindow: Sendable, Equatable {
    public var kernel: Int
    public var stride: Int
    public var padding: Int
    public var dilation: Int

    public init(kernel: Int, stride: Int = 1, padding: Int = 0, dilation: Int = 1) {
        precondition(kernel >= 1 && stride >= 1 && padding >= 0 && dilation >= 1,
                     "a window needs kernel >= 1, stride >= 1, padding >= 0, dilation >= 1")
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
    }
}

/// A layer that slides a window along its input (convolution, pooling), so it changes the
/// receptive field. Elementwise layers (ReLU) leave it as it is.
public protocol WindowedLayer: Layer {
    var window: SlidingWindow { get }
}

extension Conv1d: WindowedLayer {
    public var window: SlidingWindow { SlidingWindow(kernel: kernelSize, stride: stride, padding: padding, dilation: dilation) }
}

extension MaxPool1d: WindowedLayer {
    public var window: SlidingWindow { SlidingWindow(kernel: kernelSize, stride: stride) }
}

extension AvgPool1d: WindowedLayer {
    public var window: SlidingWindow { SlidingWindow(kernel: kernelSize, stride: stride) }
}

extension Sequential {
    /// The receptive field after each windowed layer (convolutions and pools), by layer name.
    /// Layers that act on each position alone (ReLU) are left out: they do not change it.
    public var receptiveFields: [(name: String, field: ReceptiveField)] {
        let windowed = layers.compactMap { entry in (entry.layer as? any WindowedLayer).map { (entry.name, $0.window) } }
        return zip(windowed.map(\.0), ReceptiveField.stack(windowed.map(\.1))).map { ($0, $1) }
    }
}
