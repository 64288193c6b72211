/// Each feature's values cut into at most `maxBins` bins at quantile edges, the first step of
/// histogram boosting (XGBoost's `tree_method="hist"`).
///
/// A tree never needs a feature's exact value, only which side of a threshold it falls on. So
/// every value is replaced once by its bin number (one byte), and a split is searched among the
/// bin boundaries only: at most 255 candidates per feature instead of one per distinct value.
///
/// Bin `b` of feature `f` holds the values `x` with `edges[f][b-1] <= x < edges[f][b]` (bin 0:
/// below the first edge; the last bin: at or above the last edge). So "bin <= b" and
/// "x < edges[f][b]" say the same thing, and a tree found on bins predicts on raw values.
public struct FeatureBins: Sendable, Equatable {
    /// Ascending cut points of every feature; feature `f` has `edges[f].count + 1` bins.
    public let edges: [[Float]]

    public var featureCount: Int { edges.count }
    public func binCount(_ feature: Int) -> Int { edges[feature].count + 1 }

    public init(edges: [[Float]]) { self.edges = edges }

    /// Quantile edges of every column of `features` [rows, columns].
    ///
    /// A column with at most `maxBins` distinct values gets one bin per value, cut halfway
    /// between neighbours (0/1 flags give one edge at 0.5). Otherwise the cuts are the values at
    /// the quantiles 1/maxBins, 2/maxBins, ... so that each bin holds about as many rows; tied
    /// values never straddle an edge.
    public static func quantiles(of features: Tensor, maxBins: Int) throws -> FeatureBins {
        guard features.rank == 2, features.shape[0] > 0 else {
            throw EngineError.invalidArgument("features must be [rows, columns] with at least one row, got \(features.shape)")
        }
        guard (2...256).contains(maxBins) else { throw EngineError.invalidArgument("maxBins must be 2...256, got \(maxBins)") }
        let (rows, columns) = (features.shape[0], features.shape[1])
        return features.withUnsafeScalars { x in
            FeatureBins(edges: (0..<columns).map { column in
                let sorted = (0..<rows).map { x[$0 * columns + column] }.sorted()
                var distinct: [Float] = []
                for v in sorted where distinct.last != v { distinct.append(v) }
                if distinct.count <= maxBins {
                    return zip(distinct, distinct.dropFirst()).map { ($0 + $1) / 2 }
                }
                var cuts: [Float] = []
                for q in 1..<maxBins {
                    let v = sorted[q * rows / maxBins]
                    // An edge at the minimum would leave bin 0 empty; a repeated edge adds nothing.
                    if v > sorted[0] && cuts.last.map({ v > $0 }) ?? true { cuts.append(v) }
                }
                return cuts
            })
        }
    }

    /// The bin of `value` in `feature`: how many edges are at or below it (binary search).
    @inline(__always)
    public func bin(of value: Float, feature: Int) -> Int {
        let cuts = edges[feature]
        var (low, high) = (0, cuts.count)
        while low < high {
            let mid = (low + high) / 2
            if cuts[mid] <= value { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Every value of `features` [rows, featureCount] replaced by its bin, row by row.
    public func binned(_ features: Tensor) throws -> BinnedMatrix {
        guard features.rank == 2, features.shape[1] == featureCount else {
            throw EngineError.shapeMismatch("features \(features.shape) for \(featureCount) binned features")
        }
        let rows = features.shape[0]
        var bins = [UInt8](repeating: 0, count: rows * featureCount)
        features.withUnsafeScalars { x in
            for i in 0..<(rows * featureCount) { bins[i] = UInt8(bin(of: x[i], feature: i % featureCount)) }
        }
        return BinnedMatrix(rows: rows, features: featureCount, bins: bins)
    }
}

/// Rows of bin numbers, one byte per value, row-major: what the histograms are built from.
public struct BinnedMatrix: Sendable, Equatable {
    public let rows: Int
    public let features: Int
    /// `bins[row * features + feature]`.
    public let bins: [UInt8]

    public init(rows: Int, features: Int, bins: [UInt8]) {
        precondition(bins.count == rows * features, "\(bins.count) bins for \(rows) x \(features)")
        self.rows = rows
        self.features = features
        self.bins = bins
    }

    /// The rows listed in `indices`, in that order (a validation split, a subset).
    public func selecting(_ indices: [Int]) -> BinnedMatrix {
        var out: [UInt8] = []
        out.reserveCapacity(indices.count * features)
        for r in indices { out += bins[(r * features)..<((r + 1) * features)] }
        return BinnedMatrix(rows: indices.count, features: features, bins: out)
    }
}
