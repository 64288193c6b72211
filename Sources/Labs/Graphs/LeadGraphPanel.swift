import Foundation
import TextPlot

/// The `graph` panel of `gnn-leads`: the message-passing rounds as rows (r0 after the encoder,
/// then r1, r2...), the lead graph's nodes as columns (each labelled with the lead it carries),
/// and in each cell one test beat's state of that node in that round, coloured. Rounds as rows
/// keep it a few rows high, so it stays a picture in the space a 120x40 screen gives it.
///
/// A cell shows how far the node's state (the mean of its hidden units) sits from the round's
/// average over the 12 nodes, as a fraction of the round's typical state size (root mean
/// square). Colour and number are that deviation on one scale for every round, so a round
/// whose states are all large does not drown the others, and over-smoothing reads directly: as
/// the nodes grow alike the later columns fade toward 0.
enum LeadGraphPanel {
    static func panel(adjacency: [[Int]], states: [[Double]], relabel: Bool, truth: String, spread: Double?) -> Panel {
        // With relabel on, node p holds lead relabelling^-1(p): name each node by the lead it carries.
        var carried = LeadGraphData.leadNames
        if relabel { for (lead, node) in LeadGraphData.relabelling.enumerated() { carried[node] = LeadGraphData.leadNames[lead] } }
        guard !states.isEmpty else {
            let rows = adjacency.indices.map { ["\($0)", carried[$0], adjacency[$0].map { carried[$0] }.joined(separator: " ")] }
            return Panel(title: "Lead graph (\(relabel ? "relabelled" : "lead order")): the MLP ignores it",
                         content: .table(TableSpec(headers: ["node", "lead", "neighbours"], rows: rows,
                                                   alignments: [.right, .left, .left])))
        }
        let deviations = states.map(relativeDeviations)
        // Row = round, column = node (in node order, so relabelling moves the columns).
        let leadOfNode = adjacency.indices.map { LeadGraphData.leadNames.firstIndex(of: carried[$0]) ?? $0 }
        let values = deviations.flatMap { round in leadOfNode.map { round[$0] } }
        var heat = HeatmapSpec(rows: states.count, columns: adjacency.count, values: values, palette: .diverging,
                               rowLabels: states.indices.map { "r\($0)" }, columnLabels: carried, showValues: true, showColorBar: true)
        heat.squareCells = false
        let spreadText = spread.map { ", node spread \(String(format: "%.2f", $0))" } ?? ""
        return Panel(title: "Lead graph: each lead's state vs the round's mean, a '\(truth)' beat\(spreadText)", content: .heatmap(heat))
    }

    /// (state - mean over nodes) / root mean square of the states, for one round.
    static func relativeDeviations(_ round: [Double]) -> [Double] {
        guard !round.isEmpty else { return [] }
        let mean = round.reduce(0, +) / Double(round.count)
        let size = (round.map { $0 * $0 }.reduce(0, +) / Double(round.count)).squareRoot()
        return round.map { size > 0 ? ($0 - mean) / size : 0 }
    }
}
