import MLEngine

/// The shape of chapter 4's convolutional networks: `layers` blocks of
/// Conv1d(k, pad k/2) -> ReLU -> pool, then global average pooling and one Linear layer.
///
/// With the defaults (64 filters, kernel 5, 2 layers, max pooling by 2) this is exactly
/// Conv1d(1->64, k 5, pad 2) ReLU MaxPool(2) -> Conv1d(64->64, k 5, pad 2) ReLU MaxPool(2) ->
/// global average pool -> Linear(64->classes).
struct CNNConfig: Sendable, Equatable {
    enum Pooling: String, Sendable, CaseIterable { case max, avg, none }

    var filters = 64
    var kernel = 5
    var layers = 2
    var pool = Pooling.max

    static let filterRange = 1...64
    static let kernelRange = 3...15
    static let layerRange = 1...4

    /// The layer names, in order: conv1, relu1, pool1, ..., gap, fc.
    func makeModel(classes: Int, generator: inout SeededGenerator) -> Sequential {
        var parts: [(String, any Layer)] = []
        for i in 1...layers {
            parts.append(("conv\(i)", Conv1d(inChannels: i == 1 ? 1 : filters, outChannels: filters, kernelSize: kernel,
                                             padding: kernel / 2, generator: &generator)))
            parts.append(("relu\(i)", ReLU()))
            switch pool {
            case .max: parts.append(("pool\(i)", MaxPool1d(kernelSize: 2)))
            case .avg: parts.append(("pool\(i)", AvgPool1d(kernelSize: 2)))
            case .none: break
            }
        }
        parts.append(("gap", GlobalAvgPool1d()))
        parts.append(("fc", Linear(inputs: filters, outputs: classes, generator: &generator)))
        return Sequential(named: parts)
    }

    /// Input samples one unit of the last convolutional block sees (what the global average
    /// pool then averages over).
    var receptiveField: Int {
        ReceptiveField.stack(windows).last?.size ?? 1
    }

    /// The windows of the stack in order (convolutions and pools), for the receptive field.
    var windows: [SlidingWindow] {
        (0..<layers).flatMap { _ -> [SlidingWindow] in
            let conv = SlidingWindow(kernel: kernel, padding: kernel / 2)
            return pool == .none ? [conv] : [conv, SlidingWindow(kernel: 2, stride: 2)]
        }
    }

    /// The length of each block's feature maps (after its ReLU, before its pool) for an input
    /// of `length` samples, or nil when the signal becomes too short for the stack.
    func mapLengths(input length: Int) -> [Int]? {
        var n = length, lengths: [Int] = []
        for _ in 0..<layers {
            n = n + 2 * (kernel / 2) - kernel + 1
            guard n >= 1 else { return nil }
            lengths.append(n)
            if pool != .none {
                n /= 2
                guard n >= 1 else { return nil }
            }
        }
        return lengths
    }
}

extension Sequential {
    /// The feature maps [batch, filters, length] after each block's ReLU (before its pool), for
    /// input [batch, 1, length]; no gradients are recorded.
    func featureMaps(_ input: Tensor) -> [Tensor] {
        withNoGrad {
            var x = input, maps: [Tensor] = []
            for (name, layer) in layers {
                x = layer(x)
                if name.hasPrefix("relu") { maps.append(x) }
                if name == "gap" { break }
            }
            return maps
        }
    }
}
