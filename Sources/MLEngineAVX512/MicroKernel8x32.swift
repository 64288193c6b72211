// The GEMM micro-kernel for AVX-512, in a module of its own because Swift picks the instruction
// set per module: this one is compiled with -target-cpu skylake-avx512, MLEngine with haswell.
// MLEngine calls it only after checking that the processor has AVX-512, so the package still
// runs on every AVX2 machine.
#if arch(x86_64)

/// C (8 x 32 tile) = alpha * sum over p < kc of A[:, p] * B[p, :] + beta * C, with sixteen
/// SIMD16 accumulators (zmm registers). `overwrite` means beta == 0: C is not read.
///
/// Same arithmetic per element as the AVX2 kernel (an FMA chain over p, then one fused
/// `alpha * acc + beta * C`), so both give identical bits.
/// - Parameters:
///   - a: packed A panel, `kc` groups of 8 floats.
///   - b: packed B panel, `kc` groups of 32 floats, 64-byte aligned.
@inline(never)
public func avx512MicroKernel8x32(kc: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
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
    var pa = a
    var pb = UnsafeRawPointer(b)
    for _ in 0..<kc {
        let b0 = pb.load(as: SIMD16<Float>.self)
        let b1 = pb.load(fromByteOffset: 64, as: SIMD16<Float>.self)
        var x = SIMD16<Float>(repeating: pa[0])
        c00 = c00.addingProduct(x, b0); c01 = c01.addingProduct(x, b1)
        x = SIMD16<Float>(repeating: pa[1])
        c10 = c10.addingProduct(x, b0); c11 = c11.addingProduct(x, b1)
        x = SIMD16<Float>(repeating: pa[2])
        c20 = c20.addingProduct(x, b0); c21 = c21.addingProduct(x, b1)
        x = SIMD16<Float>(repeating: pa[3])
        c30 = c30.addingProduct(x, b0); c31 = c31.addingProduct(x, b1)
        x = SIMD16<Float>(repeating: pa[4])
        c40 = c40.addingProduct(x, b0); c41 = c41.addingProduct(x, b1)
        x = SIMD16<Float>(repeating: pa[5])
        c50 = c50.addingProduct(x, b0); c51 = c51.addingProduct(x, b1)
        x = SIMD16<Float>(repeating: pa[6])
        c60 = c60.addingProduct(x, b0); c61 = c61.addingProduct(x, b1)
        x = SIMD16<Float>(repeating: pa[7])
        c70 = c70.addingProduct(x, b0); c71 = c71.addingProduct(x, b1)
        pa += 8
        pb += 128
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

/// One 32-wide row of the tile: `C = alpha * acc + beta * C` (or `alpha * acc`). Shared with
/// the in-place kernel, so the two write C the same way.
@inline(__always)
func store(_ lo: SIMD16<Float>, _ hi: SIMD16<Float>, _ c: UnsafeMutablePointer<Float>,
                   _ alpha: Float, _ beta: Float, _ overwrite: Bool) {
    let raw = UnsafeMutableRawPointer(c)
    let scale = SIMD16<Float>(repeating: alpha)
    if overwrite {
        raw.storeBytes(of: scale * lo, as: SIMD16<Float>.self)
        raw.storeBytes(of: scale * hi, toByteOffset: 64, as: SIMD16<Float>.self)
    } else {
        let keep = SIMD16<Float>(repeating: beta)
        let old0 = raw.loadUnaligned(as: SIMD16<Float>.self)
        let old1 = raw.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)
        raw.storeBytes(of: (keep * old0).addingProduct(scale, lo), as: SIMD16<Float>.self)
        raw.storeBytes(of: (keep * old1).addingProduct(scale, hi), toByteOffset: 64, as: SIMD16<Float>.self)
    }
}

#endif
