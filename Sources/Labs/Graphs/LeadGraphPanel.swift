import TextPlot

/// The `graph` panel of `gnn-leads`: the lead graph as an adjacency heatmap (a filled cell joins
/// two leads), and under it each lead's state for one test beat, one row per message-passing
/// round, so the learner sees states spread along the edges and, with many rounds, grow alike.
enum LeadGraphPanel {
    static func panel(adjacency: [[Int]], states: [[Double]], relabel: Bool, truth: String, spread: Double?) -> Panel {
        let nodes = adjacency.count
        // With relabel on, node p holds lead relabelling^-1(p): label the nodes by the lead they carry.
        var carried = LeadGraphData.leadNames
        if relabel { for (lead, node) in LeadGraphData.relabelling.enumerated() { carried[node] = LeadGraphData.leadNames[lead] } }
        var cells = [Double](repeating: 0, count: nodes * nodes)
        for (i, list) in adjacency.enumerated() { for j in list { cells[i * nodes + j] = 1 } }
        let graph = HeatmapSpec(rows: nodes, columns: nodes, values: cells, palette: .sequential, range: 0...1,
                                rowLabels: carried, columnLabels: carried.map { String($0.prefix(3)) }, showColorBar: false)
        let numbering = relabel ? "relabelled node order" : "lead order"
        guard !states.isEmpty else {
            return Panel(title: "Lead graph (\(numbering)): the MLP ignores it", content: .heatmap(graph))
        }
        let bound = max(states.flatMap { $0 }.map(Swift.abs).max() ?? 1, 1e-6)
        let heat = HeatmapSpec(rows: states.count, columns: states[0].count, values: states.flatMap { $0 }, palette: .sequential,
                               range: 0...bound, rowLabels: (0..<states.count).map { "r\($0)" },
                               columnLabels: LeadGraphData.leadNames.map { String($0.prefix(3)) }, showColorBar: false)
        let spreadText = spread.map { ", node spread \(String(format: "%.2f", $0))" } ?? ""
        return Panel(title: "Lead graph and node states, test beat '\(truth)'\(spreadText)", content: .split([
            PanelPart(.heatmap(graph), weight: 3, caption: "edges (\(numbering))"),
            PanelPart(.heatmap(heat), weight: 2, caption: "mean state per lead, round 0 (encoder) to \(states.count - 1)"),
        ], direction: .automatic))
    }
}
