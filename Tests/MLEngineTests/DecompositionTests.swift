import Testing
@testable import MLEngine

@Suite struct SymmetricEigenTests {
    /// A random symmetric n x n matrix with entries in -1...1.
    static func randomSymmetric(_ n: Int, seed: UInt64) -> [Double] {
        var g = SeededGenerator(seed: seed), a = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in i..<n { let x: Double = g.uniform(-1, 1); a[i * n + j] = x; a[j * n + i] = x } }
        return a
    }

    @Test func twoByTwoByHand() throws {
        // [[2, 1], [1, 2]]: (1, 1) is stretched by 3, (1, -1) by 1.
        let eigen = try SymmetricEigen(symmetric: [2, 1, 1, 2], size: 2)
        #expect(Swift.abs(eigen.values[0] - 3) < 1e-12 && Swift.abs(eigen.values[1] - 1) < 1e-12)
        let r = 0.5.squareRoot()
        #expect(zip(eigen.vector(0), [r, r]).allSatisfy { Swift.abs($0 - $1) < 1e-12 })
        #expect(zip(eigen.vector(1), [r, -r]).allSatisfy { Swift.abs($0 - $1) < 1e-12 })
    }

    @Test func secondDifferenceMatrixByHand() throws {
        // The 3 x 3 matrix tridiag(-1, 2, -1) has eigenvalues 2 + sqrt 2, 2, 2 - sqrt 2.
        let eigen = try SymmetricEigen(symmetric: [2, -1, 0, -1, 2, -1, 0, -1, 2], size: 3)
        let expected = [2 + 2.0.squareRoot(), 2, 2 - 2.0.squareRoot()]
        #expect(zip(eigen.values, expected).allSatisfy { Swift.abs($0 - $1) < 1e-12 })
        // The middle one's vector is (1, 0, -1) / sqrt 2.
        let r = 0.5.squareRoot()
        #expect(zip(eigen.vector(1), [r, 0, -r]).allSatisfy { Swift.abs($0 - $1) < 1e-12 })
    }

    @Test func repeatedAndZeroEigenvalues() throws {
        let eigen = try SymmetricEigen(symmetric: [5, 0, 0, 0, 0, 0, 0, 0, 5], size: 3)
        #expect(eigen.values == [5, 5, 0])
        let one = try SymmetricEigen(symmetric: [-7], size: 1)
        #expect(one.values == [-7] && one.vectors == [1])
    }

    @Test func randomMatrixIsDecomposedExactly() throws {
        let n = 60
        let a = Self.randomSymmetric(n, seed: 3)
        let eigen = try SymmetricEigen(symmetric: a, size: n)
        #expect(eigen.values == eigen.values.sorted(by: >))
        // A v = lambda v for every pair, and the vectors are orthonormal.
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
        // The trace is the sum of the eigenvalues.
        let trace = (0..<n).reduce(0.0) { $0 + a[$1 * n + $1] }
        #expect(Swift.abs(trace - eigen.values.reduce(0, +)) < 1e-10)
    }

    @Test func badInputIsRefused() {
        #expect(throws: EngineError.self) { try SymmetricEigen(symmetric: [1, 2, 3], size: 2) }
        #expect(throws: EngineError.self) { try SymmetricEigen(symmetric: [1, .nan, .nan, 1], size: 2) }
    }
}

@Suite struct PrincipalComponentsTests {
    @Test func pointsOnALineHaveOneComponent() throws {
        // Points on y = 2 x: all the variance lies along (1, 2) / sqrt 5. x = 1...4 has
        // variance 5/3 (unbiased), so along the line it is 5/3 * (1 + 4) = 25/3.
        let rows: [Double] = [1, 2, 2, 4, 3, 6, 4, 8]
        let pca = try PrincipalComponents(rows: rows, dimension: 2)
        #expect(pca.mean == [2.5, 5])
        #expect(Swift.abs(pca.variances[0] - 25.0 / 3) < 1e-12 && Swift.abs(pca.variances[1]) < 1e-12)
        let s = 1 / 5.0.squareRoot()
        #expect(zip(pca.component(0), [s, 2 * s]).allSatisfy { Swift.abs($0 - $1) < 1e-12 })
        #expect(Swift.abs(pca.explainedVarianceRatio(1) - 1) < 1e-12)
        // One coordinate rebuilds every point exactly; zero coordinates leave the mean.
        #expect(pca.reconstructionError(rows: rows, components: 1) < 1e-20)
        #expect(Swift.abs(pca.reconstructionError(rows: rows, components: 0) - (5.0 / 4 * 5) / 2) < 1e-12)
        #expect(Swift.abs(pca.project(rows[6..<8], components: 1)[0] - 1.5 * 5.0.squareRoot()) < 1e-12)
    }

    @Test func componentsAreOrthonormalAndErrorsFallWithK() throws {
        var g = SeededGenerator(seed: 11)
        let (n, d) = (200, 12)
        // Correlated data: each row mixes three hidden factors plus a little noise.
        let mixing = (0..<(3 * d)).map { _ in g.normal() }
        var rows = [Double]()
        for _ in 0..<n {
            let factors = (0..<3).map { _ in g.normal() }
            rows += (0..<d).map { j in (0..<3).reduce(0.0) { $0 + factors[$1] * mixing[$1 * d + j] } + 0.05 * g.normal() }
        }
        let pca = try PrincipalComponents(rows: rows, dimension: d)
        for a in 0..<d {
            for b in a..<d {
                let dot = zip(pca.component(a), pca.component(b)).reduce(0) { $0 + $1.0 * $1.1 }
                #expect(Swift.abs(dot - (a == b ? 1 : 0)) < 1e-10)
            }
        }
        // Three factors: three components hold nearly everything.
        #expect(pca.explainedVarianceRatio(3) > 0.99 && pca.explainedVarianceRatio(2) < 0.99)
        let errors = (0...d).map { pca.reconstructionError(rows: rows, components: $0) }
        #expect(zip(errors, errors.dropFirst()).allSatisfy { $0 >= $1 - 1e-12 })
        #expect(errors[d] < 1e-20)
        // The error left with k components is the variance of the rest (times (n - 1) / n per feature).
        let rest = pca.variances[2...].reduce(0, +) * Double(n - 1) / Double(n) / Double(d)
        #expect(Swift.abs(errors[2] - rest) < 1e-9)
    }
}

@Suite struct CovarianceAccumulatorTests {
    @Test func batchesGiveTheSameComponentsAsAllRowsAtOnce() throws {
        var g = SeededGenerator(seed: 5)
        let d = 7
        let rows = (0..<(90 * d)).map { i in g.normal() * Double(1 + i % d) + 3 }
        var accumulator = CovarianceAccumulator(dimension: d)
        accumulator.add(rows: rows[0..<(40 * d)])
        accumulator.add(rows: rows[(40 * d)...])
        #expect(accumulator.count == 90)
        let (batched, whole) = (try PrincipalComponents(accumulated: accumulator), try PrincipalComponents(rows: rows, dimension: d))
        #expect(zip(batched.variances, whole.variances).allSatisfy { Swift.abs($0 - $1) < 1e-10 * Swift.max(1, $1) })
        #expect(zip(batched.components, whole.components).allSatisfy { Swift.abs($0 - $1) < 1e-8 })
        #expect(zip(batched.mean, whole.mean).allSatisfy { Swift.abs($0 - $1) < 1e-12 })
        #expect(throws: EngineError.self) { try PrincipalComponents(accumulated: CovarianceAccumulator(dimension: 3)) }
    }
}
