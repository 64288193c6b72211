/// Loops over scalars for elementwise ops. Each takes the buffer pointers once and runs a plain
/// loop the compiler can vectorise; broadcasting is handled with stride-0 reads.

/// out[i] = f(x[i]).
@inline(__always)
func mapKernel(_ x: Tensor, _ f: (Float) -> Float) -> Tensor {
    let n = x.count
    let a = x.storage.pointer
    return Tensor(shape: x.shape) { out in
        for i in 0..<n { out[i] = f(a[i]) }
    }
}

/// out = f(a, b) with NumPy broadcasting.
@inline(__always)
func zipKernel(_ x: Tensor, _ y: Tensor, _ f: (Float, Float) -> Float) -> Tensor {
    let a = x.storage.pointer, b = y.storage.pointer
    if x.shape == y.shape {
        let n = x.count
        return Tensor(shape: x.shape) { out in for i in 0..<n { out[i] = f(a[i], b[i]) } }
    }
    let shape = ShapeMath.broadcast(x.shape, y.shape)
    let total = shape.reduce(1, *)
    if y.count == 1 && x.shape == shape {
        let s = b[0]
        return Tensor(shape: shape) { out in for i in 0..<total { out[i] = f(a[i], s) } }
    }
    if x.count == 1 && y.shape == shape {
        let s = a[0]
        return Tensor(shape: shape) { out in for i in 0..<total { out[i] = f(s, b[i]) } }
    }
    // A bias-like operand: its shape is the trailing part of the other's, repeated row by row.
    if x.shape == shape && isTrailing(y.shape, of: shape) {
        let inner = y.count, rows = total / max(inner, 1)
        return Tensor(shape: shape) { out in
            for r in 0..<rows {
                let base = r * inner
                for j in 0..<inner { out[base + j] = f(a[base + j], b[j]) }
            }
        }
    }
    if y.shape == shape && isTrailing(x.shape, of: shape) {
        let inner = x.count, rows = total / max(inner, 1)
        return Tensor(shape: shape) { out in
            for r in 0..<rows {
                let base = r * inner
                for j in 0..<inner { out[base + j] = f(a[j], b[base + j]) }
            }
        }
    }
    let sa = ShapeMath.broadcastStrides(x.shape, to: shape)
    let sb = ShapeMath.broadcastStrides(y.shape, to: shape)
    return Tensor(shape: shape) { out in
        forEachRow(shape) { row, index in
            var oa = 0, ob = 0
            for d in 0..<(shape.count - 1) { oa += index[d] * sa[d]; ob += index[d] * sb[d] }
            let n = shape.last!, ia = sa.last!, ib = sb.last!
            let base = row * n
            for j in 0..<n { out[base + j] = f(a[oa + j * ia], b[ob + j * ib]) }
        }
    }
}

/// True when `small` (ignoring leading 1s) equals the last dimensions of `shape`.
func isTrailing(_ small: [Int], of shape: [Int]) -> Bool {
    let trimmed = Array(small.drop { $0 == 1 })
    return trimmed.count <= shape.count && Array(shape.suffix(trimmed.count)) == trimmed
}

/// Calls `body(row, index)` for every row (all axes but the last) in row-major order; `index`
/// holds the row's coordinates. A rank-0 shape has one row.
@inline(__always)
func forEachRow(_ shape: [Int], _ body: (Int, [Int]) -> Void) {
    guard shape.count > 0 else { body(0, []); return }
    let rows = shape.dropLast().reduce(1, *)
    guard rows > 0, shape.last! > 0 else { return }
    var index = [Int](repeating: 0, count: shape.count)
    for row in 0..<rows {
        body(row, index)
        var d = shape.count - 2
        while d >= 0 {
            index[d] += 1
            if index[d] < shape[d] { break }
            index[d] = 0
            d -= 1
        }
    }
}

/// Copies the strided view (offset, strides, shape) of `source` into fresh contiguous storage:
/// the one kernel behind permute, slice and broadcast.
func stridedCopy(_ source: UnsafePointer<Float>, offset: Int, strides: [Int], shape: [Int]) -> Tensor {
    Tensor(shape: shape) { out in
        guard shape.count > 0 else { out[0] = source[offset]; return }
        let n = shape.last!, step = strides.last!
        forEachRow(shape) { row, index in
            var o = offset
            for d in 0..<(shape.count - 1) { o += index[d] * strides[d] }
            let base = row * n
            if step == 1 {
                for j in 0..<n { out[base + j] = source[o + j] }
            } else {
                for j in 0..<n { out[base + j] = source[o + j * step] }
            }
        }
    }
}

/// Sums `x` down to `shape` (which broadcasts to x's shape): the adjoint of broadcasting.
/// Accumulates in Double, in a fixed order.
func sumToShapeKernel(_ x: Tensor, _ shape: [Int]) -> Tensor {
    let a = x.storage.pointer
    let total = shape.reduce(1, *)
    var acc = [Double](repeating: 0, count: total)
    if x.rank == 3 && shape == [1, x.shape[1], 1] {
        // A per-channel bias's gradient (sum over batch and time): the general loop below, with
        // four channels' chains of additions interleaved so none waits on its own last add.
        let (batch, channels, length) = (x.shape[0], x.shape[1], x.shape[2])
        var c = 0
        while c < channels {
            let lanes = min(4, channels - c)
            var sums = SIMD4<Double>()
            for b in 0..<batch {
                let row = a + (b * channels + c) * length
                if lanes == 4 {
                    for t in 0..<length {
                        sums += SIMD4(Double(row[t]), Double(row[length + t]), Double(row[2 * length + t]), Double(row[3 * length + t]))
                    }
                } else {
                    for lane in 0..<lanes { for t in 0..<length { sums[lane] += Double(row[lane * length + t]) } }
                }
            }
            for lane in 0..<lanes { acc[c + lane] = sums[lane] }
            c += lanes
        }
    } else if isTrailing(shape, of: x.shape) {
        let inner = total, rows = x.count / max(inner, 1)
        for r in 0..<rows {
            let base = r * inner
            for j in 0..<inner { acc[j] += Double(a[base + j]) }
        }
    } else {
        let st = ShapeMath.broadcastStrides(shape, to: x.shape)
        let full = x.shape
        acc.withUnsafeMutableBufferPointer { accp in
            forEachRow(full) { row, index in
                var o = 0
                for d in 0..<max(full.count - 1, 0) { o += index[d] * st[d] }
                let n = full.last ?? 1, s = st.last ?? 0
                let base = row * n
                for j in 0..<n { accp[o + j * s] += Double(a[base + j]) }
            }
        }
    }
    return Tensor(shape: shape) { out in for i in 0..<total { out[i] = Float(acc[i]) } }
}
