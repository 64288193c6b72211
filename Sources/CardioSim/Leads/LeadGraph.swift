/// The twelve leads as a graph: nodes are leads, edges join leads that look at the heart from
/// similar directions.
public struct LeadGraph: Sendable, Equatable {
    /// Undirected edges (i < j) between lead indices.
    public var edges: [(Int, Int)]

    public static func == (lhs: LeadGraph, rhs: LeadGraph) -> Bool {
        lhs.edges.map { [$0.0, $0.1] } == rhs.edges.map { [$0.0, $0.1] }
    }

    /// Cosine similarity of two leads' Dower rows: 1 when they view the heart vector from the
    /// same direction, -1 from opposite sides.
    public static func similarity(_ a: Lead, _ b: Lead) -> Double {
        let u = DowerMatrix.rows[a.rawValue], v = DowerMatrix.rows[b.rawValue]
        let dot = u[0] * v[0] + u[1] * v[1] + u[2] * v[2]
        let nu = (u[0] * u[0] + u[1] * u[1] + u[2] * u[2]).squareRoot()
        let nv = (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).squareRoot()
        return dot / (nu * nv)
    }

    /// Edges between leads with similarity >= `threshold`; then, while the graph falls apart into
    /// separate groups (aVR looks at the heart from the opposite side of the others; the inferior
    /// leads II, III, aVF form their own group), the pair of leads from different groups with the
    /// largest |similarity| is joined, so that messages can reach every lead.
    public static func fromGeometry(threshold: Double = 0.5) -> LeadGraph {
        var edges: [(Int, Int)] = []
        let leads = Lead.allCases
        for a in leads { for b in leads where a.rawValue < b.rawValue && similarity(a, b) >= threshold {
            edges.append((a.rawValue, b.rawValue))
        } }
        while true {
            let group = LeadGraph(edges: edges).components
            guard Set(group).count > 1 else { break }
            var best: (Int, Int)?
            var bestScore = -1.0
            for a in leads { for b in leads where a.rawValue < b.rawValue && group[a.rawValue] != group[b.rawValue] {
                let score = abs(similarity(a, b))
                if score > bestScore { bestScore = score; best = (a.rawValue, b.rawValue) }
            } }
            edges.append(best!)
        }
        return LeadGraph(edges: edges.sorted { ($0.0, $0.1) < ($1.0, $1.1) })
    }

    /// For each lead, the smallest lead index of its connected group.
    public var components: [Int] {
        var group = Array(0..<12)
        func root(_ i: Int) -> Int { var i = i; while group[i] != i { i = group[i] }; return i }
        for (a, b) in edges { let ra = root(a), rb = root(b); group[Swift.max(ra, rb)] = Swift.min(ra, rb) }
        return (0..<12).map(root)
    }

    /// Neighbours of each lead.
    public var adjacency: [[Int]] {
        var adjacency = [[Int]](repeating: [], count: 12)
        for (a, b) in edges { adjacency[a].append(b); adjacency[b].append(a) }
        return adjacency.map { $0.sorted() }
    }
}
