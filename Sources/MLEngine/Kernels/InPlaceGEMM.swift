import Dispatch
#if arch(x86_64)
import MLEngineAVX512
#endif

/// A matrix product whose operands are read where they lie.
///
/// The packed GEMM copies op(A) and op(B) into panels first. For a convolution that copy is most
/// of the work: B is the im2col matrix, and every one of its rows is a stretch of the signal
/// already in memory (channel c, shifted by tap j). Here A is described by two strides and B by
/// the address of each row, so nothing is copied except the ragged edge tiles, and the
/// micro-kernel streams straight from the signal. `gemm` uses it too, for products one column
/// panel wide, where packing would copy all of A for a single pass over it.
///
/// Per element of C the arithmetic is the packed path's exactly: an FMA chain over each depth
/// chunk of `GEMMPlan.depthChunk`, chunks added in order, `alpha * acc + beta * C` fused. So a
/// convolution gives the same bits whichever path computes it (the tests compare them).
struct InPlaceOperands: @unchecked Sendable {   // threads read A and B and write disjoint rows of C
    let m: Int, n: Int, k: Int
    /// A[i, p] = a[i * aRowStride + p * aDepthStride].
    let a: UnsafePointer<Float>, aRowStride: Int, aDepthStride: Int
    /// Row p of B starts at b + bRowOffsets[p]; a full 32-column panel at column j0 reads
    /// b + bRowOffsets[p] + j0 ..< + 32, which must lie in memory (ragged panels are copied).
    let b: UnsafePointer<Float>, bRowOffsets: UnsafePointer<Int>
    let alpha: Float
    let beta: Float
    let c: UnsafeMutablePointer<Float>, ldc: Int

    init(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, aRowStride: Int, aDepthStride: Int,
         b: UnsafePointer<Float>, bRowOffsets: UnsafePointer<Int>, alpha: Float = 1, beta: Float,
         c: UnsafeMutablePointer<Float>, ldc: Int) {
        (self.m, self.n, self.k) = (m, n, k)
        (self.a, self.aRowStride, self.aDepthStride) = (a, aRowStride, aDepthStride)
        (self.b, self.bRowOffsets) = (b, bRowOffsets)
        (self.alpha, self.beta, self.c, self.ldc) = (alpha, beta, c, ldc)
    }

    /// The same product restricted to rows `rows` of C (and of op(A)).
    func rows(_ rows: Range<Int>) -> InPlaceOperands {
        InPlaceOperands(m: rows.count, n: n, k: k, a: a + rows.lowerBound * aRowStride, aRowStride: aRowStride,
                        aDepthStride: aDepthStride, b: b, bRowOffsets: bRowOffsets, alpha: alpha, beta: beta,
                        c: c + rows.lowerBound * ldc, ldc: ldc)
    }

    /// True when this processor has the in-place kernel and `gemm` would take its packed path
    /// for an m x n x k product (the tiny and thin shapes use other loops, with other bits).
    static func applies(m: Int, n: Int, k: Int) -> Bool {
        #if arch(x86_64)
        return MicroKernel.preferred.name == MicroKernel.avx512.name && m * n * k > GEMMPlan.naiveLimit && m > 1 && k > 1
        #else
        return false
        #endif
    }

    /// C = alpha op(A) B + beta C, on the caller's thread (convolutions spread samples over the cores).
    func multiply() {
        #if arch(x86_64)
        let height = 8, width = 32, kc = GEMMPlan.depthChunk
        let edgeA = UnsafeMutablePointer<Float>.allocate(capacity: height * kc)
        let edgeB = UnsafeMutablePointer<Float>.allocate(capacity: kc * width)
        let edgeOffsets = UnsafeMutablePointer<Int>.allocate(capacity: kc)
        let edgeC = UnsafeMutablePointer<Float>.allocate(capacity: height * width)
        defer { edgeA.deallocate(); edgeB.deallocate(); edgeOffsets.deallocate(); edgeC.deallocate() }
        for p in 0..<kc { edgeOffsets[p] = p * width }

        for col0 in stride(from: 0, to: n, by: width) {
            let cols = min(width, n - col0)
            for p0 in stride(from: 0, to: k, by: kc) {
                let depth = min(kc, k - p0)
                // Later depth chunks add onto what the earlier ones wrote (as in the packed path).
                let first = p0 == 0
                let overwrite = first && beta == 0
                let keep: Float = first ? beta : 1
                var panel = b + col0, offsets = UnsafePointer(bRowOffsets + p0)
                if cols < width {
                    // A ragged right edge: copy its columns, zero-padded, so no read runs past B.
                    edgeB.initialize(repeating: 0, count: depth * width)
                    for p in 0..<depth { (edgeB + p * width).update(from: b + bRowOffsets[p0 + p] + col0, count: cols) }
                    panel = UnsafePointer(edgeB)
                    offsets = UnsafePointer(edgeOffsets)
                }
                for row0 in stride(from: 0, to: m, by: height) {
                    let rows = min(height, m - row0)
                    var aPanel = a + row0 * aRowStride + p0 * aDepthStride
                    var (rowStride, depthStride) = (aRowStride, aDepthStride)
                    if rows < height {
                        // A ragged bottom edge: copy its rows, zero-padded, as a packed panel.
                        edgeA.initialize(repeating: 0, count: depth * height)
                        for p in 0..<depth {
                            for i in 0..<rows { edgeA[p * height + i] = aPanel[i * aRowStride + p * aDepthStride] }
                        }
                        aPanel = UnsafePointer(edgeA)
                        (rowStride, depthStride) = (1, height)
                    }
                    let target = c + row0 * ldc + col0
                    if rows == height && cols == width {
                        avx512InPlaceMicroKernel8x32(kc: depth, a: aPanel, aRowStride: rowStride, aDepthStride: depthStride,
                                                     b: panel, bRowOffsets: offsets, c: target, ldc: ldc,
                                                     alpha: alpha, beta: keep, overwrite: overwrite)
                    } else {
                        // Edge tile: the same kernel on a full-size scratch copy of C.
                        edgeC.initialize(repeating: 0, count: height * width)
                        if !overwrite {
                            for i in 0..<rows { (edgeC + i * width).update(from: target + i * ldc, count: cols) }
                        }
                        avx512InPlaceMicroKernel8x32(kc: depth, a: aPanel, aRowStride: rowStride, aDepthStride: depthStride,
                                                     b: panel, bRowOffsets: offsets, c: edgeC, ldc: width,
                                                     alpha: alpha, beta: keep, overwrite: overwrite)
                        for i in 0..<rows { (target + i * ldc).update(from: edgeC + i * width, count: cols) }
                    }
                }
            }
        }
        #else
        preconditionFailure("InPlaceOperands.multiply needs the AVX-512 kernel; check applies(m:n:k:) first")
        #endif
    }
}

#if arch(x86_64)
extension GEMMOperands {
    /// True for a product one column panel wide (n <= 32) with B as stored, on the AVX-512
    /// kernel: attention's weights x V and its gradients, a layer with a few outputs. Packing
    /// would copy all of op(A) for a single pass over it; read in place, A is only streamed.
    func servesInPlace(kernel: MicroKernel) -> Bool {
        kernel.name == MicroKernel.avx512.name && !transB && n <= 32
    }

    /// The product through `InPlaceOperands`, rows split over up to `threads` threads in fixed
    /// blocks of whole 8-row panels (each element's arithmetic is the same whatever the split).
    func multiplyInPlace(threads: Int) {
        let rowStarts = (0..<k).map { $0 * ldb }
        rowStarts.withUnsafeBufferPointer { table in
            let whole = InPlaceOperands(m: m, n: n, k: k, a: a, aRowStride: transA ? 1 : lda, aDepthStride: transA ? lda : 1,
                                        b: b, bRowOffsets: table.baseAddress!, alpha: alpha, beta: beta, c: c, ldc: ldc)
            let panels = (m + 7) / 8
            guard threads > 1 && panels > 1 else { return whole.multiply() }
            let blocks = min(panels, threads * 4)
            DispatchQueue.concurrentPerform(iterations: blocks) { block in
                let first = block * panels / blocks * 8, end = min(m, (block + 1) * panels / blocks * 8)
                whole.rows(first..<end).multiply()
            }
        }
    }
}
#endif
