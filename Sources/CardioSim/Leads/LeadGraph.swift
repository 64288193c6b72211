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

    /// Edges between leads with similarity >= `threshold`. A lead left without neighbours (aVR,
    /// which looks at the heart from the opposite side of the others) is joined to the lead most
    /// aligned with it in either sense (largest |similarity|), so the graph is connected.
    public static func fromGeometry(threshold: Double = 0.5) -> LeadGraph {
        var edges: [(Int, Int)] = []
        let leads = Lead.allCases
        for a in leads { for b in leads where a.rawValue < b.rawValue && similarity(a, b) >= threshold {
            edges.append((a.rawValue, b.rawValue))
        } }
        for a in leads where !edges.contains(where: { $0.0 == a.rawValue || $0.1 == a.rawValue }) {
            let best = leads.filter { $0 != a }.max { abs(similarity(a, $0)) < abs(similarity(a, $1)) }!
            edges.append((Swift.min(a.rawValue, best.rawValue), Swift.max(a.rawValue, best.rawValue)))
        }
        return LeadGraph(edges: edges.sorted { ($0.0, $0.1) < ($1.0, $1.1) })
    }

    /// Neighbours of each lead.
    public var adjacency: [[Int]] {
        var adjacency = [[Int]](repeating: [], count: 12)
        for (a, b) in edges { adjacency[a].append(b); adjacency[b].append(a) }
        return adjacency.map { $0.sorted() }
    }
}
