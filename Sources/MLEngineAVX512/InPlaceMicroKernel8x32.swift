// The GEMM micro-kernel again, reading A and B where they already lie instead of from packed
// panels. A convolution's "column matrix" is the signal itself, shifted by each tap: row (c, j)
// of it is channel c starting j samples later. Packing would copy those rows first; this kernel
// is told each row's address instead, so a convolution multiplies without building the matrix.
#if arch(x86_64)

/// C (8 x 32 tile) = alpha * sum over p < kc of A[i, p] * B[p, 0 ..< 32] + beta * C, with A and
/// B read in place. The arithmetic per element is exactly `avx512MicroKernel8x32`'s (an FMA
/// chain over p from zero, then one fused `alpha * acc + beta * C`), so both give the same bits.
/// - Parameters:
///   - a: A[i, p] is `a[i * aRowStride + p * aDepthStride]` for i < 8.
///   - b: row p of B is the 32 floats at `b + bRowOffsets[p]` (any alignment).
@inline(never)
public func avx512InPlaceMicroKernel8x32(kc: Int, a: UnsafePointer<Float>, aRowStride: Int, aDepthStride: Int,
                                         b: UnsafePointer<Float>, bRowOffsets: UnsafePointer<Int>,
                                         c: UnsafeMutablePointer<Float>, ldc: Int,
                                         alpha: Float, beta: Float, overwrite: Bool) {
    var c00 = SIMD16<Float>(), c01 = SIMD16<Float>()
    var c10 = SIMD16<Float>(), c11 = SIMD16<Float>()
    var c20 = SIMD16<Float>(), c21 = SIMD16<Float>()
    var c30 = SIMD16<Float>(), c31 = SIMD16<Float>()
    var c40 = SIMD16<Float>(), c41 = SIMD16<Float>()
    var c50 = SIMD16<Float>(), c51 = SIMD16<Float>()
    var c60 = SIMD16<Float>(), c61 = SIMD16<Float>()
    var c70 = SIMD16<Float>(), c71 = SIMD16<Float>()
    // Rows 0-3 and 4-7 from two pointers at offsets 0, r, 2r, 3r: eight independent addresses
    // per step, none waiting on another's arithmetic.
    let r1 = aRowStride, r2 = aRowStride &* 2, r3 = aRowStride &* 3
    var top = a, bottom = a + 4 &* aRowStride
    for p in 0..<kc {
        let row = UnsafeRawPointer(b + bRowOffsets[p])
        let b0 = row.loadUnaligned(as: SIMD16<Float>.self)
        let b1 = row.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)
        var x = SIMD16<Float>(repeating: top[0])
        c00 = c00.addingProduct(x, b0); c01 = c01.addingProduct(x, b1)
        x = SIMD16<Float>(repeating: top[r1])
        c10 = c10.addingProduct(x, b0); c11 = c11.addingProduct(x, b1)
        x = SIMD16<Float>(repeating: top[r2])
        c20 = c20.addingProduct(x, b0); c21 = c21.addingProduct(x, b1)
        x = SIMD16<Float>(repeating: top[r3])
        c30 = c30.addingProduct(x, b0); c31 = c31.addingProduct(x, b1)
        x = SIMD16<Float>(repeating: bottom[0])
        c40 = c40.addingProduct(x, b0); c41 = c41.addingProduct(x, b1)
        x = SIMD16<Float>(repeating: bottom[r1])
        c50 = c50.addingProduct(x, b0); c51 = c51.addingProduct(x, b1)
        x = SIMD16<Float>(repeating: bottom[r2])
        c60 = c60.addingProduct(x, b0); c61 = c61.addingProduct(x, b1)
        x = SIMD16<Float>(repeating: bottom[r3])
        c70 = c70.addingProduct(x, b0); c71 = c71.addingProduct(x, b1)
        top += aDepthStride
        bottom += aDepthStride
    }
    store(c00, c01, c, alpha, beta, overwrite)
    store(c10, c11, c + ldc, alpha, beta, overwrite)
    store(c20, c21, c + 2 * ldc, alpha, beta, overwrite)
    store(c30, c31, c + 3 * ldc, alpha, beta, overwrite)
    store(c40, c41, c + 4 * ldc, alpha, beta, overwrite)
    store(c50, c51, c + 5 * ldc, alpha, beta, overwrite)
    store(c60, c61, c + 6 * ldc, alpha, beta, overwrite)
    store(c70, c71, c + 7 * ldc, alpha, beta, overwrite)
}

#endif
