/// Matrix products, all through `gemm`. The backward of C = op(A) op(B) is two more products
/// with transposes folded into the gemm flags, so no transposed copy is ever made.
///
/// - 2-D: [m, k] x [k, n] -> [m, n].
/// - Batched: [..., m, k] x [..., k, n] with equal batch dimensions.
/// - Shared right matrix: [..., m, k] x [k, n] (the batch is folded into the rows).
public func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
    precondition(a.rank >= 2 && b.rank >= 2, "matmul needs matrices, got shapes \(a.shape) and \(b.shape)")
    if a.rank > 2 && b.rank == 2 && !transposeA {
        let k = a.shape[a.rank - 1]
        let flat = matmul(a.reshaped([-1, k]), b, transposeB: transposeB)
        return flat.reshaped(Array(a.shape.dropLast()) + [flat.shape[1]])
    }
    precondition(a.rank == b.rank && a.shape.dropLast(2) == b.shape.dropLast(2),
                 "matmul batch dimensions differ: \(a.shape) and \(b.shape)")
    let ar = a.shape[a.rank - 2], ac = a.shape[a.rank - 1]
    let br = b.shape[b.rank - 2], bc = b.shape[b.rank - 1]
    let (m, k) = transposeA ? (ac, ar) : (ar, ac)
    let (k2, n) = transposeB ? (bc, br) : (br, bc)
    precondition(k == k2, "matmul inner dimensions differ: \(a.shape)\(transposeA ? "ᵀ" : "") x \(b.shape)\(transposeB ? "ᵀ" : "")")
    let batch = a.shape.dropLast(2).reduce(1, *)
    let pa = a.storage.pointer, pb = b.storage.pointer
    let y = Tensor(shape: Array(a.shape.dropLast(2)) + [m, n]) { out in
        if k == 0 { out.initialize(repeating: 0, count: batch * m * n); return }
        for i in 0..<batch {
            gemm(transA: transposeA, transB: transposeB, m: m, n: n, k: k, alpha: 1,
                 a: pa + i * ar * ac, lda: ac, b: pb + i * br * bc, ldb: bc,
                 beta: 0, c: out + i * m * n, ldc: n)
        }
    }
    return Tensor.differentiable(y, op: "matmul", inputs: [a, b]) { g in
        let da: Tensor?, db: Tensor?
        switch (transposeA, transposeB) {
        case (false, false):
            da = a.requiresGrad ? matmul(g, b, transposeB: true) : nil
            db = b.requiresGrad ? matmul(a, g, transposeA: true) : nil
        case (true, false):
            da = a.requiresGrad ? matmul(b, g, transposeB: true) : nil
            db = b.requiresGrad ? matmul(a, g) : nil
        case (false, true):
            da = a.requiresGrad ? matmul(g, b) : nil
            db = b.requiresGrad ? matmul(g, a, transposeA: true) : nil
        case (true, true):
            da = a.requiresGrad ? matmul(b, g, transposeA: true, transposeB: true) : nil
            db = b.requiresGrad ? matmul(g, a, transposeA: true, transposeB: true) : nil
        }
        return [da, db]
    }
}

extension Tensor {
    /// Matrix product, see `matmul(_:_:transposeA:transposeB:)`.
    public func matmul(_ other: Tensor) -> Tensor { MLEngine.matmul(self, other) }
}
