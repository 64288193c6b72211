/// How well a clustering matches hidden class labels. For display and tests only: the
/// clustering methods never see the labels.
public enum ClusterQuality {
    /// Purity: each cluster votes for its most common class; the share of points in their
    /// cluster's majority class. 1 is perfect; it rises with more clusters, so compare at equal K.
    public static func purity(clusters: [Int], classes: [Int]) -> Double {
        precondition(clusters.count == classes.count, "purity needs one class per point")
        guard !clusters.isEmpty else { return 0 }
        let table = contingency(clusters, classes)
        return Double(table.counts.reduce(0) { $0 + ($1.max() ?? 0) }) / Double(clusters.count)
    }

    /// The adjusted Rand index: agreement on pairs of points (same group in both, or different
    /// in both), corrected so that a random labelling scores about 0 and an identical one 1.
    public static func adjustedRandIndex(clusters: [Int], classes: [Int]) -> Double {
        precondition(clusters.count == classes.count, "the Rand index needs one class per point")
        let n = clusters.count
        guard n > 1 else { return 1 }
        func pairs(_ m: Int) -> Double { Double(m) * Double(m - 1) / 2 }
        let table = contingency(clusters, classes)
        let together = table.counts.flatMap { $0 }.reduce(0) { $0 + pairs($1) }
        let rowPairs = table.counts.map { pairs($0.reduce(0, +)) }.reduce(0, +)
        var columnSums = [Int](repeating: 0, count: table.columns)
        for row in table.counts { for (j, m) in row.enumerated() { columnSums[j] += m } }
        let columnPairs = columnSums.map(pairs).reduce(0, +)
        let expected = rowPairs * columnPairs / pairs(n)
        let best = (rowPairs + columnPairs) / 2
        guard best != expected else { return 1 }    // one group in both: they agree trivially
        return (together - expected) / (best - expected)
    }

    /// Counts of points per (cluster, class), the ids renumbered densely.
    private static func contingency(_ a: [Int], _ b: [Int]) -> (counts: [[Int]], columns: Int) {
        let rows = Dictionary(uniqueKeysWithValues: Set(a).sorted().enumerated().map { ($1, $0) })
        let columns = Dictionary(uniqueKeysWithValues: Set(b).sorted().enumerated().map { ($1, $0) })
        var counts = Array(repeating: [Int](repeating: 0, count: columns.count), count: rows.count)
        for (x, y) in zip(a, b) { counts[rows[x]!][columns[y]!] += 1 }
        return (counts, columns.count)
    }
}
