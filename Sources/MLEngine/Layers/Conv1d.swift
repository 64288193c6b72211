// One-dimensional convolution: a short filter slides along a signal, and at every position the
// output is the dot product of the filter with the stretch of signal under it.
//
// For input x [batch, inChannels, length] and weights w [outChannels, inChannels, kernel]:
//
//     y[b, o, t] = bias[o] + sum over c < inChannels, j < kernel of
//                  w[o, c, j] * x[b, c, t * stride - padding + j * dilation]
//
// (positions outside the signal read as 0: that is the padding). Written as loops, that is
//
//     for b, o, t:  y[b, o, t] = bias[o]
//                   for c, j:  y[b, o, t] += w[o, c, j] * x[b, c, t*stride - padding + j*dilation]
//
// which is slow: the same few numbers are fetched again for every output. The fast path gives
// the same numbers with *im2col*: copy every window of the signal into one column of a matrix
// (row (c, j) holds tap j of channel c), and the whole convolution of one sample becomes one
// matrix product, filters [outChannels, inChannels * kernel] times columns
// [inChannels * kernel, outLength], which the packed GEMM does at full speed.
//
// The gradients are two more products with the same columns: d weight = gradient x columnsᵀ,
// and d input = col2im(weightsᵀ x gradient), where col2im adds each column entry back onto the
// input position it was copied from (the adjoint of im2col).
//
// With stride 1 the copy can be skipped altogether. Row (c, j) of the column matrix is just
// channel c of the (zero-padded) signal, starting j samples later: it is already in memory. The
// in-place GEMM (Kernels/InPlaceGEMM.swift) takes the address of each row instead of a copy, and
// gives the same bits as im2col + packed GEMM. For the weight gradient the signal is first
// stored time-major, xᵀ [time, channel]: then window t's taps, in tap-major order, are the
// kernel * inChannels numbers from row t on, and the column matrix's transpose is xᵀ itself
// read with overlapping rows.

/// Applies a 1-D convolution (see the top of this file).
/// - Parameters:
///   - input: [batch, inChannels, length].
///   - weight: [outChannels, inChannels, kernel].
///   - bias: [outChannels], or nil.
/// - Returns: [batch, outChannels, outLength] with
///   outLength = floor((length + 2 padding - dilation (kernel - 1) - 1) / stride) + 1.
public func conv1d(_ input: Tensor, weight: Tensor, bias: Tensor? = nil,
                   stride: Int = 1, padding: Int = 0, dilation: Int = 1) -> Tensor {
    precondition(input.rank == 3, "conv1d expects input [batch, channels, length], got \(input.shape)")
    precondition(weight.rank == 3, "conv1d expects weight [outChannels, inChannels, kernel], got \(weight.shape)")
    precondition(weight.shape[1] == input.shape[1],
                 "conv1d: input has \(input.shape[1]) channels, weight expects \(weight.shape[1]) (\(weight.shape))")
    precondition(bias == nil || bias!.shape == [weight.shape[0]], "conv1d bias must be [\(weight.shape[0])]")
    precondition(stride >= 1 && dilation >= 1 && padding >= 0 && weight.shape[2] >= 1,
                 "conv1d needs stride >= 1, dilation >= 1, padding >= 0, kernel >= 1")
    let geometry = ConvGeometry(batch: input.shape[0], inChannels: input.shape[1], outChannels: weight.shape[0],
                                plan: WindowPlan(length: input.shape[2], kernel: weight.shape[2], stride: stride,
                                                 padding: padding, dilation: dilation))
    precondition(geometry.plan.outputLength > 0,
                 "conv1d: a kernel spanning \(geometry.plan.dilation * (geometry.plan.kernel - 1) + 1) samples does not fit in length \(input.shape[2]) with padding \(padding)")
    let product = ConvGeometry.convolve(input, weight, bias: bias, geometry)
    guard let bias else { return product }
    // The bias was added inside the forward kernel; only its gradient is recorded here.
    return Tensor.differentiable(product, op: "conv1d.bias", inputs: [product, bias]) { g in
        [g, bias.requiresGrad ? g.channelSums() : nil]
    }
}

/// The sizes of one convolution, shared by its forward and its two gradient ops.
struct ConvGeometry: Sendable {
    let batch: Int
    let inChannels: Int
    let outChannels: Int
    let plan: WindowPlan

    var rows: Int { inChannels * plan.kernel }        // rows of the im2col matrix
    var outLength: Int { plan.outputLength }
    /// A kernel of 1 with stride 1 and no padding: the columns are the input itself.
    var isPointwise: Bool { plan.kernel == 1 && plan.stride == 1 && plan.padding == 0 }

    // MARK: The three ops (each one's gradients are the other two)

    /// y = conv(x, w) (+ bias inside the kernel; its gradient is recorded by `conv1d`).
    static func convolve(_ x: Tensor, _ w: Tensor, bias: Tensor?, _ geo: ConvGeometry) -> Tensor {
        Tensor.differentiable(forwardKernel(x, w, bias: bias, geo), op: "conv1d", inputs: [x, w]) { g in
            [x.requiresGrad ? inputGradient(g, w, geo) : nil,
             w.requiresGrad ? weightGradient(g, x, geo) : nil]
        }
    }

    /// dx = col2im(wᵀ g): what conv's output gradient g says about its input.
    static func inputGradient(_ g: Tensor, _ w: Tensor, _ geo: ConvGeometry) -> Tensor {
        Tensor.differentiable(inputGradientKernel(g, w, geo), op: "conv1d.inputGradient", inputs: [g, w]) { h in
            [g.requiresGrad ? convolve(h, w, bias: nil, geo) : nil,
             w.requiresGrad ? weightGradient(g, h, geo) : nil]
        }
    }

    /// dw = sum over the batch of g im2col(x)ᵀ: what conv's output gradient g says about its weights.
    static func weightGradient(_ g: Tensor, _ x: Tensor, _ geo: ConvGeometry) -> Tensor {
        Tensor.differentiable(weightGradientKernel(g, x, geo), op: "conv1d.weightGradient", inputs: [g, x]) { h in
            [g.requiresGrad ? convolve(x, h, bias: nil, geo) : nil,
             x.requiresGrad ? inputGradient(g, h, geo) : nil]
        }
    }

    // MARK: Kernels, per sample, samples spread over the cores

    /// How a kernel multiplies: by copying windows into an im2col matrix for the packed GEMM, or
    /// by handing the in-place GEMM each window row's address in the signal (same bits).
    enum KernelPath { case im2col, inPlace }

    /// The in-place path where it serves (stride 1 for the sliding products; the AVX-512 kernel;
    /// a shape the packed GEMM would take), else im2col.
    private func path(m: Int, n: Int, k: Int, slides: Bool) -> KernelPath {
        let slidesInPlace = plan.stride == 1 && plan.dilation == 1
        return (!slides || slidesInPlace) && InPlaceOperands.applies(m: m, n: n, k: k) ? .inPlace : .im2col
    }

    static func forwardKernel(_ x: Tensor, _ w: Tensor, bias: Tensor?, _ geo: ConvGeometry,
                              path chosen: KernelPath? = nil) -> Tensor {
        let (cin, cout, rows, n, length) = (geo.inChannels, geo.outChannels, geo.rows, geo.outLength, geo.plan.length)
        let path = chosen ?? geo.path(m: cout, n: n, k: rows, slides: true)
        precondition(path == .im2col || geo.plan.stride == 1, "conv1d: the in-place forward needs stride 1")
        let px = SharedPointer(x.storage.pointer), pw = SharedPointer(w.storage.pointer)
        let pb = bias.map { SharedPointer($0.storage.pointer) }
        // In place: row (c, j) of the column matrix is channel c of the zero-padded signal,
        // starting j * dilation samples in. The table holds where each row starts.
        let padding = geo.plan.padding, paddedLength = length + 2 * padding
        let rowStarts = path == .inPlace
            ? (0..<rows).map { row in (row / geo.plan.kernel) * paddedLength + (row % geo.plan.kernel) * geo.plan.dilation }
            : []
        return Tensor(shape: [geo.batch, cout, n]) { out in
            let py = SharedPointer(out)
            rowStarts.withUnsafeBufferPointer { starts in
                let startTable = SharedOffsets(starts.baseAddress)
                forEachSampleGroup(count: geo.batch) { _, samples in
                    let scratchSize = path == .inPlace ? (padding > 0 ? cin * paddedLength : 0)
                                                       : (geo.isPointwise ? 0 : rows * n)
                    let scratch = scratchSize > 0 ? UnsafeMutablePointer<Float>.allocate(capacity: scratchSize) : nil
                    scratch?.initialize(repeating: 0, count: scratchSize)
                    defer { scratch?.deallocate() }
                    for b in samples {
                        let xb = UnsafePointer(px.address + b * cin * length), yb = py.address + b * cout * n
                        if let pb { for o in 0..<cout { (yb + o * n).update(repeating: pb.address[o], count: n) } }
                        let beta: Float = pb == nil ? 0 : 1
                        if path == .inPlace {
                            var signal = xb
                            if let scratch {
                                // The padding stays zero; only the signal between is rewritten.
                                for c in 0..<cin { (scratch + c * paddedLength + padding).update(from: xb + c * length, count: length) }
                                signal = UnsafePointer(scratch)
                            }
                            InPlaceOperands(m: cout, n: n, k: rows, a: pw.address, aRowStride: rows, aDepthStride: 1,
                                            b: signal, bRowOffsets: startTable.address!, beta: beta, c: yb, ldc: n).multiply()
                            continue
                        }
                        let columns = Im2Col.columns(of: xb, channels: cin, plan: geo.plan, scratch: scratch)
                        // y_b [cout, n] = w [cout, rows] x columns [rows, n]
                        gemm(transA: false, transB: false, m: cout, n: n, k: rows, alpha: 1, a: pw.address, lda: rows,
                             b: columns, ldb: n, beta: beta, c: yb, ldc: n, threads: 1)
                    }
                }
            }
        }
    }

    static func inputGradientKernel(_ g: Tensor, _ w: Tensor, _ geo: ConvGeometry, path chosen: KernelPath? = nil) -> Tensor {
        let (cin, cout, rows, n, length) = (geo.inChannels, geo.outChannels, geo.rows, geo.outLength, geo.plan.length)
        // This product involves no windows (they come back in col2im), so any stride goes in place.
        let path = chosen ?? geo.path(m: rows, n: n, k: cout, slides: false)
        let pg = SharedPointer(g.storage.pointer), pw = SharedPointer(w.storage.pointer)
        let gradientRows = path == .inPlace ? (0..<cout).map { $0 * n } : []
        return Tensor(shape: [geo.batch, cin, length]) { out in
            let pdx = SharedPointer(out)
            gradientRows.withUnsafeBufferPointer { starts in
                let startTable = SharedOffsets(starts.baseAddress)
                forEachSampleGroup(count: geo.batch) { _, samples in
                    let scratch = geo.isPointwise ? nil : UnsafeMutablePointer<Float>.allocate(capacity: rows * n)
                    defer { scratch?.deallocate() }
                    for b in samples {
                        let dxb = pdx.address + b * cin * length, gb = pg.address + b * cout * n
                        // d columns [rows, n] = wᵀ [rows, cout] x g_b [cout, n]; pointwise: they are dx itself.
                        let target = scratch ?? dxb
                        if path == .inPlace {
                            InPlaceOperands(m: rows, n: n, k: cout, a: pw.address, aRowStride: 1, aDepthStride: rows,
                                            b: gb, bRowOffsets: startTable.address!, beta: 0, c: target, ldc: n).multiply()
                        } else {
                            gemm(transA: true, transB: false, m: rows, n: n, k: cout, alpha: 1, a: pw.address, lda: rows,
                                 b: gb, ldb: n, beta: 0, c: target, ldc: n, threads: 1)
                        }
                        if let scratch {
                            dxb.update(repeating: 0, count: cin * length)
                            Im2Col.fold(scratch, channels: cin, plan: geo.plan, into: dxb)
                        }
                    }
                }
            }
        }
    }

    static func weightGradientKernel(_ g: Tensor, _ x: Tensor, _ geo: ConvGeometry, path chosen: KernelPath? = nil) -> Tensor {
        let (cin, cout, rows, n, length) = (geo.inChannels, geo.outChannels, geo.rows, geo.outLength, geo.plan.length)
        let path = chosen ?? geo.path(m: cout, n: rows, k: n, slides: true)
        precondition(path == .im2col || (geo.plan.stride == 1 && geo.plan.dilation == 1),
                     "conv1d: the in-place weight gradient needs stride 1 and dilation 1")
        let kernel = geo.plan.kernel, padding = geo.plan.padding
        let px = SharedPointer(x.storage.pointer), pg = SharedPointer(g.storage.pointer)
        let size = cout * rows
        let groups = Swift.max(1, Swift.min(geo.batch, 8))
        // One partial sum per fixed group of samples, added up in group order: the same bits
        // whatever the number of threads.
        let partials = UnsafeMutablePointer<Float>.allocate(capacity: groups * size)
        partials.initialize(repeating: 0, count: groups * size)
        defer { partials.deallocate() }
        let pp = SharedPointer(partials)
        // In place, the signal is stored time-major, xᵀ [time, channel] with the padding as zero
        // rows: window t's taps are then the kernel * inChannels floats from row t on, so the
        // column matrix's row t (its columns in tap-major order (j, c)) starts at t * inChannels.
        let timeRows = length + 2 * padding
        let windowStarts = path == .inPlace ? (0..<n).map { $0 * cin } : []
        windowStarts.withUnsafeBufferPointer { starts in
            let startTable = SharedOffsets(starts.baseAddress)
            forEachSampleGroup(count: geo.batch, maxGroups: groups) { group, samples in
                let scratchSize = path == .inPlace ? timeRows * cin : (geo.isPointwise ? 0 : rows * n)
                let scratch = scratchSize > 0 ? UnsafeMutablePointer<Float>.allocate(capacity: scratchSize) : nil
                scratch?.initialize(repeating: 0, count: scratchSize)
                defer { scratch?.deallocate() }
                for b in samples {
                    let xb = UnsafePointer(px.address + b * cin * length), gb = pg.address + b * cout * n
                    if path == .inPlace, let timeMajor = scratch {
                        // Written row by row (contiguous stores); the reads jump between
                        // channels, but a block of 16 time steps keeps their lines in the L1 cache.
                        for t0 in stride(from: 0, to: length, by: 16) {
                            for t in t0..<Swift.min(length, t0 + 16) {
                                let target = timeMajor + (padding + t) * cin
                                var source = xb + t
                                for c in 0..<cin { target[c] = source.pointee; source += length }
                            }
                        }
                        // partial [cout, (j, c)] += g_b [cout, n] x columnsᵀ [n, (j, c)]
                        InPlaceOperands(m: cout, n: rows, k: n, a: gb, aRowStride: n, aDepthStride: 1,
                                        b: timeMajor, bRowOffsets: startTable.address!, beta: 1,
                                        c: pp.address + group * size, ldc: rows).multiply()
                        continue
                    }
                    let columns = Im2Col.columns(of: xb, channels: cin, plan: geo.plan, scratch: scratch)
                    // partial [cout, rows] += g_b [cout, n] x columnsᵀ [n, rows]
                    gemm(transA: false, transB: true, m: cout, n: rows, k: n, alpha: 1, a: gb, lda: n,
                         b: columns, ldb: n, beta: 1, c: pp.address + group * size, ldc: rows, threads: 1)
                }
            }
        }
        return Tensor(shape: [cout, cin, kernel]) { out in
            out.update(from: partials, count: size)
            for group in 1..<groups {
                let part = partials + group * size
                for i in 0..<size { out[i] += part[i] }
            }
            guard path == .inPlace else { return }
            // Tap-major (j, c) columns back to the weight's [out, in, tap] layout.
            let row = UnsafeMutablePointer<Float>.allocate(capacity: rows)
            defer { row.deallocate() }
            for o in 0..<cout {
                let weights = out + o * rows
                row.update(from: weights, count: rows)
                for j in 0..<kernel { for c in 0..<cin { weights[c * kernel + j] = row[j * cin + c] } }
            }
        }
    }
}

/// A table of row offsets that parallel tasks read.
private struct SharedOffsets: @unchecked Sendable {
    let address: UnsafePointer<Int>?
    init(_ address: UnsafePointer<Int>?) { self.address = address }
}

extension Tensor {
    /// Sums [batch, channels, length] over batch and length: one number per channel (the
    /// gradient of a per-channel bias).
    func channelSums() -> Tensor {
        precondition(rank == 3, "channelSums expects [batch, channels, length], got \(shape)")
        let (batch, channels, length) = (shape[0], shape[1], shape[2])
        let p = storage.pointer, a = self
        let y = Tensor(shape: [channels]) { out in
            // Each channel's sum is its own chain of additions in time order; four channels run
            // side by side so the adder never waits on the previous addition (same bits).
            var c = 0
            while c < channels {
                let lanes = Swift.min(4, channels - c)
                var totals = SIMD4<Double>()
                for b in 0..<batch {
                    let row = p + (b * channels + c) * length
                    var sums = SIMD4<Float>()
                    if lanes == 4 {
                        for t in 0..<length {
                            sums += SIMD4(row[t], row[length + t], row[2 * length + t], row[3 * length + t])
                        }
                    } else {
                        for lane in 0..<lanes { for t in 0..<length { sums[lane] += row[lane * length + t] } }
                    }
                    totals += SIMD4<Double>(Double(sums[0]), Double(sums[1]), Double(sums[2]), Double(sums[3]))
                }
                for lane in 0..<lanes { out[c + lane] = Float(totals[lane]) }
                c += lanes
            }
        }
        return Tensor.differentiable(y, op: "channelSums", inputs: [a]) { g in
            [g.reshaped([1, channels, 1]).broadcast(to: a.shape)]
        }
    }
}

/// A 1-D convolution layer over [batch, inChannels, length] (see `conv1d` above).
///
/// Parameters: `weight` [outChannels, inChannels, kernelSize] (one row of taps per output
/// channel and input channel) and `bias` [outChannels]. Every position shares the same weights:
/// a filter that finds a QRS complex finds it wherever it sits in the window.
public struct Conv1d: Layer {
    public var weight: Tensor
    public var bias: Tensor?
    public let stride: Int
    public let padding: Int
    public let dilation: Int

    /// - Parameters:
    ///   - initializer: drawn with fan-in inChannels x kernelSize (the inputs of one dot product).
    public init(inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                dilation: Int = 1, bias: Bool = true, initializer: Initializer = .kaimingUniform,
                generator: inout SeededGenerator) {
        precondition(inChannels > 0 && outChannels > 0 && kernelSize > 0,
                     "Conv1d needs positive sizes, got \(inChannels) -> \(outChannels), kernel \(kernelSize)")
        precondition(stride >= 1 && dilation >= 1 && padding >= 0, "Conv1d needs stride >= 1, dilation >= 1, padding >= 0")
        weight = initializer.make([outChannels, inChannels, kernelSize], fanIn: inChannels * kernelSize,
                                  fanOut: outChannels * kernelSize, generator: &generator).requiringGrad()
        self.bias = bias ? Tensor(zeros: [outChannels]).requiringGrad() : nil
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
    }

    /// A layer with given weights [outChannels, inChannels, kernel] and optional bias [outChannels].
    public init(weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0, dilation: Int = 1) {
        precondition(weight.rank == 3, "Conv1d weight must be [outChannels, inChannels, kernel], got \(weight.shape)")
        precondition(bias == nil || bias!.shape == [weight.shape[0]], "Conv1d bias must be [\(weight.shape[0])]")
        precondition(stride >= 1 && dilation >= 1 && padding >= 0, "Conv1d needs stride >= 1, dilation >= 1, padding >= 0")
        self.weight = weight.detached().requiringGrad()
        self.bias = bias?.detached().requiringGrad()
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
    }

    public var inChannels: Int { weight.shape[1] }
    public var outChannels: Int { weight.shape[0] }
    public var kernelSize: Int { weight.shape[2] }

    /// The output length for an input of `length` samples (0 when the kernel does not fit).
    public func outputLength(for length: Int) -> Int {
        WindowPlan(length: length, kernel: kernelSize, stride: stride, padding: padding, dilation: dilation).outputLength
    }

    public func forward(_ input: Tensor) -> Tensor {
        conv1d(input, weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation)
    }

    public mutating func visitParameters(_ visit: (String, inout Tensor) throws -> Void) rethrows {
        try visit("weight", &weight)
        if bias != nil { try visit("bias", &bias!) }
    }
}
