import Foundation
import TextPlot

/// The `graph` panel of `gnn-leads`: one row per node of the lead graph, naming the lead it
/// carries, its neighbours, and its state for one test beat after the encoder (r0) and after
/// each message-passing round (r1, r2...), as the mean of its hidden units. Read down a column
/// to see the leads differ; read across to see a state spread along the edges and, with many
/// rounds, the columns grow alike. A table rather than a picture, so it reads the same at 80x24
/// and in ASCII.
enum LeadGraphPanel {
    static func panel(adjacency: [[Int]], states: [[Double]], relabel: Bool, truth: String, spread: Double?) -> Panel {
        // With relabel on, node p holds lead relabelling^-1(p): name each node by the lead it carries.
        var carried = LeadGraphData.leadNames
        if relabel { for (lead, node) in LeadGraphData.relabelling.enumerated() { carried[node] = LeadGraphData.leadNames[lead] } }
        let rows: [[String]] = adjacency.indices.map { node in
            let lead = LeadGraphData.leadNames.firstIndex(of: carried[node]) ?? node
            let neighbours = adjacency[node].map { carried[$0] }.joined(separator: " ")
            return ["\(node)", carried[node], neighbours] + states.map { String(format: "%.2f", $0[lead]) }
        }
        let headers = ["node", "lead", "neighbours"] + states.indices.map { "r\($0)" }
        let spreadText = spread.map { ", node spread \(String(format: "%.2f", $0))" } ?? ""
        let title = states.isEmpty
            ? "Lead graph (\(relabel ? "relabelled" : "lead order")): the MLP ignores it"
            : "Lead graph, states of a '\(truth)' beat\(spreadText)"
        // Narrow screens drop the neighbour lists first, then the early rounds.
        let importance = [5, 4, 1] + states.indices.map { 2 + ($0 == states.count - 1 ? 1 : 0) }
        return Panel(title: title, content: .table(TableSpec(headers: headers, rows: rows,
                                                              alignments: [.right, .left, .left] + states.map { _ in .right },
                                                              importance: importance)))
    }
}
