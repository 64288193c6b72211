import MLEngine

/// Throughput of the engine's `gemm` on square float32 matrices, and its time on the skinny
/// products one step of the course's MLP makes.
public enum GEMMBenchmark {
    /// The square sizes reported as `gemm_gflops`.
    public static let squareSizes = [128, 256, 512, 1024]

    /// The three products of one training step of a 1000 -> 256 -> 5 MLP at batch 64:
    /// forward (X W), weight gradient (Xᵀ dH) and input gradient (dH Wᵀ), and the output layer.
    public static let mlpShapes: [GEMMShape] = [
        GEMMShape(m: 64, n: 256, k: 1000, transA: false, transB: false, label: "64x1000·1000x256"),
        GEMMShape(m: 1000, n: 256, k: 64, transA: true, transB: false, label: "(64x1000)ᵀ·64x256"),
        GEMMShape(m: 64, n: 1000, k: 256, transA: false, transB: true, label: "64x256·(1000x256)ᵀ"),
        GEMMShape(m: 64, n: 5, k: 256, transA: false, transB: false, label: "64x256·256x5"),
    ]

    /// `gemm_gflops` for the square sizes, then NumPy's figures measured right after in the same
    /// run: `numpy_gflops`, `gemm_vs_numpy` (ours / NumPy's) and `numpy_kernel` (null when absent).
    @Sendable public static func figures() -> [BenchFigure] {
        let ours = squareSizes.map { size in (size, squareGFLOPS(size: size)) }
        let flops = { (size: Int) in 2 * Double(size) * Double(size) * Double(size) / 1e9 }
        var figures = [
            BenchFigure(key: "gemm_gflops", value: .object(ours.map { (String($0.0), .number($0.1.gflops)) }),
                        unit: "GFLOPS (median)"),
            BenchFigure(key: "gemm_gflops_best", value: .object(ours.map { (String($0.0), .number(flops($0.0) / $0.1.timing.fastest)) }),
                        unit: "GFLOPS (fastest run)"),
            BenchFigure(key: "gemm_spread", value: .object(ours.map { (String($0.0), .number($0.1.timing.relativeSpread)) }),
                        unit: "(slowest - fastest) / 2 median"),
            BenchFigure(key: "gemm_kernel", value: .string(gemmKernelName), unit: ""),
        ]
        switch NumPyBaseline.measure(sizes: squareSizes) {
        case let .measured(gflops, best, kernel):
            let theirs = ours.map { (String($0.0), gflops[$0.0].map(BenchValue.number) ?? .null) }
            let theirBest = ours.map { (String($0.0), best[$0.0].map(BenchValue.number) ?? .null) }
            let ratios = ours.map { size, mine in
                (String(size), gflops[size].map { BenchValue.number(mine.gflops / $0) } ?? .null)
            }
            figures += [
                BenchFigure(key: "numpy_gflops", value: .object(theirs), unit: "GFLOPS (median)"),
                BenchFigure(key: "numpy_gflops_best", value: .object(theirBest), unit: "GFLOPS (fastest run)"),
                BenchFigure(key: "gemm_vs_numpy", value: .object(ratios), unit: "ratio of medians"),
                BenchFigure(key: "numpy_kernel", value: kernel, unit: ""),
            ]
        case let .unavailable(reason):
            figures += [
                BenchFigure(key: "numpy_gflops", value: .null, unit: "GFLOPS (median)"),
                BenchFigure(key: "numpy_gflops_best", value: .null, unit: "GFLOPS (fastest run)"),
                BenchFigure(key: "gemm_vs_numpy", value: .null, unit: "ratio of medians"),
                BenchFigure(key: "numpy_kernel", value: .object([("unavailable", .string(reason))]), unit: ""),
            ]
        }
        return figures
    }

    /// `gemm_mlp_us`: microseconds per call for each product of one MLP training step.
    @Sendable public static func mlpFigures() -> [BenchFigure] {
        let times = mlpShapes.map { ($0.label, BenchValue.number(time($0).median * 1e6)) }
        return [BenchFigure(key: "gemm_mlp_us", value: .object(times), unit: "µs per call (median)")]
    }

    /// Median GFLOPS (2mnk / seconds / 1e9) of `gemm` for C = A B with n x n matrices.
    public static func squareGFLOPS(size: Int, runs: Int = 7) -> (gflops: Double, timing: Timing) {
        let timing = time(GEMMShape(m: size, n: size, k: size, transA: false, transB: false, label: "\(size)"),
                          runs: runs)
        return (2 * Double(size) * Double(size) * Double(size) / timing.median / 1e9, timing)
    }

    /// Times one product shape, repeating short calls so that one run lasts about 20 ms.
    public static func time(_ shape: GEMMShape, runs: Int = 7) -> Timing {
        let aCount = shape.m * shape.k, bCount = shape.k * shape.n
        // Deterministic, non-trivial values (no denormals, no zeros the hardware could skip).
        let a = (0..<aCount).map { Float(($0 * 7919) % 1000) / 1000 - 0.5 }
        let b = (0..<bCount).map { Float(($0 * 104_729) % 1000) / 1000 - 0.5 }
        var c = [Float](repeating: 0, count: shape.m * shape.n)
        return a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    let (pa, pb, pc) = (a.baseAddress!, b.baseAddress!, c.baseAddress!)
                    let call = {
                        gemm(transA: shape.transA, transB: shape.transB, m: shape.m, n: shape.n, k: shape.k,
                             alpha: 1, a: pa, lda: shape.transA ? shape.m : shape.k,
                             b: pb, ldb: shape.transB ? shape.k : shape.n,
                             beta: 0, c: pc, ldc: shape.n)
                    }
                    call()
                    let repetitions = repetitionsFor(target: 0.02, call)
                    return measure(warmUp: 1, runs: runs, repetitions: repetitions, call)
                }
            }
        }
    }
}

/// One product shape for timing: C (m x n) = op(A) (m x k) * op(B) (k x n).
public struct GEMMShape: Sendable {
    public let m: Int, n: Int, k: Int
    public let transA: Bool, transB: Bool
    public let label: String

    public init(m: Int, n: Int, k: Int, transA: Bool, transB: Bool, label: String) {
        self.m = m; self.n = n; self.k = k
        self.transA = transA; self.transB = transB
        self.label = label
    }
}
