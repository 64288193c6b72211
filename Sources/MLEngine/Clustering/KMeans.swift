/// K-means clustering by Lloyd's iterations: assign every point to its nearest centre, move
/// every centre to the mean of its points, repeat until no assignment changes.
///
/// The points are not stored here (a lab keeps its data; this keeps only the clustering), so
/// each call is handed the same row-major `points` [count, dimension]. Distances are squared
/// Euclidean; ties go to the lower-numbered centre, so a run is deterministic.
public struct KMeans: Sendable, Equatable {
    /// How the first centres are chosen.
    public enum Seeding: String, Sendable, CaseIterable {
        /// K distinct points drawn uniformly.
        case random
        /// k-means++: the first centre uniform, each next one a point drawn with probability
        /// proportional to its squared distance from the nearest centre so far, which spreads
        /// the centres out and avoids two starting in one group.
        case plusPlus = "k-means++"
    }

    public let clusters: Int
    public let dimension: Int
    /// Centres as rows [clusters, dimension].
    public private(set) var centres: [Double]
    /// Each point's centre; empty before the first iteration.
    public private(set) var assignments: [Int]
    /// Completed assign-and-move iterations.
    public private(set) var iterations = 0
    /// Sum of squared distances from each point to its centre, after the last move.
    public private(set) var inertia = Double.infinity
    /// True once an iteration changed no assignment.
    public private(set) var converged = false

    /// Starting centres drawn from `points` by `seeding`.
    public init(points: [Double], dimension: Int, clusters k: Int, seeding: Seeding, generator: inout SeededGenerator) {
        let count = points.count / dimension
        precondition(dimension > 0 && k > 0 && count >= k, "k-means needs at least \(k) points of dimension \(dimension)")
        clusters = k
        self.dimension = dimension
        var chosen: [Int] = []
        switch seeding {
        case .random:
            chosen = Array(generator.permutation(count).prefix(k))
        case .plusPlus:
            chosen = [generator.int(below: count)]
            var nearest = Self.squaredDistances(points, dimension: dimension, to: points, row: chosen[0])
            while chosen.count < k {
                let total = nearest.reduce(0, +)
                var pick: Int
                if total > 0 {
                    // Walk the cumulative sum to where a uniform draw in [0, total) lands.
                    let target = generator.nextDouble() * total
                    var running = 0.0
                    pick = count - 1
                    for i in 0..<count {
                        running += nearest[i]
                        if running > target { pick = i; break }
                    }
                } else {
                    pick = generator.int(below: count)     // every point sits on a centre already
                }
                chosen.append(pick)
                let fresh = Self.squaredDistances(points, dimension: dimension, to: points, row: pick)
                for i in 0..<count where fresh[i] < nearest[i] { nearest[i] = fresh[i] }
            }
        }
        centres = chosen.flatMap { Array(points[($0 * dimension)..<(($0 + 1) * dimension)]) }
        assignments = []
    }

    /// A clustering put back from saved centres and assignments (a checkpoint).
    public init(centres: [Double], dimension: Int, assignments: [Int], iterations: Int, inertia: Double, converged: Bool) {
        precondition(dimension > 0 && centres.count % dimension == 0 && !centres.isEmpty, "centres must be [k, \(dimension)]")
        clusters = centres.count / dimension
        self.dimension = dimension
        self.centres = centres
        self.assignments = assignments
        self.iterations = iterations
        self.inertia = inertia
        self.converged = converged
    }

    /// Index of the nearest centre to row `row` of `points`.
    public func nearestCentre(_ points: UnsafeBufferPointer<Double>, row: Int) -> (centre: Int, distance: Double) {
        centres.withUnsafeBufferPointer { c in
            Self.nearest(points.baseAddress! + row * dimension, centres: c.baseAddress!, clusters: clusters, dimension: dimension)
        }
    }

    /// The nearest of `clusters` centre rows to the point at `x` (ties to the lower index).
    @inline(__always)
    private static func nearest(_ x: UnsafePointer<Double>, centres c: UnsafePointer<Double>, clusters: Int, dimension: Int) -> (centre: Int, distance: Double) {
        var best = 0, bestDistance = Double.infinity
        for k in 0..<clusters {
            let sum = DoubleKernels.squaredDistance(x, c + k * dimension, count: dimension)
            if sum < bestDistance { best = k; bestDistance = sum }
        }
        return (best, bestDistance)
    }

    /// One Lloyd iteration: assign, then move. Returns how many points changed cluster (all of
    /// them on the first iteration).
    ///
    /// A centre left with no points is moved onto the point farthest from its own centre (that
    /// point is the worst explained, and taking it cannot raise the inertia), so K clusters stay K.
    @discardableResult
    public mutating func iterate(points: [Double]) -> Int {
        let count = points.count / dimension
        let (d, k) = (dimension, clusters)
        var fresh = [Int](repeating: 0, count: count), distances = [Double](repeating: 0, count: count)
        var sums = [Double](repeating: 0, count: k * d), sizes = [Int](repeating: 0, count: k)
        // Assign and sum in one pass over the points (raw pointers, SIMD distances).
        var changed = points.withUnsafeBufferPointer { xb in
            centres.withUnsafeBufferPointer { cb in
                fresh.withUnsafeMutableBufferPointer { f in
                    distances.withUnsafeMutableBufferPointer { dist in
                        sums.withUnsafeMutableBufferPointer { sb in
                            sizes.withUnsafeMutableBufferPointer { sz in
                                assignments.withUnsafeBufferPointer { old in
                                    let x = xb.baseAddress!, c = cb.baseAddress!, s = sb.baseAddress!
                                    let first = old.count != count
                                    var changed = 0
                                    for i in 0..<count {
                                        let row = x + i * d
                                        let (centre, distance) = Self.nearest(row, centres: c, clusters: k, dimension: d)
                                        f[i] = centre
                                        dist[i] = distance
                                        if first || old[i] != centre { changed += 1 }
                                        sz[centre] += 1
                                        DoubleKernels.addScaled(1, row, to: s + centre * d, count: d)
                                    }
                                    return changed
                                }
                            }
                        }
                    }
                }
            }
        }
        var movedToEmpty = false
        for k in 0..<clusters where sizes[k] == 0 {
            // The farthest point, taken from its cluster (only if that leaves it non-empty).
            var far = -1
            for i in 0..<count where sizes[fresh[i]] > 1 && (far < 0 || distances[i] > distances[far]) { far = i }
            guard far >= 0 else { continue }
            let old = fresh[far]
            sizes[old] -= 1
            for j in 0..<dimension {
                sums[old * dimension + j] -= points[far * dimension + j]
                sums[k * dimension + j] = points[far * dimension + j]
            }
            sizes[k] = 1
            fresh[far] = k
            distances[far] = 0
            changed += 1
            movedToEmpty = true
        }
        let previous = centres
        for k in 0..<clusters where sizes[k] > 0 {
            for j in 0..<dimension { centres[k * dimension + j] = sums[k * dimension + j] / Double(sizes[k]) }
        }
        assignments = fresh
        iterations += 1
        converged = changed == 0
        if movedToEmpty {
            inertia = Self.inertia(points: points, dimension: dimension, centres: centres, assignments: fresh)
        } else {
            // Without a second pass over the points: a cluster's squared distances to any point
            // a are those to its mean plus size × |mean - a|² (the parallel-axis identity), so
            // the inertia about the moved centres is the assignment pass's distances (to the old
            // centres) less each cluster's size × the squared distance its centre moved.
            var total = distances.reduce(0, +)
            previous.withUnsafeBufferPointer { old in
                centres.withUnsafeBufferPointer { new in
                    for k in 0..<clusters where sizes[k] > 0 {
                        total -= Double(sizes[k]) * DoubleKernels.squaredDistance(new.baseAddress! + k * dimension, old.baseAddress! + k * dimension, count: dimension)
                    }
                }
            }
            inertia = Swift.max(total, 0)
        }
        return changed
    }

    /// Sum of squared distances from each point to the centre it is assigned to.
    public static func inertia(points: [Double], dimension: Int, centres: [Double], assignments: [Int]) -> Double {
        var total = 0.0
        points.withUnsafeBufferPointer { x in
            centres.withUnsafeBufferPointer { c in
                for (i, k) in assignments.enumerated() {
                    total += DoubleKernels.squaredDistance(x.baseAddress! + i * dimension, c.baseAddress! + k * dimension, count: dimension)
                }
            }
        }
        return total
    }

    private static func squaredDistances(_ points: [Double], dimension: Int, to source: [Double], row: Int) -> [Double] {
        let count = points.count / dimension
        return points.withUnsafeBufferPointer { x in
            source.withUnsafeBufferPointer { s in
                let centre = s.baseAddress! + row * dimension
                return (0..<count).map { i in DoubleKernels.squaredDistance(x.baseAddress! + i * dimension, centre, count: dimension) }
            }
        }
    }
}
