/// Principal component analysis: the directions along which rows of a data matrix vary most.
///
/// The rows are centred on their mean; the covariance C = X^T X / (n - 1) (the unbiased
/// estimate, as NumPy's `cov` and scikit-learn's PCA use) is decomposed by `SymmetricEigen`.
/// Its eigenvectors are the components, its eigenvalues the variance along each, all in Double.
/// Projecting a row onto the first k components and back gives the best rank-k reconstruction
/// in squared error.
public struct PrincipalComponents: Sendable, Equatable {
    /// Features per row.
    public let dimension: Int
    /// The mean row, subtracted before projecting.
    public let mean: [Double]
    /// Variance along each component, largest first (the covariance's eigenvalues, negatives
    /// from rounding clamped to 0).
    public let variances: [Double]
    /// Unit components as rows, in the order of `variances`.
    public let components: [Double]

    /// Fits the rows of `data` ([rows, dimension], row-major).
    /// - Throws: with fewer than two rows, a shape mismatch or non-finite data.
    public init(rows data: [Double], dimension d: Int) throws {
        guard d > 0, data.count % d == 0, data.count / d >= 2 else {
            throw EngineError.shapeMismatch("PCA needs at least 2 rows of \(d) features, got \(data.count) numbers")
        }
        let n = data.count / d
        var mean = [Double](repeating: 0, count: d)
        data.withUnsafeBufferPointer { x in
            mean.withUnsafeMutableBufferPointer { m in
                for r in 0..<n { DoubleKernels.addScaled(1, x.baseAddress! + r * d, to: m.baseAddress!, count: d) }
                for c in 0..<d { m[c] /= Double(n) }
            }
        }
        let covariance = Self.centredCovariance(rows: data, count: n, dimension: d, mean: mean)
        try self.init(mean: mean, covariance: covariance, dimension: d)
    }

    /// The unbiased covariance Xc^T Xc / (n - 1) of the rows centred on `mean`, full [d, d], in
    /// Double: the upper triangle by `DoubleKernels.addUpperGram` (register-blocked, the same
    /// row-by-row summation order as a rank-1 update a row), mirrored to the lower.
    static func centredCovariance(rows data: [Double], count n: Int, dimension d: Int, mean: [Double]) -> [Double] {
        var covariance = [Double](repeating: 0, count: d * d)
        data.withUnsafeBufferPointer { x in
            mean.withUnsafeBufferPointer { m in
                covariance.withUnsafeMutableBufferPointer { cov in
                    DoubleKernels.addUpperGram(x.baseAddress!, count: n, dimension: d, mean: m.baseAddress!, into: cov.baseAddress!)
                    let scale = 1 / Double(n - 1)
                    for i in 0..<d {
                        for j in i..<d {
                            cov[i * d + j] *= scale
                            cov[j * d + i] = cov[i * d + j]
                        }
                    }
                }
            }
        }
        return covariance
    }

    /// The components of a covariance matrix already made (`CovarianceAccumulator`).
    init(mean: [Double], covariance: [Double], dimension d: Int) throws {
        let eigen = try SymmetricEigen(symmetric: covariance, size: d)
        dimension = d
        self.mean = mean
        variances = eigen.values.map { Swift.max($0, 0) }
        components = eigen.vectors
    }

    /// The share of the total variance the first `k` components hold (0...1).
    public func explainedVarianceRatio(_ k: Int) -> Double {
        let total = variances.reduce(0, +)
        guard total > 0 else { return 0 }
        return variances.prefix(Swift.max(k, 0)).reduce(0, +) / total
    }

    /// Component `k` as a row of `dimension` numbers.
    public func component(_ k: Int) -> [Double] { Array(components[(k * dimension)..<((k + 1) * dimension)]) }

    /// The coordinates of one row along the first `k` components.
    public func project<Row: Collection>(_ row: Row, components k: Int) -> [Double] where Row.Element == Double, Row.Index == Int {
        precondition(row.count == dimension, "PCA projects rows of \(dimension) features, got \(row.count)")
        let start = row.startIndex
        return components.withUnsafeBufferPointer { w in
            (0..<k).map { c in
                var sum = 0.0
                for j in 0..<dimension { sum += (row[start + j] - mean[j]) * w[c * dimension + j] }
                return sum
            }
        }
    }

    /// The row rebuilt from its coordinates along the first `coordinates.count` components.
    public func reconstruct(_ coordinates: [Double]) -> [Double] {
        var row = mean
        components.withUnsafeBufferPointer { w in
            for (c, amount) in coordinates.enumerated() {
                for j in 0..<dimension { row[j] += amount * w[c * dimension + j] }
            }
        }
        return row
    }

    /// The mean squared error per feature of rebuilding every row of `data` from its first `k`
    /// coordinates.
    public func reconstructionError(rows data: [Double], components k: Int) -> Double {
        let n = data.count / dimension
        guard n > 0 else { return 0 }
        var total = 0.0
        for r in 0..<n {
            let row = data[(r * dimension)..<((r + 1) * dimension)]
            let rebuilt = reconstruct(project(row, components: k))
            for j in 0..<dimension { let diff = row[row.startIndex + j] - rebuilt[j]; total += diff * diff }
        }
        return total / Double(n * dimension)
    }
}
