/// Two product shapes the packed path serves badly, each done with a plain loop instead.
///
/// The packed path pads op(A)'s rows up to the micro-kernel's height (6 or 8) and packs all of
/// op(B) before multiplying. For a single row of A (m = 1, e.g. d(W_in) = x^T g when each time
/// step carries one number) that is 6 to 8 times the arithmetic plus a full copy of B; for a
/// depth of one (k = 1, an outer product such as x W_in with one input) there is nothing to
/// spread the packing over. Both are memory-bound: one pass over B, or over C, is the best
/// possible, and that is what these loops do.
extension GEMMOperands {
    /// True when `multiplyThin()` handles this product.
    var isThin: Bool { m == 1 || k == 1 }

    /// C = beta C + alpha op(A) op(B) for m == 1 or k == 1.
    func multiplyThin() {
        if k == 1 { multiplyOuterProduct() } else { multiplyRowVector() }
    }

    /// k == 1: row i of C is B's single row scaled by alpha * a_i (added to beta times the old row).
    private func multiplyOuterProduct() {
        // op(B) is 1 x n: contiguous unless B is stored transposed (n x 1, stride ldb).
        let bRow = UnsafeMutablePointer<Float>.allocate(capacity: n)
        defer { bRow.deallocate() }
        for j in 0..<n { bRow[j] = transB ? b[j * ldb] : b[j] }
        for i in 0..<m {
            let scale = alpha * (transA ? a[i] : a[i * lda])
            let row = c + i * ldc
            if beta == 0 {
                for j in 0..<n { row[j] = scale * bRow[j] }
            } else if beta == 1 {
                for j in 0..<n { row[j] = row[j].addingProduct(scale, bRow[j]) }
            } else {
                for j in 0..<n { row[j] = (beta * row[j]).addingProduct(scale, bRow[j]) }
            }
        }
    }

    /// m == 1: C's one row is a weighted sum of B's rows (B as stored) or, with B transposed,
    /// n dot products of A's row with B's rows.
    private func multiplyRowVector() {
        let sums = UnsafeMutablePointer<Float>.allocate(capacity: n)
        defer { sums.deallocate() }
        sums.initialize(repeating: 0, count: n)
        // op(A) is 1 x k: contiguous unless A is stored transposed (k x 1, stride lda).
        let aStride = transA ? lda : 1
        if transB {
            for j in 0..<n { sums[j] = dot(b + j * ldb, aStride: aStride) }
        } else {
            for p in 0..<k {
                let weight = a[p * aStride], bRow = b + p * ldb
                for j in 0..<n { sums[j] = sums[j].addingProduct(weight, bRow[j]) }
            }
        }
        for j in 0..<n {
            let old = beta == 0 ? 0 : beta * c[j]
            c[j] = old.addingProduct(alpha, sums[j])
        }
    }

    /// A's one row (stride `aStride`) dotted with k contiguous values of B: eight running sums,
    /// so the additions do not wait on each other one by one.
    private func dot(_ bRow: UnsafePointer<Float>, aStride: Int) -> Float {
        var p = 0
        var lanes = SIMD8<Float>()
        if aStride == 1 {
            while p + 8 <= k {
                let x = UnsafeRawPointer(a + p).loadUnaligned(as: SIMD8<Float>.self)
                let y = UnsafeRawPointer(bRow + p).loadUnaligned(as: SIMD8<Float>.self)
                lanes = lanes.addingProduct(x, y)
                p += 8
            }
        }
        var sum = lanes.sum()
        while p < k {
            sum = sum.addingProduct(a[p * aStride], bRow[p])
            p += 1
        }
        return sum
    }
}
