import Foundation

// Window attention, the idea of the Swin Transformer (Liu et al., 2021), in one dimension:
//
//     cut the sequence into windows of W tokens; each token attends only inside its window:
//     out_i = sum_j softmax_j(q_i . k_j / sqrt(d) + b[j - i]) v_j        (i, j in one window)
//
// Full attention over L tokens computes L^2 scores; windows compute L x W, so the cost grows
// linearly with the length. The price: a window never hears from its neighbours. The fix is to
// alternate: every second block shifts the windows by W/2, so the tokens either side of an old
// window edge now share a window. Swin implements the shift as a cyclic roll of the sequence by
// W/2 to the left (token W/2 comes to position 0), the same windows on the rolled sequence, and
// a roll back. The roll carries the first W/2 tokens round to the far end, into the last window
// beside the sequence's last tokens: a mask stops those two groups, which are not neighbours at
// all, from attending to each other across the seam.
//
// b is a learned relative-position bias, one number per head and offset j - i in -(W-1)...(W-1):
// the scores q . k alone cannot tell whether a key lies before or after its query, and an ECG's
// P wave and T wave differ mostly by which side of the QRS complex they are on.
//
// The roll costs no copy: where the rolled sequence has position p the kernel reads token
// (p + shift) mod L, and writes that token's output back in place, which is the roll back.
// Forward and backward are plain loops (a window is small: W x W scores of width d), one (batch
// item, window, head) problem at a time. Every token is in exactly one window, so the problems
// write disjoint rows and run in parallel without changing a bit of the result.

/// The sizes of one window-attention call and where its windows fall.
struct WindowGeometry: Sendable {
    let batch: Int, length: Int, width: Int, heads: Int, window: Int
    /// How far the windows are shifted: 0, or W/2 for a shifted block.
    let shift: Int

    var headWidth: Int { width / heads }
    var windows: Int { length / window }
    /// Independent (batch item, window, head) problems, in that nesting.
    var problems: Int { batch * windows * heads }
    var scale: Float { 1 / Float(headWidth).squareRoot() }
    /// Relative offsets j - i a window holds: -(W-1)...(W-1).
    var offsets: Int { 2 * window - 1 }

    /// The token at position `p` of the rolled sequence.
    func token(_ p: Int) -> Int { (p + shift) % length }
    /// Whether rolled position `p` holds one of the tokens the roll carried round from the start.
    /// Two positions of one window may attend to each other only if both are, or neither is.
    func wrapped(_ p: Int) -> Bool { shift > 0 && p >= length - shift }
    /// Problem `p`'s batch item, window and head.
    func split(_ p: Int) -> (item: Int, window: Int, head: Int) { (p / (windows * heads), (p / heads) % windows, p % heads) }
}

/// Window multi-head self-attention on projected rows (heads side by side in the last axis, as
/// `attention(query:key:value:heads:)` takes them).
///
/// - Parameters:
///   - query, key, value: `[batch, length, heads * d]`; `length` a multiple of `window`.
///   - bias: `[heads, 2 window - 1]`, the score added for key offset j - i (index j - i + window - 1).
///   - shifted: windows shifted by `window / 2`, with the seam mask (see the notes above).
/// - Returns: `[batch, length, heads * d]`, in the input's token order.
///
/// The backward pass is an explicit kernel, so this op has no second derivatives.
public func windowAttention(query: Tensor, key: Tensor, value: Tensor, bias: Tensor, heads: Int, window: Int,
                            shifted: Bool) -> Tensor {
    precondition(query.rank == 3 && key.shape == query.shape && value.shape == query.shape,
                 "window attention wants query, key and value of one shape [batch, length, width], got \(query.shape), \(key.shape), \(value.shape)")
    let (batch, length, width) = (query.shape[0], query.shape[1], query.shape[2])
    precondition(heads > 0 && width % heads == 0, "window attention: width \(width) must split into \(heads) heads")
    precondition(window >= 2 && length % window == 0, "window attention: length \(length) must be a multiple of the window \(window)")
    precondition(bias.shape == [heads, 2 * window - 1], "window attention: bias must be [\(heads), \(2 * window - 1)], got \(bias.shape)")
    let geometry = WindowGeometry(batch: batch, length: length, width: width, heads: heads, window: window,
                                  shift: shifted ? window / 2 : 0)
    let weights = Tensor(shape: [geometry.problems, window, window]) { _ in }
    let output = Tensor(shape: query.shape) { _ in }
    let pointers = WindowPointers(q: query.storage.pointer, k: key.storage.pointer, v: value.storage.pointer,
                                  bias: bias.storage.pointer, weights: weights.storage.pointer)
    WindowAttentionKernel.forward(geometry, pointers, output: output.storage.pointer)
    let (q, k, v, b) = (query, key, value, bias)
    return Tensor.differentiable(output, op: "window-attention", inputs: [q, k, v, b]) { g in
        precondition(!GradMode.isEnabled, "window attention has no second derivatives (its backward is a kernel)")
        let dq = Tensor(zeros: q.shape), dk = Tensor(zeros: k.shape), dv = Tensor(zeros: v.shape), db = Tensor(zeros: b.shape)
        let pointers = WindowPointers(q: q.storage.pointer, k: k.storage.pointer, v: v.storage.pointer,
                                      bias: b.storage.pointer, weights: weights.storage.pointer)
        WindowAttentionKernel.backward(geometry, pointers, g: g.storage.pointer, dq: dq.storage.pointer,
                                       dk: dk.storage.pointer, dv: dv.storage.pointer, dbias: db.storage.pointer)
        return [q.requiresGrad ? dq : nil, k.requiresGrad ? dk : nil, v.requiresGrad ? dv : nil, b.requiresGrad ? db : nil]
    }
}

/// Pointers shared by the threads of one call; each problem writes only its own rows.
struct WindowPointers: @unchecked Sendable {
    let q: UnsafeMutablePointer<Float>, k: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>
    let bias: UnsafeMutablePointer<Float>
    /// The softmax weights of every problem, `[problems, W, W]`, kept for the backward pass.
    let weights: UnsafeMutablePointer<Float>
}

/// What the backward pass reads (the output's gradient) and writes (the inputs' gradients, and
/// each problem's part of the bias's gradient).
private struct GradientPointers: @unchecked Sendable {
    let g: UnsafeMutablePointer<Float>, dq: UnsafeMutablePointer<Float>, dk: UnsafeMutablePointer<Float>
    let dv: UnsafeMutablePointer<Float>, dbias: UnsafeMutablePointer<Float>
}

private struct OutputPointer: @unchecked Sendable { let output: UnsafeMutablePointer<Float> }

enum WindowAttentionKernel {
    static func forward(_ geo: WindowGeometry, _ ptr: WindowPointers, output: UnsafeMutablePointer<Float>) {
        let w = geo.window, d = geo.headWidth
        let out = OutputPointer(output: output)
        AttentionKernel.forEachPair(geo.problems) { problem, _ in
            let p = ptr.weights + problem * w * w
            let bias = ptr.bias + geo.split(problem).head * geo.offsets
            withRows(geo, problem) { row, wrapped in
                for i in 0..<w {
                    var top = -Float.infinity
                    for j in 0..<w {
                        // Across the seam: weight 0 (masked), as if the score were minus infinity.
                        guard wrapped[i] == wrapped[j] else { p[i * w + j] = -.infinity; continue }
                        let score = dot(ptr.q + row[i], ptr.k + row[j], d) * geo.scale + bias[j - i + w - 1]
                        p[i * w + j] = score
                        top = max(top, score)
                    }
                    var total: Float = 0
                    for j in 0..<w {
                        let e = p[i * w + j] == -.infinity ? 0 : expf(p[i * w + j] - top)
                        p[i * w + j] = e
                        total += e
                    }
                    // out_i = sum_j P_ij v_j
                    let o = out.output + row[i]
                    o.update(repeating: 0, count: d)
                    for j in 0..<w {
                        p[i * w + j] /= total
                        if p[i * w + j] != 0 { addScaled(p[i * w + j], ptr.v + row[j], to: o, d) }
                    }
                }
            }
        }
    }

    /// With P the weights and G the output's gradient, per window:
    ///     dV_j = sum_i P_ij G_i,   dP_ij = G_i . V_j,   dS_ij = P_ij (dP_ij - sum_j' P_ij' dP_ij'),
    ///     dQ_i = sum_j dS_ij K_j / sqrt(d),   dK_j = sum_i dS_ij Q_i / sqrt(d),   db[j - i] += dS_ij.
    static func backward(_ geo: WindowGeometry, _ ptr: WindowPointers, g: UnsafeMutablePointer<Float>,
                         dq: UnsafeMutablePointer<Float>, dk: UnsafeMutablePointer<Float>, dv: UnsafeMutablePointer<Float>,
                         dbias: UnsafeMutablePointer<Float>) {
        let w = geo.window, d = geo.headWidth, offsets = geo.offsets
        // The bias is shared by every window: each problem sums its part here, then the parts are
        // added in problem order, so the total does not depend on the threads.
        let partial = UnsafeMutablePointer<Float>.allocate(capacity: geo.problems * offsets)
        partial.initialize(repeating: 0, count: geo.problems * offsets)
        defer { partial.deallocate() }
        let grads = GradientPointers(g: g, dq: dq, dk: dk, dv: dv, dbias: partial)
        AttentionKernel.forEachPair(geo.problems) { problem, _ in
            let p = UnsafePointer(ptr.weights + problem * w * w)
            let db = grads.dbias + problem * offsets
            withRows(geo, problem) { row, _ in
                withUnsafeTemporaryAllocation(of: Float.self, capacity: w) { ds in
                    for i in 0..<w {
                        let gi = grads.g + row[i]
                        var total: Float = 0
                        for j in 0..<w {
                            ds[j] = p[i * w + j] == 0 ? 0 : dot(gi, ptr.v + row[j], d)
                            total += p[i * w + j] * ds[j]
                        }
                        for j in 0..<w where p[i * w + j] != 0 {
                            let pij = p[i * w + j], s = pij * (ds[j] - total)
                            db[j - i + w - 1] += s
                            addScaled(geo.scale * s, ptr.k + row[j], to: grads.dq + row[i], d)
                            addScaled(geo.scale * s, ptr.q + row[i], to: grads.dk + row[j], d)
                            addScaled(pij, gi, to: grads.dv + row[j], d)
                        }
                    }
                }
            }
        }
        for problem in 0..<geo.problems {
            let head = geo.split(problem).head
            for o in 0..<offsets { dbias[head * offsets + o] += partial[problem * offsets + o] }
        }
    }

    /// Runs `body` with, for each position of problem `problem`'s window, where its token's head
    /// columns start in a `[batch, length, width]` tensor, and whether the roll wrapped it round.
    @inline(__always)
    static func withRows(_ geo: WindowGeometry, _ problem: Int, _ body: (UnsafeMutablePointer<Int>, UnsafeMutablePointer<Bool>) -> Void) {
        let (item, window, head) = geo.split(problem)
        withUnsafeTemporaryAllocation(of: Int.self, capacity: geo.window) { row in
            withUnsafeTemporaryAllocation(of: Bool.self, capacity: geo.window) { wrapped in
                for i in 0..<geo.window {
                    let position = window * geo.window + i
                    row[i] = (item * geo.length + geo.token(position)) * geo.width + head * geo.headWidth
                    wrapped[i] = geo.wrapped(position)
                }
                body(row.baseAddress!, wrapped.baseAddress!)
            }
        }
    }

    /// a . b over n floats, eight lanes at a time.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        var lanes = SIMD8<Float>(), e = 0
        while e + 8 <= n {
            lanes += UnsafeRawPointer(a + e).loadUnaligned(as: SIMD8<Float>.self) * UnsafeRawPointer(b + e).loadUnaligned(as: SIMD8<Float>.self)
            e += 8
        }
        var total = lanes.sum()
        while e < n { total += a[e] * b[e]; e += 1 }
        return total
    }

    /// y += alpha x over n floats.
    @inline(__always)
    static func addScaled(_ alpha: Float, _ x: UnsafePointer<Float>, to y: UnsafeMutablePointer<Float>, _ n: Int) {
        var e = 0
        while e + 8 <= n {
            let sum = UnsafeRawPointer(y + e).loadUnaligned(as: SIMD8<Float>.self) + alpha * UnsafeRawPointer(x + e).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(y + e).storeBytes(of: sum, as: SIMD8<Float>.self)
            e += 8
        }
        while e < n { y[e] += alpha * x[e]; e += 1 }
    }
}

/// Window multi-head self-attention as a layer: each token's row is projected to a query, a key
/// and a value, the heads attend inside windows of `window` tokens (shifted by half a window when
/// `shifted`), and the heads' outputs are mixed by one more projection.
///
/// Parameters: `query.*`, `key.*`, `value.*`, `output.*` (as `MultiHeadAttention`'s) and `bias`
/// `[heads, 2 window - 1]`, the relative-position bias, starting at 0.
/// Input and output `[batch, length, width]`, `length` a multiple of `window`.
public struct WindowAttention: Layer {
    /// The four projections; their own attention is never run.
    public var projections: MultiHeadAttention
    public var bias: Tensor
    public let window: Int
    public let shifted: Bool

    public init(width: Int, heads: Int, window: Int, shifted: Bool, generator: inout SeededGenerator) {
        projections = MultiHeadAttention(width: width, heads: heads, generator: &generator)
        bias = Tensor(zeros: [heads, 2 * window - 1]).requiringGrad()
        self.window = window
        self.shifted = shifted
    }

    public var heads: Int { projections.heads }

    public func forward(_ input: Tensor) -> Tensor {
        let p = projections
        return p.output(windowAttention(query: p.query(input), key: p.key(input), value: p.value(input), bias: bias,
                                        heads: p.heads, window: window, shifted: shifted))
    }

    public mutating func visitParameters(_ visit: (String, inout Tensor) throws -> Void) rethrows {
        try projections.visitParameters(visit)
        try visit("bias", &bias)
    }
}
