import Testing
@testable import MLEngine

/// One GEMM problem with its operands stored as the flags say, plus a Double reference answer.
private struct GEMMCase: CustomStringConvertible, Sendable {
    let transA: Bool, transB: Bool
    let m: Int, n: Int, k: Int
    let lda: Int, ldb: Int, ldc: Int
    let alpha: Float, beta: Float
    let a: [Float], b: [Float], c: [Float]

    init(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, padding: Int = 0,
         alpha: Float = 1, beta: Float = 0, seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        self.transA = transA; self.transB = transB
        self.m = m; self.n = n; self.k = k
        self.alpha = alpha; self.beta = beta
        // Stored A is m x k, or k x m when transposed; the same for B. Padding widens the strides.
        lda = max(1, transA ? m : k) + padding
        ldb = max(1, transB ? k : n) + padding
        ldc = n + padding
        a = (0..<((transA ? k : m) * lda)).map { _ in rng.uniform(Float(-1), 1) }
        b = (0..<((transB ? n : k) * ldb)).map { _ in rng.uniform(Float(-1), 1) }
        c = (0..<(m * ldc)).map { _ in rng.uniform(Float(-1), 1) }
    }

    var description: String {
        "\(transA ? "Aᵀ" : "A")·\(transB ? "Bᵀ" : "B") m=\(m) n=\(n) k=\(k) lda=\(lda) ldb=\(ldb) ldc=\(ldc) α=\(alpha) β=\(beta)"
    }

    /// alpha * op(A) * op(B) + beta * C in Double, straight from the definition.
    func reference() -> [Double] {
        var out = c.map(Double.init)
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                for p in 0..<k {
                    let x = transA ? a[p * lda + i] : a[i * lda + p]
                    let y = transB ? b[j * ldb + p] : b[p * ldb + j]
                    sum += Double(x) * Double(y)
                }
                out[i * ldc + j] = Double(alpha) * sum + (beta == 0 ? 0 : Double(beta) * Double(c[i * ldc + j]))
            }
        }
        return out
    }

    func run(threads: Int, initialC: [Float]? = nil, kernel: MicroKernel = .preferred) -> [Float] {
        var out = initialC ?? c
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                out.withUnsafeMutableBufferPointer { out in
                    gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                         a: a.baseAddress!, lda: lda, b: b.baseAddress!, ldb: ldb,
                         beta: beta, c: out.baseAddress!, ldc: ldc, threads: threads, kernel: kernel)
                }
            }
        }
        return out
    }

    /// Every element of C (padding included, which must be untouched) within a k-scaled bound.
    func check(_ result: [Float], sourceLocation: SourceLocation = #_sourceLocation) {
        let expected = reference()
        // Each product of two values in [-1, 1] rounds by at most 2^-24; summing k of them in
        // Float adds at most k such errors. 4x margin, plus alpha/beta scaling.
        let tolerance = 4 * Double(k + 2) * Double(Float.ulpOfOne) * Double(max(1, abs(alpha)) + abs(beta))
        var worst = 0.0
        for index in expected.indices {
            let column = index % ldc
            if column >= n {
                #expect(result[index] == c[index], "padding of C changed at \(index) in \(self)",
                        sourceLocation: sourceLocation)
            } else {
                worst = max(worst, abs(Double(result[index]) - expected[index]))
            }
        }
        #expect(worst <= tolerance, "max error \(worst) > \(tolerance) in \(self)", sourceLocation: sourceLocation)
    }
}

@Suite struct GEMMTests {
    static let transposes = [(false, false), (true, false), (false, true), (true, true)]

    @Test func packingBuffersAreReusedAndFitTheRequest() {
        let cache = PackingBufferCache()
        let first = cache.take(count: 1000)
        #expect(first.count >= 1000 && Int(bitPattern: first.address) % 64 == 0)
        cache.give(back: first)
        #expect(cache.take(count: 500).address == first.address, "a big-enough idle buffer is reused")
        let bigger = cache.take(count: 5000)
        #expect(bigger.count >= 5000 && bigger.address != first.address)
        let huge = cache.take(count: 5 << 20)
        cache.give(back: huge)
        // Kept, it would be the only idle buffer and so serve any request.
        #expect(cache.take(count: 10).address != huge.address, "buffers above 16 MB are not kept")
    }

    @Test func concurrentCallersGetCorrectResults() async {
        // Callers on different threads share the packing-buffer cache; none may see another's panels.
        let problems = (0..<6).map { GEMMCase(transA: $0 % 2 == 1, transB: $0 % 3 == 0, m: 40 + $0, n: 70, k: 300, seed: UInt64($0)) }
        let expected = problems.map { $0.run(threads: 1) }
        await withTaskGroup(of: (Int, [Float]).self) { group in
            for (index, problem) in problems.enumerated() {
                group.addTask { (index, problem.run(threads: 2)) }
            }
            for await (index, result) in group {
                #expect(result == expected[index], "concurrent call \(index) differs")
            }
        }
    }

    @Test func theBaselineKernelIsAlwaysAvailable() {
        #expect(MicroKernel.available.contains { $0.name == MicroKernel.avx2.name })
        #expect(gemmKernelName == MicroKernel.preferred.name)
    }

    @Test(arguments: [(1, 1, 1), (1, 7, 3), (7, 1, 5), (2, 3, 4), (6, 16, 1), (7, 17, 33), (33, 7, 129),
                      (129, 33, 7), (64, 5, 256), (13, 300, 70), (100, 100, 300), (65, 257, 513)])
    func matchesTheDoubleReferenceForAllTransposes(shape: (Int, Int, Int)) {
        for (index, flags) in Self.transposes.enumerated() {
            let problem = GEMMCase(transA: flags.0, transB: flags.1, m: shape.0, n: shape.1, k: shape.2,
                                   seed: UInt64(shape.0 * 1_000_003 + shape.1 * 1009 + shape.2 + index))
            problem.check(problem.run(threads: 2))
        }
    }

    // (700, 16, 300) and (1100, 32, 300) are one column panel wide: on AVX-512 they read A in
    // place (InPlaceGEMM.swift), the second on two threads; they must still match the others.
    @Test(arguments: [(1, 1, 300), (7, 33, 5), (64, 96, 600), (300, 40, 64), (64, 5, 256), (65, 129, 513),
                      (700, 16, 300), (1100, 32, 300), (37, 3, 600)])
    func everyKernelOnThisMachineGivesTheSameBits(shape: (Int, Int, Int)) {
        // The kernels differ in tile shape only; the arithmetic per element is the same, so a
        // checkpoint trained on an AVX-512 machine replays bit for bit on an AVX2 one.
        for (index, flags) in Self.transposes.enumerated() {
            let problem = GEMMCase(transA: flags.0, transB: flags.1, m: shape.0, n: shape.1, k: shape.2,
                                   padding: 2, alpha: 0.75, beta: -0.5, seed: UInt64(31 + index))
            let results = MicroKernel.available.map { problem.run(threads: 2, kernel: $0) }
            problem.check(results[0])
            for (kernel, result) in zip(MicroKernel.available, results).dropFirst() {
                #expect(result.map(\.bitPattern) == results[0].map(\.bitPattern),
                        "\(kernel.name) differs from \(MicroKernel.available[0].name) for \(problem)")
            }
        }
    }

    @Test(arguments: [(1, 90, 300), (1, 7, 2500), (1, 1, 3000), (300, 40, 1), (130, 33, 1), (3, 900, 1)])
    func aSingleRowOrADepthOfOneTakesTheThinPathAndStaysCorrect(shape: (Int, Int, Int)) {
        // These shapes skip the packed kernels (see GEMMThinShapes.swift); every transpose,
        // stride, alpha and beta must still give the definition's answer and leave padding alone.
        let scalings: [(Float, Float)] = [(1, 0), (0.75, 1), (-2, -0.5)]
        for (index, flags) in Self.transposes.enumerated() {
            for (alpha, beta) in scalings {
                let problem = GEMMCase(transA: flags.0, transB: flags.1, m: shape.0, n: shape.1, k: shape.2,
                                       padding: 3, alpha: alpha, beta: beta, seed: UInt64(97 + index))
                problem.check(problem.run(threads: 2))
            }
        }
    }

    @Test func randomShapesWithStridesAlphaAndBeta() {
        var rng = SeededGenerator(seed: 2024)
        let sizes = [1, 2, 5, 6, 7, 15, 16, 17, 31, 33, 64, 97, 129]
        for trial in 0..<40 {
            let (transA, transB) = Self.transposes[trial % 4]
            let alphas: [Float] = [1, -0.5, 2.25]
            let betas: [Float] = [0, 1, -1.5, 0.25]
            let problem = GEMMCase(transA: transA, transB: transB,
                                   m: sizes[rng.int(below: sizes.count)], n: sizes[rng.int(below: sizes.count)],
                                   k: sizes[rng.int(below: sizes.count)], padding: rng.int(below: 4),
                                   alpha: alphas[trial % 3], beta: betas[trial % 4], seed: UInt64(trial))
            problem.check(problem.run(threads: 2))
        }
    }

    @Test func deepProductsCrossSeveralDepthChunks() {
        // k above the 256 chunk, so later chunks accumulate onto earlier ones; beta != 0 too.
        for (index, flags) in Self.transposes.enumerated() {
            let problem = GEMMCase(transA: flags.0, transB: flags.1, m: 20, n: 40, k: 600, padding: 3,
                                   alpha: 0.5, beta: 2, seed: UInt64(100 + index))
            problem.check(problem.run(threads: 2))
        }
    }

    @Test func betaZeroIgnoresNaNInC() {
        for shape in [(3, 4, 5), (70, 90, 300)] {
            let problem = GEMMCase(transA: false, transB: true, m: shape.0, n: shape.1, k: shape.2, seed: 9)
            let poisoned = [Float](repeating: .nan, count: problem.c.count)
            let result = problem.run(threads: 2, initialC: poisoned)
            #expect(result.allSatisfy { !$0.isNaN }, "NaN leaked from C with beta = 0 for \(shape)")
            let clean = problem.run(threads: 2)
            #expect(result == clean)
        }
    }

    @Test func emptyDepthScalesCByBeta() {
        let problem = GEMMCase(transA: false, transB: false, m: 3, n: 4, k: 0, alpha: 1, beta: 0.5, seed: 1)
        let result = problem.run(threads: 1)
        #expect(result == problem.c.map { $0 * 0.5 })
    }

    @Test(arguments: [(64, 256, 1000), (1000, 256, 64), (257, 129, 600)])
    func oneThreadAndTwoThreadsGiveIdenticalBits(shape: (Int, Int, Int)) {
        for (index, flags) in Self.transposes.enumerated() {
            let problem = GEMMCase(transA: flags.0, transB: flags.1, m: shape.0, n: shape.1, k: shape.2,
                                   padding: 1, alpha: 1, beta: 0.5, seed: UInt64(7 + index))
            let one = problem.run(threads: 1)
            let two = problem.run(threads: 2)
            #expect(one.map(\.bitPattern) == two.map(\.bitPattern), "\(problem)")
            if index == 0 {
                problem.check(two)
                #expect(problem.run(threads: 3).map(\.bitPattern) == one.map(\.bitPattern), "\(problem)")
            }
        }
    }

    /// A product through an operand packed once gives the same bits as `gemm`, which packs it
    /// every call, for B stored either way, with edge tiles and more than one depth chunk.
    @Test(arguments: [(32, 256, 64), (7, 17, 300), (13, 64, 256), (1, 5, 3)])
    func aPrepackedOperandGivesTheSameBitsAsGEMM(shape: (Int, Int, Int)) {
        for transB in [false, true] {
            for beta: Float in [0, 1] {
                let problem = GEMMCase(transA: false, transB: transB, m: shape.0, n: shape.1, k: shape.2,
                                       padding: 2, alpha: 1, beta: beta, seed: 90)
                // Sizes below gemm's naive limit take its triple loop instead of the tiles.
                guard shape.0 * shape.1 * shape.2 > GEMMPlan.naiveLimit else {
                    let packed = problem.b.withUnsafeBufferPointer {
                        PackedRightOperand(transposed: transB, b: $0.baseAddress!, ldb: problem.ldb, k: problem.k, n: problem.n)
                    }
                    var c = problem.c
                    problem.a.withUnsafeBufferPointer { a in
                        c.withUnsafeMutableBufferPointer { packed.multiply(m: problem.m, a: a.baseAddress!, lda: problem.lda, beta: beta, into: $0.baseAddress!, ldc: problem.ldc) }
                    }
                    problem.check(c)
                    continue
                }
                let expected = problem.run(threads: 1)
                let packed = problem.b.withUnsafeBufferPointer {
                    PackedRightOperand(transposed: transB, b: $0.baseAddress!, ldb: problem.ldb, k: problem.k, n: problem.n)
                }
                var c = problem.c
                problem.a.withUnsafeBufferPointer { a in
                    c.withUnsafeMutableBufferPointer { packed.multiply(m: problem.m, a: a.baseAddress!, lda: problem.lda, beta: beta, into: $0.baseAddress!, ldc: problem.ldc) }
                }
                #expect(c.map(\.bitPattern) == expected.map(\.bitPattern), "\(problem)")
            }
        }
    }
}
