import Testing
@testable import MLEngine

/// The SIMD Double kernels under K-means and PCA against plain scalar loops, on lengths that
/// hit every tail (0...19) and on shapes that are not multiples of the blocks.
@Suite struct DoubleKernelsTests {
    static func random(_ count: Int, seed: UInt64) -> [Double] {
        var g = SeededGenerator(seed: seed)
        return (0..<count).map { _ in g.normal() * 3 + 1 }
    }

    @Test func reductionsMatchScalarLoops() {
        for count in 0..<20 {
            let a = Self.random(count, seed: UInt64(count)), b = Self.random(count, seed: UInt64(100 + count))
            var distance = 0.0, dot = 0.0, scale = 1.0
            for i in 0..<count { distance += (a[i] - b[i]) * (a[i] - b[i]); dot += a[i] * b[i]; scale += Swift.abs(a[i] * b[i]) }
            let (fastDistance, fastDot) = a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    (DoubleKernels.squaredDistance(pa.baseAddress!, pb.baseAddress!, count: count),
                     DoubleKernels.dot(pa.baseAddress!, pb.baseAddress!, count: count))
                }
            }
            #expect(Swift.abs(fastDistance - distance) <= 1e-13 * Swift.max(1, distance), "count \(count)")
            #expect(Swift.abs(fastDot - dot) <= 1e-13 * scale, "count \(count)")
            // y += alpha x rounds each entry the way the scalar loop does.
            var y = b
            y.withUnsafeMutableBufferPointer { py in
                a.withUnsafeBufferPointer { pa in DoubleKernels.addScaled(-0.75, pa.baseAddress!, to: py.baseAddress!, count: count) }
            }
            #expect(y == (0..<count).map { b[$0] + -0.75 * a[$0] }, "count \(count)")
        }
    }

    /// Σ (x - m)(x - m)^T row by row in plain Double, the loop `addUpperGram` replaced.
    static func plainGram(_ x: [Double], dimension d: Int, mean: [Double]?) -> [Double] {
        var out = [Double](repeating: 0, count: d * d)
        let m = mean ?? [Double](repeating: 0, count: d)
        for r in 0..<(x.count / d) {
            for i in 0..<d {
                for j in i..<d { out[i * d + j] += (x[r * d + i] - m[i]) * (x[r * d + j] - m[j]) }
            }
        }
        return out
    }

    @Test func blockedGramEqualsThePlainDoubleSum() {
        // 150 rows (two full chunks of 64 and a partial one) of 19 features (not a multiple of 8
        // or 4), with and without a mean; the lower triangle must keep what was there.
        let (n, d) = (150, 19)
        let x = Self.random(n * d, seed: 9)
        var mean = [Double](repeating: 0, count: d)
        for r in 0..<n { for j in 0..<d { mean[j] += x[r * d + j] / Double(n) } }
        for centre in [false, true] {
            let plain = Self.plainGram(x, dimension: d, mean: centre ? mean : nil)
            var fast = [Double](repeating: -1, count: d * d)
            for i in 0..<d { for j in i..<d { fast[i * d + j] = 0 } }
            x.withUnsafeBufferPointer { px in
                mean.withUnsafeBufferPointer { pm in
                    fast.withUnsafeMutableBufferPointer { pf in
                        DoubleKernels.addUpperGram(px.baseAddress!, count: n, dimension: d,
                                                   mean: centre ? pm.baseAddress! : nil, into: pf.baseAddress!)
                    }
                }
            }
            let largest = plain.map(Swift.abs).max()!
            var worst = 0.0
            for i in 0..<d {
                for j in 0..<d {
                    if j >= i {
                        worst = Swift.max(worst, Swift.abs(fast[i * d + j] - plain[i * d + j]))
                    } else {
                        #expect(fast[i * d + j] == -1, "lower triangle (\(i), \(j)) was written")
                    }
                }
            }
            // Same summation order, FMA instead of multiply-then-add: a few ulps of the largest.
            #expect(worst <= 1e-13 * largest, "largest difference \(worst) of \(largest), centred \(centre)")
        }
    }

    @Test func covarianceOfAWideMatrixMatchesThePlainSum() throws {
        // The PCA path end to end on a shape like the beats' (more features than one block).
        let (n, d) = (300, 45)
        let x = Self.random(n * d, seed: 4)
        let pca = try PrincipalComponents(rows: x, dimension: d)
        let plain = Self.plainGram(x, dimension: d, mean: pca.mean)
        let covariance = PrincipalComponents.centredCovariance(rows: x, count: n, dimension: d, mean: pca.mean)
        for i in 0..<d {
            for j in i..<d {
                let expected = plain[i * d + j] / Double(n - 1)
                #expect(Swift.abs(covariance[i * d + j] - expected) <= 1e-13 * Swift.max(1, Swift.abs(expected)))
                #expect(covariance[j * d + i] == covariance[i * d + j])
            }
        }
        // The trace is the total variance the components hold.
        let trace = (0..<d).reduce(0.0) { $0 + covariance[$1 * d + $1] }
        #expect(Swift.abs(pca.variances.reduce(0, +) - trace) < 1e-10 * trace)
    }
}

@Suite struct KMeansFastPathTests {
    /// One Lloyd iteration written out plainly (scalar distances, ties to the lower centre).
    static func plainIteration(points: [Double], dimension d: Int, centres: [Double]) -> (assignments: [Int], centres: [Double]) {
        let k = centres.count / d, n = points.count / d
        var assignments = [Int](), sums = [Double](repeating: 0, count: k * d), sizes = [Int](repeating: 0, count: k)
        for i in 0..<n {
            var best = 0, bestDistance = Double.infinity
            for c in 0..<k {
                var s = 0.0
                for j in 0..<d { let diff = points[i * d + j] - centres[c * d + j]; s += diff * diff }
                if s < bestDistance { best = c; bestDistance = s }
            }
            assignments.append(best)
            sizes[best] += 1
            for j in 0..<d { sums[best * d + j] += points[i * d + j] }
        }
        var moved = centres
        for c in 0..<k where sizes[c] > 0 { for j in 0..<d { moved[c * d + j] = sums[c * d + j] / Double(sizes[c]) } }
        return (assignments, moved)
    }

    @Test func wideIterationsMatchThePlainLoop() {
        // 37 features: the SIMD distances run their 8-wide, 4-wide and scalar tails.
        let (n, d, k) = (400, 37, 6)
        let points = DoubleKernelsTests.random(n * d, seed: 12)
        var g = SeededGenerator(seed: 3)
        var kmeans = KMeans(points: points, dimension: d, clusters: k, seeding: .plusPlus, generator: &g)
        for _ in 0..<4 {
            let expected = Self.plainIteration(points: points, dimension: d, centres: kmeans.centres)
            kmeans.iterate(points: points)
            #expect(kmeans.assignments == expected.assignments)
            #expect(kmeans.centres == expected.centres)    // same sums in the same order
            var inertia = 0.0
            for i in 0..<n {
                for j in 0..<d { let diff = points[i * d + j] - kmeans.centres[expected.assignments[i] * d + j]; inertia += diff * diff }
            }
            #expect(Swift.abs(kmeans.inertia - inertia) <= 1e-12 * inertia)
        }
        // nearestCentre agrees with the assignment it made.
        points.withUnsafeBufferPointer { x in
            let (centre, distance) = kmeans.nearestCentre(x, row: 17)
            let plain = Self.plainIteration(points: points, dimension: d, centres: kmeans.centres).assignments[17]
            #expect(centre == plain && distance >= 0)
        }
    }
}

@Suite struct ThreadedDecompositionTests {
    @Test func gramIsTheSameOnOneOrTwoThreads() {
        // 700 x 80: above the threading limit, so two threads split the row blocks.
        let (n, d) = (700, 80)
        #expect(n * d * d >= DoubleKernels.gramThreadingLimit)
        let x = DoubleKernelsTests.random(n * d, seed: 21)
        var outputs: [[Double]] = []
        for threads in [1, 2] {
            var out = [Double](repeating: 0, count: d * d)
            x.withUnsafeBufferPointer { px in
                out.withUnsafeMutableBufferPointer { po in
                    DoubleKernels.addUpperGram(px.baseAddress!, count: n, dimension: d, mean: nil, into: po.baseAddress!, threads: threads)
                }
            }
            outputs.append(out)
        }
        #expect(outputs[0] == outputs[1])
        let plain = DoubleKernelsTests.plainGram(x, dimension: d, mean: nil)
        let largest = plain.map(Swift.abs).max()!
        #expect(zip(outputs[1], plain).allSatisfy { Swift.abs($0 - $1) <= 1e-13 * largest })
    }

    @Test func aLargerMatrixIsDecomposedExactly() throws {
        // n = 130: enough rotations that they are applied on two threads, in strips of 8 with
        // a tail of 2 columns.
        let n = 130
        let a = SymmetricEigenTests.randomSymmetric(n, seed: 8)
        let eigen = try SymmetricEigen(symmetric: a, size: n)
        var worstResidual = 0.0, worstDot = 0.0
        for k in 0..<n {
            let v = eigen.vector(k)
            for i in 0..<n {
                var av = 0.0
                for j in 0..<n { av += a[i * n + j] * v[j] }
                worstResidual = max(worstResidual, Swift.abs(av - eigen.values[k] * v[i]))
            }
            for l in k..<n {
                let dot = zip(v, eigen.vector(l)).reduce(0) { $0 + $1.0 * $1.1 }
                worstDot = max(worstDot, Swift.abs(dot - (k == l ? 1 : 0)))
            }
        }
        #expect(worstResidual < 1e-10, "largest |A v - lambda v| \(worstResidual)")
        #expect(worstDot < 1e-12, "largest departure from orthonormal \(worstDot)")
    }
}
