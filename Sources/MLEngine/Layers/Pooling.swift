// Pooling: summarise each short stretch of a signal by one number.
//
// Max pooling keeps the largest value of each window ("is the pattern there?", not "exactly
// where"); average pooling keeps the mean. Both shrink the signal by their stride, so the next
// convolution's filter covers a wider stretch of the original input. Global pooling summarises
// the whole length at once, leaving one number per channel whatever the input length.
//
// Windows run along the last axis: window t covers positions t * stride ..< t * stride + kernel,
// and there are floor((length - kernel) / stride) + 1 of them (a stretch too short for a whole
// window at the end is dropped, as in PyTorch).
//
// Gradients: max pooling sends each output's gradient to the one input that won its window
// (the argmax, remembered in the forward pass); average pooling shares it equally, 1/kernel to
// each input of the window. Where windows overlap (stride < kernel) the shares add up.

/// Max pooling along the last axis of `input` (for example [batch, channels, length]).
/// - Parameter stride: defaults to `kernelSize` (windows side by side, no overlap).
public func maxPool1d(_ input: Tensor, kernelSize: Int, stride: Int? = nil) -> Tensor {
    let pool = Pool(input, kernel: kernelSize, stride: stride)
    let (winners, y) = pool.maxKernel(input)
    return Tensor.differentiable(y, op: "maxPool1d", inputs: [input]) { g in
        [pool.scatter(g, to: winners)]
    }
}

/// Average pooling along the last axis of `input`.
/// - Parameter stride: defaults to `kernelSize`.
public func avgPool1d(_ input: Tensor, kernelSize: Int, stride: Int? = nil) -> Tensor {
    let pool = Pool(input, kernel: kernelSize, stride: stride)
    return pool.average(input)
}

/// The sizes of one pooling op: `rows` independent lines of `length` samples each.
struct Pool: Sendable {
    let rows: Int
    let plan: WindowPlan
    let inputShape: [Int]

    init(_ input: Tensor, kernel: Int, stride: Int?) {
        precondition(input.rank >= 1, "pooling needs at least one axis, got a scalar")
        let length = input.shape[input.rank - 1]
        let s = stride ?? kernel
        precondition(kernel >= 1 && s >= 1, "pooling needs kernel >= 1 and stride >= 1, got \(kernel) and \(s)")
        precondition(kernel <= length, "pooling window \(kernel) is longer than the signal (\(length) samples, shape \(input.shape))")
        rows = length == 0 ? 0 : input.count / length
        plan = WindowPlan(length: length, kernel: kernel, stride: s, padding: 0, dilation: 1)
        inputShape = input.shape
    }

    var outputShape: [Int] { Array(inputShape.dropLast()) + [plan.outputLength] }

    // MARK: Max: forward remembers the winners; the gradient goes back to them

    /// The window maxima, and for each the position (within its row) of the first largest value.
    func maxKernel(_ x: Tensor) -> (winners: [Int32], values: Tensor) {
        let (n, k, s, length) = (plan.outputLength, plan.kernel, plan.stride, plan.length)
        let p = x.storage.pointer
        var winners = [Int32](repeating: 0, count: rows * n)
        let y = winners.withUnsafeMutableBufferPointer { w in
            Tensor(shape: outputShape) { out in
                if k == 2 && s == 2 {
                    // The common case (a 2-wide window stepping by 2), eight windows at a time and
                    // without branches (which side wins is a coin toss the processor cannot predict):
                    // take the second sample when it is larger, or when the first is NaN and it is not.
                    for r in 0..<rows {
                        let row = p + r * length, outRow = out + r * n, winRow = w.baseAddress! + r * n
                        var t = 0
                        while t + 8 <= n {
                            let pairs = UnsafeRawPointer(row + 2 * t).loadUnaligned(as: SIMD16<Float>.self)
                            let a = pairs.evenHalf, b = pairs.oddHalf
                            let second = (b .> a) .| ((a .!= a) .& (b .== b))
                            UnsafeMutableRawPointer(outRow + t).storeBytes(of: a.replacing(with: b, where: second), as: SIMD8<Float>.self)
                            let first = SIMD8<Int32>(0, 2, 4, 6, 8, 10, 12, 14) &+ Int32(2 * t)
                            UnsafeMutableRawPointer(winRow + t).storeBytes(of: first.replacing(with: first &+ 1, where: second), as: SIMD8<Int32>.self)
                            t += 8
                        }
                        for t in t..<n {
                            let a = row[2 * t], b = row[2 * t + 1]
                            let second = b > a || (a.isNaN && !b.isNaN)
                            outRow[t] = second ? b : a
                            winRow[t] = Int32(2 * t + (second ? 1 : 0))
                        }
                    }
                    return
                }
                for r in 0..<rows {
                    let row = p + r * length
                    for t in 0..<n {
                        let start = t * s
                        var best = start, value = row[start]
                        for j in 1..<k where row[start + j] > value || value.isNaN && !row[start + j].isNaN {
                            best = start + j
                            value = row[start + j]
                        }
                        out[r * n + t] = value
                        w[r * n + t] = Int32(best)
                    }
                }
            }
        }
        return (winners, y)
    }

    /// dx: each output gradient added onto the input position that won its window.
    func scatter(_ g: Tensor, to winners: [Int32]) -> Tensor {
        let (n, length) = (plan.outputLength, plan.length)
        let pg = g.storage.pointer
        let dx = Tensor(shape: inputShape) { out in
            out.initialize(repeating: 0, count: rows * length)
            winners.withUnsafeBufferPointer { w in
                for r in 0..<rows {
                    for t in 0..<n { out[r * length + Int(w[r * n + t])] += pg[r * n + t] }
                }
            }
        }
        return Tensor.differentiable(dx, op: "maxPool1d.scatter", inputs: [g]) { h in [gather(h, from: winners)] }
    }

    /// The adjoint of `scatter`: reads the input position that won each window.
    func gather(_ h: Tensor, from winners: [Int32]) -> Tensor {
        let (n, length) = (plan.outputLength, plan.length)
        let ph = h.storage.pointer
        let y = Tensor(shape: outputShape) { out in
            winners.withUnsafeBufferPointer { w in
                for r in 0..<rows {
                    for t in 0..<n { out[r * n + t] = ph[r * length + Int(w[r * n + t])] }
                }
            }
        }
        return Tensor.differentiable(y, op: "maxPool1d.gather", inputs: [h]) { g in [scatter(g, to: winners)] }
    }

    // MARK: Average: forward and its adjoint, each the other's gradient

    func average(_ x: Tensor) -> Tensor {
        let (n, k, s, length) = (plan.outputLength, plan.kernel, plan.stride, plan.length)
        let p = x.storage.pointer
        let scale = 1 / Float(k)
        let y = Tensor(shape: outputShape) { out in
            for r in 0..<rows {
                let row = p + r * length
                for t in 0..<n {
                    var sum: Float = 0
                    for j in 0..<k { sum += row[t * s + j] }
                    out[r * n + t] = sum * scale
                }
            }
        }
        return Tensor.differentiable(y, op: "avgPool1d", inputs: [x]) { g in [spread(g)] }
    }

    /// dx: each output gradient shared equally (1/kernel each) by the inputs of its window.
    func spread(_ g: Tensor) -> Tensor {
        let (n, k, s, length) = (plan.outputLength, plan.kernel, plan.stride, plan.length)
        let pg = g.storage.pointer
        let scale = 1 / Float(k)
        let dx = Tensor(shape: inputShape) { out in
            out.initialize(repeating: 0, count: rows * length)
            for r in 0..<rows {
                let row = out + r * length
                for t in 0..<n {
                    let share = pg[r * n + t] * scale
                    for j in 0..<k { row[t * s + j] += share }
                }
            }
        }
        return Tensor.differentiable(dx, op: "avgPool1d.spread", inputs: [g]) { h in [average(h)] }
    }
}

/// Max pooling as a layer: [..., length] -> [..., floor((length - kernel) / stride) + 1].
public struct MaxPool1d: Layer {
    public let kernelSize: Int
    public let stride: Int

    /// - Parameter stride: defaults to `kernelSize`.
    public init(kernelSize: Int, stride: Int? = nil) {
        precondition(kernelSize >= 1 && (stride ?? 1) >= 1, "MaxPool1d needs kernel >= 1 and stride >= 1")
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
    }

    public func forward(_ input: Tensor) -> Tensor { maxPool1d(input, kernelSize: kernelSize, stride: stride) }
}

/// Average pooling as a layer.
public struct AvgPool1d: Layer {
    public let kernelSize: Int
    public let stride: Int

    /// - Parameter stride: defaults to `kernelSize`.
    public init(kernelSize: Int, stride: Int? = nil) {
        precondition(kernelSize >= 1 && (stride ?? 1) >= 1, "AvgPool1d needs kernel >= 1 and stride >= 1")
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
    }

    public func forward(_ input: Tensor) -> Tensor { avgPool1d(input, kernelSize: kernelSize, stride: stride) }
}

/// The mean over the whole last axis: [batch, channels, length] -> [batch, channels]. One
/// number per channel however long the signal: "how much of this feature, anywhere".
public struct GlobalAvgPool1d: Layer {
    public init() {}
    public func forward(_ input: Tensor) -> Tensor { input.mean(alongAxis: -1) }
}

/// The maximum over the whole last axis: [batch, channels, length] -> [batch, channels]
/// ("did this feature fire anywhere"). The gradient goes to the first position of the maximum.
public struct GlobalMaxPool1d: Layer {
    public init() {}
    public func forward(_ input: Tensor) -> Tensor { input.max(alongAxis: -1) }
}
