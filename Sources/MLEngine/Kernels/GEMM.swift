/// General matrix multiply: C = alpha * op(A) * op(B) + beta * C, row-major.
///
/// Skeleton with the stable signature; the engine's kernel work replaces the body with a packed,
/// SIMD, two-core implementation. `op(X)` is X or its transpose as the flag says.
/// - Parameters: m, n, k: C is m x n, op(A) is m x k, op(B) is k x n; lda, ldb, ldc: row strides.
public func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                 alpha: Float, a: UnsafePointer<Float>, lda: Int,
                 b: UnsafePointer<Float>, ldb: Int,
                 beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
    for i in 0..<m {
        for j in 0..<n {
            var sum: Float = 0
            for p in 0..<k {
                let av = transA ? a[p * lda + i] : a[i * lda + p]
                let bv = transB ? b[j * ldb + p] : b[p * ldb + j]
                sum += av * bv
            }
            c[i * ldc + j] = alpha * sum + (beta == 0 ? 0 : beta * c[i * ldc + j])
        }
    }
}
