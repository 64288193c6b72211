/// The innermost loop of the GEMM on AVX2: a 6 x 16 block of C kept in twelve SIMD8 registers.
///
/// Per step of k it loads one row of the packed B panel (two SIMD8), broadcasts six values of
/// the packed A panel and issues twelve fused multiply-adds. On AVX2 that is 12 accumulators +
/// 2 B vectors + 1 broadcast = 15 of the 16 ymm registers, the classic Haswell shape.
enum MicroKernel6x16 {
    /// Computes `acc = sum over p < kc of A[:, p] * B[p, :]` for one 6 x 16 tile, then writes
    /// `C = alpha * acc + beta * C` (or `C = alpha * acc` when `overwrite`, ignoring old C).
    ///
    /// - Parameters:
    ///   - a: packed A panel, `kc` groups of 6 floats (column p of the 6 rows).
    ///   - b: packed B panel, `kc` groups of 16 floats, 32-byte aligned.
    ///   - c: top-left of the 6 x 16 tile in C, row stride `ldc`.
    @inline(__always)
    static func run(kc: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                    c: UnsafeMutablePointer<Float>, ldc: Int,
                    alpha: Float, beta: Float, overwrite: Bool) {
        var c00 = SIMD8<Float>(), c01 = SIMD8<Float>()
        var c10 = SIMD8<Float>(), c11 = SIMD8<Float>()
        var c20 = SIMD8<Float>(), c21 = SIMD8<Float>()
        var c30 = SIMD8<Float>(), c31 = SIMD8<Float>()
        var c40 = SIMD8<Float>(), c41 = SIMD8<Float>()
        var c50 = SIMD8<Float>(), c51 = SIMD8<Float>()
        var pa = a
        var pb = UnsafeRawPointer(b)
        for _ in 0..<kc {
            let b0 = pb.load(as: SIMD8<Float>.self)
            let b1 = pb.load(fromByteOffset: 32, as: SIMD8<Float>.self)
            var x = SIMD8<Float>(repeating: pa[0])
            c00 = c00.addingProduct(x, b0); c01 = c01.addingProduct(x, b1)
            x = SIMD8<Float>(repeating: pa[1])
            c10 = c10.addingProduct(x, b0); c11 = c11.addingProduct(x, b1)
            x = SIMD8<Float>(repeating: pa[2])
            c20 = c20.addingProduct(x, b0); c21 = c21.addingProduct(x, b1)
            x = SIMD8<Float>(repeating: pa[3])
            c30 = c30.addingProduct(x, b0); c31 = c31.addingProduct(x, b1)
            x = SIMD8<Float>(repeating: pa[4])
            c40 = c40.addingProduct(x, b0); c41 = c41.addingProduct(x, b1)
            x = SIMD8<Float>(repeating: pa[5])
            c50 = c50.addingProduct(x, b0); c51 = c51.addingProduct(x, b1)
            pa += 6
            pb += 64
        }
        store(c00, c01, to: c, alpha: alpha, beta: beta, overwrite: overwrite)
        store(c10, c11, to: c + ldc, alpha: alpha, beta: beta, overwrite: overwrite)
        store(c20, c21, to: c + 2 * ldc, alpha: alpha, beta: beta, overwrite: overwrite)
        store(c30, c31, to: c + 3 * ldc, alpha: alpha, beta: beta, overwrite: overwrite)
        store(c40, c41, to: c + 4 * ldc, alpha: alpha, beta: beta, overwrite: overwrite)
        store(c50, c51, to: c + 5 * ldc, alpha: alpha, beta: beta, overwrite: overwrite)
    }

    /// Writes one 16-wide row of the tile: `C = alpha * acc + beta * C`, one rounding for the add.
    @inline(__always)
    static func store(_ lo: SIMD8<Float>, _ hi: SIMD8<Float>, to c: UnsafeMutablePointer<Float>,
                      alpha: Float, beta: Float, overwrite: Bool) {
        let raw = UnsafeMutableRawPointer(c)
        let scale = SIMD8<Float>(repeating: alpha)
        if overwrite {
            raw.storeBytes(of: scale * lo, as: SIMD8<Float>.self)
            raw.storeBytes(of: scale * hi, toByteOffset: 32, as: SIMD8<Float>.self)
        } else {
            let keep = SIMD8<Float>(repeating: beta)
            let old0 = raw.loadUnaligned(as: SIMD8<Float>.self)
            let old1 = raw.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
            raw.storeBytes(of: (keep * old0).addingProduct(scale, lo), as: SIMD8<Float>.self)
            raw.storeBytes(of: (keep * old1).addingProduct(scale, hi), toByteOffset: 32, as: SIMD8<Float>.self)
        }
    }
}
