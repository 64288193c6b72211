/// A right-hand GEMM operand packed once and multiplied many times.
///
/// `gemm` packs op(B) on every call, which is right when B changes between calls. A recurrent
/// cell multiplies by the same W_mem at every time step: packing it once per unroll instead of
/// once per step removes T - 1 identical copies (for an LSTM with 64 memory slots over 100 steps,
/// a sixth of the training step). The layout is exactly the one `gemm` builds, so a product
/// through this operand runs the same tiles, in the same order, as `gemm` would.
///
/// `@unchecked Sendable`: the panels are written by `init` only and read afterwards.
final class PackedRightOperand: @unchecked Sendable {
    /// op(B) is k x n.
    let k: Int, n: Int
    /// n rounded up to whole kernel panels.
    let paddedN: Int
    let kernel: MicroKernel
    /// Depth chunk q (rows p0 ..< p0 + depth of op(B)) of column panel j sits at
    /// `p0 * paddedN + j * kernel.columns * depth`.
    let panels: UnsafeMutablePointer<Float>

    init(transposed: Bool, b: UnsafePointer<Float>, ldb: Int, k: Int, n: Int, kernel: MicroKernel = .preferred) {
        precondition(k > 0 && n > 0, "a packed operand needs k > 0 and n > 0, got k=\(k) n=\(n)")
        precondition(ldb >= (transposed ? k : n), "packed operand: ldb=\(ldb) too small for op(B) \(k)x\(n)")
        self.k = k
        self.n = n
        self.kernel = kernel
        let columnPanels = (n + kernel.columns - 1) / kernel.columns
        paddedN = columnPanels * kernel.columns
        panels = .allocateAligned(count: paddedN * k)
        for panel in 0..<columnPanels {
            let col0 = panel * kernel.columns
            for p0 in stride(from: 0, to: k, by: GEMMPlan.depthChunk) {
                let depth = min(GEMMPlan.depthChunk, k - p0)
                Packing.packB(width: kernel.columns, transposed: transposed, b: b, ldb: ldb, col0: col0,
                              cols: min(kernel.columns, n - col0), p0: p0, kc: depth,
                              into: panels + p0 * paddedN + panel * kernel.columns * depth)
            }
        }
    }

    deinit { panels.deallocate() }

    /// C = A op(B) + beta C on the caller's thread, A being m x k row-major with row stride lda.
    /// Only A is packed here; when beta == 0 the old contents of C are never read.
    func multiply(m: Int, a: UnsafePointer<Float>, lda: Int, beta: Float,
                  into c: UnsafeMutablePointer<Float>, ldc: Int) {
        precondition(m >= 0 && lda >= k && ldc >= n, "packed product: m=\(m) lda=\(lda) ldc=\(ldc) for op(B) \(k)x\(n)")
        if m == 0 { return }
        let operands = GEMMOperands(transA: false, transB: false, m: m, n: n, k: k, alpha: 1,
                                    a: a, lda: lda, b: panels, ldb: n, beta: beta, c: c, ldc: ldc)
        operands.multiply(packedB: self)
    }
}
