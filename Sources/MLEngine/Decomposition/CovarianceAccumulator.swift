/// A covariance matrix built up a batch of rows at a time, so a lab can spread the work over
/// several steps: it keeps the running sum of the rows and of their outer products (in Double;
/// on data of order 1 the cancellation in S / n - mean mean^T costs about 1e-13).
public struct CovarianceAccumulator: Sendable, Equatable {
    public let dimension: Int
    public private(set) var count = 0
    private var sum: [Double]
    /// Upper triangle of sum(x x^T), row-major [dimension, dimension].
    private var outer: [Double]

    public init(dimension: Int) {
        precondition(dimension > 0, "a covariance needs at least one feature")
        self.dimension = dimension
        sum = [Double](repeating: 0, count: dimension)
        outer = [Double](repeating: 0, count: dimension * dimension)
    }

    /// Adds the rows of `data` ([rows, dimension], row-major, any numeric slice).
    public mutating func add<Rows: Collection>(rows data: Rows) where Rows.Element == Double, Rows.Index == Int {
        let d = dimension
        precondition(data.count % d == 0, "rows of \(d) features expected, got \(data.count) numbers")
        let n = data.count / d
        let rows = data.withContiguousStorageIfAvailable { Array($0) } ?? Array(data)
        rows.withUnsafeBufferPointer { x in
            outer.withUnsafeMutableBufferPointer { s in
                sum.withUnsafeMutableBufferPointer { total in
                    for r in 0..<n { DoubleKernels.addScaled(1, x.baseAddress! + r * d, to: total.baseAddress!, count: d) }
                    DoubleKernels.addUpperGram(x.baseAddress!, count: n, dimension: d, mean: nil, into: s.baseAddress!)
                }
            }
        }
        count += n
    }

    public var mean: [Double] { sum.map { $0 / Double(Swift.max(count, 1)) } }

    /// The unbiased covariance (divided by count - 1), full and symmetric.
    public var covariance: [Double] {
        let d = dimension, n = Double(count), m = mean
        var c = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            for j in i..<d {
                let value = (outer[i * d + j] - n * m[i] * m[j]) / (n - 1)
                c[i * d + j] = value
                c[j * d + i] = value
            }
        }
        return c
    }
}

extension PrincipalComponents {
    /// The components of the rows gathered in `accumulator` (at least two).
    public init(accumulated accumulator: CovarianceAccumulator) throws {
        guard accumulator.count >= 2 else { throw EngineError.invalidArgument("PCA needs at least 2 rows, got \(accumulator.count)") }
        try self.init(mean: accumulator.mean, covariance: accumulator.covariance, dimension: accumulator.dimension)
    }
}
