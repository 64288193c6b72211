import CardioSim
import Course
import Foundation
import MLEngine
import TextPlot

/// What `q-table` draws: the learned table beside the exact one (value iteration), and the
/// greedy policy as arrows along the chain.
struct QTablePanels {
    var table: QTable
    var exact: [Double]
    var world: ChainWorld
    var discount: Double

    /// One heatmap with the states across (as the chain lies) and, for each move, the learned
    /// value right above the exact one (value iteration), so every pair can be read side by side
    /// on one colour scale.
    func valuesPanel() -> Panel {
        let n = world.length
        let learned = table.values.map(Double.init)
        var values: [Double] = []
        for action in 0..<2 {
            values += (0..<n).map { learned[$0 * 2 + action] }
            values += (0..<n).map { exact[$0 * 2 + action] }
        }
        let top = Swift.max(values.filter(\.isFinite).max() ?? 1, 1e-6)
        let map = HeatmapSpec(rows: 4, columns: n, values: values, palette: .sequential, range: 0...top,
                              rowLabels: ["left learned", "left exact", "right learned", "right exact"],
                              columnLabels: (0..<n).map(String.init), showValues: true, showColorBar: false)
        return Panel(title: "Q-table: learned vs exact (discount \(NumberText.format(discount)))", content: .heatmap(map))
    }

    /// The greedy move in each state as an arrow, learned and exact, and what the discount does
    /// to a distant reward.
    func policyPanel() -> Panel {
        let inner = 1..<(world.length - 1)
        func arrows(_ best: (Int) -> Int) -> [String] {
            (0..<world.length).map { s in inner.contains(s) ? (best(s) == 0 ? "<-" : "->") : "end" }
        }
        let exactBest: (Int) -> Int = { s in exact[s * 2 + 1] > exact[s * 2] ? 1 : 0 }
        let rewards = (0..<world.length).map { s in
            s == 0 ? "+\(Int(world.leftReward))" : (s == world.length - 1 ? "+\(Int(world.rightReward))" : (s == world.start ? "start" : ""))
        }
        let rows = [["reward"] + rewards, ["learned"] + arrows(table.greedyAction), ["exact"] + arrows(exactBest)]
        let agree = inner.allSatisfy { table.greedyAction($0) == exactBest($0) }
        let horizon = String(format: "%.2g", Foundation.pow(discount, 100))
        let d = NumberText.format(discount)
        let text = "Policies \(agree ? "agree" : "differ"). A reward 100 steps away is worth \(d)^100 = \(horizon) now (0.99^100 = 0.37)."
        let spec = TableSpec(headers: ["state"] + (0..<world.length).map(String.init), rows: rows,
                             alignments: [.left] + Array(repeating: .right, count: world.length))
        return Panel(title: "Greedy policy (arrows)",
                     content: .split([PanelPart(.table(spec), weight: 2), PanelPart(.text(text), weight: 1)], direction: .rows))
    }
}
