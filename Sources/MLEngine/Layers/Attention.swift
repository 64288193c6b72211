import Dispatch
import Foundation

// Attention, as chapter 6 writes it:
//
//     weights = softmax(Q K^T / sqrt(d))      one row per query, summing to 1
//     output  = weights V                     each query's blend of the values
//
// Q holds one row per query position, K and V one row per key position; d is the width of a
// query (and key) row. Dividing by sqrt(d) keeps the dot products near unit size however wide
// the rows are, so the softmax does not saturate. A causal mask lets query i see keys 0...i
// only (what a model that predicts the next step may use).
//
// The forward and backward passes are one fused kernel per (batch item, head): two GEMM calls
// and a row softmax forward; four GEMM calls and the softmax backward back. Batch items and heads
// are independent, so they are spread over the cores, each computed by one thread in a fixed
// order: the result never depends on the thread count.

/// What attention computed: the blended values and the weights that blended them.
public struct AttentionResult: Sendable {
    /// The output, one row per query: `[..., queries, valueWidth]` (heads concatenated).
    public var output: Tensor
    /// The attention weights softmax(Q K^T / sqrt(d)), detached from the graph (for display):
    /// `[..., queries, keys]`, or `[batch, heads, queries, keys]` for several heads. Each row sums
    /// to 1; under a causal mask the entries right of the diagonal are exactly 0.
    public var weights: Tensor
}

/// Scaled dot-product attention, softmax(Q K^T / sqrt(d)) V, on whole tensors.
///
/// - Parameters:
///   - query: `[..., n, d]`, one row per query position.
///   - key: `[..., m, d]`, one row per key position (same leading dimensions).
///   - value: `[..., m, dv]`.
///   - causal: when true, query i attends only to keys 0...i.
/// - Returns: output `[..., n, dv]` and weights `[..., n, m]`.
public func scaledDotProductAttention(query: Tensor, key: Tensor, value: Tensor, causal: Bool = false) -> AttentionResult {
    precondition(query.rank >= 2 && key.rank == query.rank && value.rank == query.rank,
                 "attention needs query, key and value of one rank >= 2, got \(query.shape), \(key.shape), \(value.shape)")
    let lead = Array(query.shape.dropLast(2))
    precondition(Array(key.shape.dropLast(2)) == lead && Array(value.shape.dropLast(2)) == lead,
                 "attention: leading dimensions differ in \(query.shape), \(key.shape), \(value.shape)")
    let n = query.shape[query.rank - 2], d = query.shape[query.rank - 1]
    let m = key.shape[key.rank - 2], dv = value.shape[value.rank - 1]
    let batch = lead.reduce(1, *)
    let result = attention(query: query.reshaped([batch, n, d]), key: key.reshaped([batch, m, d]),
                           value: value.reshaped([batch, m, dv]), heads: 1, causal: causal)
    return AttentionResult(output: result.output.reshaped(lead + [n, dv]), weights: result.weights.reshaped(lead + [n, m]))
}

/// Multi-head scaled dot-product attention on projected rows, heads side by side in the last
/// axis (the layout `MultiHeadAttention` produces with its projections).
///
/// Head h reads columns h*d ..< (h+1)*d of `query` and `key` (d = width / heads) and columns
/// h*dv ..< (h+1)*dv of `value`, and writes the same columns of the output. Each head scales by
/// its own row width: softmax(Q_h K_h^T / sqrt(d)) V_h.
///
/// - Parameters:
///   - query: `[batch, n, heads * d]`; key: `[batch, m, heads * d]`; value: `[batch, m, heads * dv]`.
///   - causal: query i attends only to keys 0...i.
/// - Returns: output `[batch, n, heads * dv]` and weights `[batch, heads, n, m]`.
public func attention(query: Tensor, key: Tensor, value: Tensor, heads: Int, causal: Bool = false) -> AttentionResult {
    precondition(query.rank == 3 && key.rank == 3 && value.rank == 3,
                 "attention wants [batch, positions, width] tensors, got \(query.shape), \(key.shape), \(value.shape)")
    precondition(heads > 0 && query.shape[2] % heads == 0 && value.shape[2] % heads == 0,
                 "attention: widths \(query.shape[2]) and \(value.shape[2]) must split into \(heads) heads")
    precondition(key.shape[2] == query.shape[2], "attention: query width \(query.shape[2]) differs from key width \(key.shape[2])")
    precondition(key.shape[0] == query.shape[0] && value.shape[0] == query.shape[0] && value.shape[1] == key.shape[1],
                 "attention: shapes \(query.shape), \(key.shape), \(value.shape) do not fit together")
    let geometry = AttentionGeometry(batch: query.shape[0], heads: heads, queries: query.shape[1], keys: key.shape[1],
                                     keyWidth: query.shape[2] / heads, valueWidth: value.shape[2] / heads, causal: causal)
    // Kernels read contiguous storage; every tensor is, but a reshape may share it, which is fine.
    let weights = Tensor(shape: [geometry.batch, heads, geometry.queries, geometry.keys]) { _ in }
    let output = Tensor(shape: [geometry.batch, geometry.queries, heads * geometry.valueWidth]) { _ in }
    AttentionKernel.forward(geometry, q: query.storage.pointer, k: key.storage.pointer, v: value.storage.pointer,
                            weights: weights.storage.pointer, output: output.storage.pointer)
    let (q, k, v) = (query, key, value)
    let y = Tensor.differentiable(output, op: "attention", inputs: [q, k, v]) { g in
        if GradMode.isEnabled {
            // The backward pass is being recorded (create-graph): use differentiable ops.
            return AttentionKernel.recordedBackward(geometry, q: q, k: k, v: v, g: g)
        }
        let dq = Tensor(shape: q.shape) { _ in }, dk = Tensor(shape: k.shape) { _ in }, dv = Tensor(shape: v.shape) { _ in }
        AttentionKernel.backward(geometry, q: q.storage.pointer, k: k.storage.pointer, v: v.storage.pointer,
                                 weights: weights.storage.pointer, g: g.storage.pointer,
                                 dq: dq.storage.pointer, dk: dk.storage.pointer, dv: dv.storage.pointer)
        return [q.requiresGrad ? dq : nil, k.requiresGrad ? dk : nil, v.requiresGrad ? dv : nil]
    }
    return AttentionResult(output: y, weights: weights)
}

/// The sizes of one attention call.
struct AttentionGeometry: Sendable {
    let batch: Int, heads: Int, queries: Int, keys: Int, keyWidth: Int, valueWidth: Int
    let causal: Bool

    /// 1 / sqrt(d): the scaling that keeps the scores' spread independent of the row width.
    var scale: Float { 1 / Float(keyWidth).squareRoot() }
    /// Independent (batch item, head) problems.
    var pairs: Int { batch * heads }

    /// Where problem `pair`'s rows start in a `[batch, rows, heads * width]` tensor.
    func offset(_ pair: Int, rows: Int, width: Int) -> Int {
        (pair / heads) * rows * heads * width + (pair % heads) * width
    }

    /// Multiply-adds times two (floating-point operations) of the forward pass: Q K^T, the
    /// softmax (about 5 per score: max, subtract, exp, sum, divide) and weights x V.
    var forwardFlops: Int { pairs * queries * keys * (2 * keyWidth + 2 * valueWidth + 5) }
    /// The backward pass: four products (dV, dP, dQ, dK) and the softmax backward (about 4 per score).
    var backwardFlops: Int { pairs * queries * keys * (4 * keyWidth + 4 * valueWidth + 4) }
}

/// Pointers shared by the threads of one call; each thread writes only its own problems' rows.
private struct AttentionPointers: @unchecked Sendable {
    let q: UnsafeMutablePointer<Float>, k: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>
    let weights: UnsafeMutablePointer<Float>
    let a: UnsafeMutablePointer<Float>, b: UnsafeMutablePointer<Float>, c: UnsafeMutablePointer<Float>, d: UnsafeMutablePointer<Float>
}

enum AttentionKernel {
    /// Runs `body(pair, gemmThreads)` for every problem: across the cores when there are several
    /// (each inner GEMM then stays on its thread), or one problem with a GEMM that may thread.
    static func forEachPair(_ count: Int, _ body: @Sendable (Int, Int) -> Void) {
        let cores = GEMMPlan.defaultThreadCount
        if count == 1 || cores == 1 { for p in 0..<count { body(p, count == 1 ? cores : 1) }; return }
        // Contiguous chunks, fixed by the count alone (not by which thread is free first).
        let chunks = min(count, cores * 4)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let start = chunk * count / chunks, end = (chunk + 1) * count / chunks
            for p in start..<end { body(p, 1) }
        }
    }

    static func forward(_ g: AttentionGeometry, q: UnsafeMutablePointer<Float>, k: UnsafeMutablePointer<Float>,
                        v: UnsafeMutablePointer<Float>, weights: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>) {
        let n = g.queries, m = g.keys, dk = g.keyWidth, dv = g.valueWidth
        let ldk = g.heads * dk, ldv = g.heads * dv
        let ptr = AttentionPointers(q: q, k: k, v: v, weights: weights, a: output, b: output, c: output, d: output)
        forEachPair(g.pairs) { p, threads in
            let w = ptr.weights + p * n * m
            // scores = Q K^T / sqrt(d), written straight into the weights' storage.
            gemm(transA: false, transB: true, m: n, n: m, k: dk, alpha: g.scale,
                 a: ptr.q + g.offset(p, rows: n, width: dk), lda: ldk, b: ptr.k + g.offset(p, rows: m, width: dk), ldb: ldk,
                 beta: 0, c: w, ldc: m, threads: threads)
            for i in 0..<n { softmaxRow(w + i * m, count: m, valid: g.causal ? min(i + 1, m) : m) }
            // output = weights V.
            gemm(transA: false, transB: false, m: n, n: dv, k: m, alpha: 1, a: w, lda: m,
                 b: ptr.v + g.offset(p, rows: m, width: dv), ldb: ldv,
                 beta: 0, c: ptr.a + g.offset(p, rows: n, width: dv), ldc: ldv, threads: threads)
        }
    }

    /// With P the weights and G the output's gradient:
    ///     dV = P^T G,   dP = G V^T,   dS = P * (dP - rowsum(dP * P)),
    ///     dQ = dS K / sqrt(d),   dK = dS^T Q / sqrt(d).
    static func backward(_ g: AttentionGeometry, q: UnsafeMutablePointer<Float>, k: UnsafeMutablePointer<Float>,
                         v: UnsafeMutablePointer<Float>, weights: UnsafeMutablePointer<Float>, g grad: UnsafeMutablePointer<Float>,
                         dq: UnsafeMutablePointer<Float>, dk dkOut: UnsafeMutablePointer<Float>, dv dvOut: UnsafeMutablePointer<Float>) {
        let n = g.queries, m = g.keys, dk = g.keyWidth, dv = g.valueWidth
        let ldk = g.heads * dk, ldv = g.heads * dv
        let ptr = AttentionPointers(q: q, k: k, v: v, weights: weights, a: grad, b: dq, c: dkOut, d: dvOut)
        forEachPair(g.pairs) { p, threads in
            let w = UnsafePointer(ptr.weights + p * n * m)
            let gp = ptr.a + g.offset(p, rows: n, width: dv)
            let qp = ptr.q + g.offset(p, rows: n, width: dk), kp = ptr.k + g.offset(p, rows: m, width: dk)
            let vp = ptr.v + g.offset(p, rows: m, width: dv)
            gemm(transA: true, transB: false, m: m, n: dv, k: n, alpha: 1, a: w, lda: m, b: gp, ldb: ldv,
                 beta: 0, c: ptr.d + g.offset(p, rows: m, width: dv), ldc: ldv, threads: threads)
            let scratch = UnsafeMutablePointer<Float>.allocate(capacity: n * m)
            defer { scratch.deallocate() }
            gemm(transA: false, transB: true, m: n, n: m, k: dv, alpha: 1, a: gp, lda: ldv, b: vp, ldb: ldv,
                 beta: 0, c: scratch, ldc: m, threads: threads)
            softmaxBackwardRows(w, scratch, rows: n, width: m, valid: { g.causal ? min($0 + 1, m) : m })
            gemm(transA: false, transB: false, m: n, n: dk, k: m, alpha: g.scale, a: scratch, lda: m, b: kp, ldb: ldk,
                 beta: 0, c: ptr.b + g.offset(p, rows: n, width: dk), ldc: ldk, threads: threads)
            gemm(transA: true, transB: false, m: m, n: dk, k: n, alpha: g.scale, a: scratch, lda: m, b: qp, ldb: ldk,
                 beta: 0, c: ptr.c + g.offset(p, rows: m, width: dk), ldc: ldk, threads: threads)
        }
    }

    /// Softmax of `row[0..<valid]` in place; entries from `valid` on (masked) become 0.
    static func softmaxRow(_ row: UnsafeMutablePointer<Float>, count: Int, valid: Int) {
        var top = -Float.infinity
        for j in 0..<valid { top = Swift.max(top, row[j]) }
        var total: Float = 0
        var j = 0
        while j + 8 <= valid {
            let e = vectorExp(UnsafeRawPointer(row + j).loadUnaligned(as: SIMD8<Float>.self) - top)
            UnsafeMutableRawPointer(row + j).storeBytes(of: e, as: SIMD8<Float>.self)
            total += e.sum()
            j += 8
        }
        if j < valid {
            // The tail goes through the same vector code (padded lanes), so it rounds the same.
            var lanes = SIMD8<Float>(repeating: -Float.infinity)
            for l in 0..<(valid - j) { lanes[l] = row[j + l] - top }
            let e = vectorExp(lanes)
            for l in 0..<(valid - j) { row[j + l] = e[l]; total += e[l] }
        }
        let inverse = 1 / total
        for j in 0..<valid { row[j] *= inverse }
        for j in valid..<count { row[j] = 0 }
    }

    /// dS = P * (dP - sum(dP * P)) in place over `dp`, row by row (masked entries have P = 0).
    ///
    /// Each row's sum is one chain of additions in column order, and a chain waits on its own
    /// last addition. On long rows four rows' chains run side by side, each still in its own
    /// order: the same bits as one row at a time, in about a quarter of the time.
    static func softmaxBackwardRows(_ p: UnsafePointer<Float>, _ dp: UnsafeMutablePointer<Float>, rows: Int, width: Int,
                                    valid: (Int) -> Int) {
        /// Finishes row i from column `from` on, given its sum so far.
        func finish(_ i: Int, dot partial: Float, from: Int) {
            let pr = p + i * width, gr = dp + i * width, count = valid(i)
            var dot = partial
            for j in from..<count { dot += pr[j] * gr[j] }
            for j in 0..<count { gr[j] = pr[j] * (gr[j] - dot) }
            for j in count..<width { gr[j] = 0 }
        }
        var i = 0
        // Short rows (a few dozen tokens) end before the wait matters: one at a time.
        while width >= 64 && i + 4 <= rows {
            let shared = Swift.min(valid(i), valid(i + 1), valid(i + 2), valid(i + 3))
            let p0 = p + i * width, p1 = p0 + width, p2 = p1 + width, p3 = p2 + width
            let g0 = dp + i * width, g1 = g0 + width, g2 = g1 + width, g3 = g2 + width
            var d0: Float = 0, d1: Float = 0, d2: Float = 0, d3: Float = 0
            for j in 0..<shared {
                d0 += p0[j] * g0[j]; d1 += p1[j] * g1[j]; d2 += p2[j] * g2[j]; d3 += p3[j] * g3[j]
            }
            finish(i, dot: d0, from: shared)
            finish(i + 1, dot: d1, from: shared)
            finish(i + 2, dot: d2, from: shared)
            finish(i + 3, dot: d3, from: shared)
            i += 4
        }
        while i < rows { finish(i, dot: 0, from: 0); i += 1 }
    }

    /// The backward pass in differentiable tensor ops, for `backward(createGraph: true)`: the same
    /// formulas as `backward`, on heads split out as a batch axis.
    static func recordedBackward(_ geo: AttentionGeometry, q: Tensor, k: Tensor, v: Tensor, g: Tensor) -> [Tensor?] {
        let (b, h) = (geo.batch, geo.heads)
        func split(_ t: Tensor, rows: Int, width: Int) -> Tensor { t.reshaped([b, rows, h, width]).permuted([0, 2, 1, 3]) }
        func merge(_ t: Tensor, rows: Int, width: Int) -> Tensor { t.permuted([0, 2, 1, 3]).reshaped([b, rows, h * width]) }
        let qh = split(q, rows: geo.queries, width: geo.keyWidth), kh = split(k, rows: geo.keys, width: geo.keyWidth)
        let vh = split(v, rows: geo.keys, width: geo.valueWidth), gh = split(g, rows: geo.queries, width: geo.valueWidth)
        let p = composedWeights(qh, kh, causal: geo.causal)
        let dv = matmul(p, gh, transposeA: true)
        let dp = matmul(gh, vh, transposeB: true)
        let ds = p * (dp - (dp * p).sum(alongAxis: -1, keepDims: true))
        let dq = matmul(ds, kh) * geo.scale
        let dk = matmul(ds, qh, transposeA: true) * geo.scale
        return [merge(dq, rows: geo.queries, width: geo.keyWidth), merge(dk, rows: geo.keys, width: geo.keyWidth),
                merge(dv, rows: geo.keys, width: geo.valueWidth)]
    }

    /// softmax(Q K^T / sqrt(d)) with the mask, written in ordinary differentiable ops. It is the
    /// lesson's formula op for op; the tests hold the fused kernel to it.
    static func composedWeights(_ q: Tensor, _ k: Tensor, causal: Bool) -> Tensor {
        let d = q.shape[q.rank - 1], n = q.shape[q.rank - 2], m = k.shape[k.rank - 2]
        var scores = matmul(q, k, transposeB: true) * (1 / Float(d).squareRoot())
        if causal {
            // A large negative number rather than -infinity: exp gives exactly 0 either way, and
            // no infinity enters the arithmetic of the backward pass.
            let mask = Tensor(shape: [n, m]) { out in
                for i in 0..<n { for j in 0..<m { out[i * m + j] = j > i ? -1e30 : 0 } }
            }
            scores = scores + mask
        }
        return scores.softmax(alongAxis: -1)
    }
}

/// e^x for eight lanes at once: x = n ln 2 + r with |r| <= ln 2 / 2, e^r by a degree-6
/// polynomial (Cephes' expf coefficients, within 2 ulp), then 2^n by building the exponent bits.
/// Plain arithmetic, so every machine gets the same bits; -infinity gives exactly 0.
///
/// n is rounded by adding 1.5 * 2^23, which leaves the integer in the low mantissa bits: the
/// standard library's SIMD float-to-integer conversion and `rounded(_:)` run lane by lane through
/// generic code here (a profile of the transformer step put a fifth of its time in them).
@inline(__always)
func vectorExp(_ x: SIMD8<Float>) -> SIMD8<Float> {
    let zero = x .< -87.0
    let clamped = x.replacing(with: -87.0, where: zero).replacing(with: 88.0, where: x .> 88.0)
    let magic = SIMD8<Float>(repeating: 12_582_912)   // 1.5 * 2^23, bit pattern 0x4B40_0000
    let shifted = clamped * 1.442_695_04 + magic
    let n = shifted - magic
    let r = clamped - n * 0.693_359_375 + n * 2.121_944_4e-4
    var poly = SIMD8<Float>(repeating: 1.987_569_15e-4)
    poly = poly * r + 1.398_199_95e-3
    poly = poly * r + 8.333_451_9e-3
    poly = poly * r + 4.166_579_59e-2
    poly = poly * r + 1.666_666_55e-1
    poly = poly * r + 5.000_000_12e-1
    let er = poly * (r * r) + r + 1
    let bits = (unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- 0x4B40_0000 &+ 127) &<< 23
    let result = er * unsafeBitCast(bits, to: SIMD8<Float>.self)
    return result.replacing(with: 0, where: zero)
}

/// Multi-head self-attention: each position's row x is projected to a query, a key and a value
/// (x Wq, x Wk, x Wv), split into `heads` groups of width / heads columns, each head attends on
/// its own, and the heads' outputs, side by side again, are mixed by one more projection Wo.
///
/// Parameters: `query.weight`, `key.weight`, `value.weight`, `output.weight` ([width, width])
/// and their biases. Input `[batch, positions, width]` (or `[positions, width]`), output the same.
public struct MultiHeadAttention: Layer {
    public var query: Linear
    public var key: Linear
    public var value: Linear
    public var output: Linear
    public let heads: Int
    /// When true, position i attends only to positions 0...i.
    public var causal: Bool

    /// - Precondition: `width` is a positive multiple of `heads`.
    public init(width: Int, heads: Int, causal: Bool = false, generator: inout SeededGenerator) {
        precondition(heads > 0 && width > 0 && width % heads == 0, "MultiHeadAttention: width \(width) must split into \(heads) heads")
        // PyTorch's nn.MultiheadAttention starting values, a known-good start: Xavier over the
        // three projections stacked ([3 width, width]), the output projection uniform in
        // +-1/sqrt(width), biases 0.
        let inBound = Float(6.0 / Double(4 * width)).squareRoot(), outBound = 1 / Float(width).squareRoot()
        query = Linear(inputs: width, outputs: width, initializer: .uniform(low: -inBound, high: inBound), generator: &generator)
        key = Linear(inputs: width, outputs: width, initializer: .uniform(low: -inBound, high: inBound), generator: &generator)
        value = Linear(inputs: width, outputs: width, initializer: .uniform(low: -inBound, high: inBound), generator: &generator)
        output = Linear(inputs: width, outputs: width, initializer: .uniform(low: -outBound, high: outBound), generator: &generator)
        self.heads = heads
        self.causal = causal
    }

    public var width: Int { query.outputCount }

    public func forward(_ input: Tensor) -> Tensor { attend(input).output }

    /// The output and each head's attention weights `[batch, heads, positions, positions]`
    /// (without the batch axis for a 2-D input): what a lab draws as attention maps.
    public func attend(_ input: Tensor) -> AttentionResult {
        precondition(input.rank == 2 || input.rank == 3, "MultiHeadAttention wants [batch, positions, width], got \(input.shape)")
        precondition(input.shape.last == width, "MultiHeadAttention of width \(width) given \(input.shape)")
        let x = input.rank == 2 ? input.unsqueezed(at: 0) : input
        let result = attention(query: query(x), key: key(x), value: value(x), heads: heads, causal: causal)
        let mixed = output(result.output)
        if input.rank == 2 { return AttentionResult(output: mixed.squeezed(at: 0), weights: result.weights.squeezed(at: 0)) }
        return AttentionResult(output: mixed, weights: result.weights)
    }

    public mutating func visitParameters(_ visit: (String, inout Tensor) throws -> Void) rethrows {
        try query.visitParameters { try visit("query.\($0)", &$1) }
        try key.visitParameters { try visit("key.\($0)", &$1) }
        try value.visitParameters { try visit("value.\($0)", &$1) }
        try output.visitParameters { try visit("output.\($0)", &$1) }
    }

    /// Floating-point operations of one forward and backward pass over `positions` tokens per
    /// sequence (a count from the shapes, not a measurement): the four projections (2 w^2 per
    /// token each forward, twice that backward) and the attention itself, which grows as
    /// positions^2.
    public static func flops(batch: Int, positions: Int, width: Int, heads: Int) -> (projections: Int, attention: Int) {
        let geometry = AttentionGeometry(batch: batch, heads: heads, queries: positions, keys: positions,
                                         keyWidth: width / heads, valueWidth: width / heads, causal: false)
        let projections = 4 * 3 * 2 * batch * positions * width * width
        return (projections, geometry.forwardFlops + geometry.backwardFlops)
    }
}
