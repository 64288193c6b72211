#if canImport(Glibc)
import Glibc
#endif
import Foundation
#if arch(x86_64)
import MLEngineAVX512
#endif

/// A register-blocked micro-kernel and the tile of C it produces.
///
/// The packing and the blocking adapt to `rows` x `columns`; the arithmetic per element of C
/// does not depend on the kernel (a chain of FMAs over the same depth chunks, then
/// `alpha * acc + beta * C` fused), so every kernel gives the same bits.
struct MicroKernel: Sendable {
    typealias Body = @Sendable (_ kc: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                                _ c: UnsafeMutablePointer<Float>, _ ldc: Int,
                                _ alpha: Float, _ beta: Float, _ overwrite: Bool) -> Void
    let name: String
    /// Rows of C one call produces (the height of a packed A panel).
    let rows: Int
    /// Columns of C one call produces (the width of a packed B panel).
    let columns: Int
    let run: Body

    /// 6 x 16 with SIMD8 FMAs: any x86_64 with AVX2 and FMA (the package's baseline).
    static let avx2 = MicroKernel(name: "avx2-6x16", rows: 6, columns: 16) { kc, a, b, c, ldc, alpha, beta, overwrite in
        MicroKernel6x16.run(kc: kc, a: a, b: b, c: c, ldc: ldc, alpha: alpha, beta: beta, overwrite: overwrite)
    }

    #if arch(x86_64)
    /// 8 x 32 with SIMD16 FMAs, compiled separately for AVX-512; twice the width per instruction.
    static let avx512 = MicroKernel(name: "avx512-8x32", rows: 8, columns: 32) { kc, a, b, c, ldc, alpha, beta, overwrite in
        avx512MicroKernel8x32(kc: kc, a: a, b: b, c: c, ldc: ldc, alpha: alpha, beta: beta, overwrite: overwrite)
    }
    #endif

    /// The kernels this processor can run, fastest first.
    static let available: [MicroKernel] = {
        #if arch(x86_64)
        return CPUFeatures.hasAVX512 ? [avx512, avx2] : [avx2]
        #else
        return [avx2]
        #endif
    }()

    /// The kernel `gemm` uses: the fastest available, unless `MLCOURSE_GEMM_KERNEL` names another
    /// ("avx2" forces the baseline, e.g. to compare speeds).
    static let preferred: MicroKernel = {
        if let wanted = ProcessInfo.processInfo.environment["MLCOURSE_GEMM_KERNEL"],
           let match = available.first(where: { $0.name.hasPrefix(wanted) }) {
            return match
        }
        return available[0]
    }()
}

/// The name of the micro-kernel `gemm` uses on this machine ("avx512-8x32" or "avx2-6x16").
public var gemmKernelName: String { MicroKernel.preferred.name }

/// What the processor and operating system support, read once.
enum CPUFeatures {
    /// AVX-512 F, CD, BW, DQ and VL (the Skylake-server set the AVX-512 kernel is compiled for).
    /// Linux lists a flag in /proc/cpuinfo only when the kernel also saves the zmm registers.
    static let hasAVX512: Bool = {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return false }
        let flags = Set(line.split(separator: " ").map(String.init))
        return ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"].allSatisfy(flags.contains)
    }()
}
