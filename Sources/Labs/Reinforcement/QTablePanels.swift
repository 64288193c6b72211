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

    /// Row labels: the state number, with the reward waiting at each end and the start marked.
    var stateLabels: [String] {
        (0..<world.length).map { s in
            if s == 0 { return "0 +\(Int(world.leftReward))" }
            if s == world.length - 1 { return "\(s) +\(Int(world.rightReward))" }
            return s == world.start ? "\(s) start" : "\(s)"
        }
    }

    /// Two heatmaps (state x action, one colour scale): what the agent has learned, what value
    /// iteration says is true.
    func valuesPanel() -> Panel {
        let learned = table.values.map(Double.init)
        let top = Swift.max(learned.max() ?? 1, exact.max() ?? 1, 1e-6)
        func map(_ values: [Double]) -> PanelContent {
            .heatmap(HeatmapSpec(rows: world.length, columns: 2, values: values, palette: .sequential, range: 0...top,
                                 rowLabels: stateLabels, columnLabels: ["left", "right"], showValues: true, showColorBar: false))
        }
        let d = NumberText.format(discount)
        return Panel(title: "Q-table: learned vs exact (discount \(d))",
                     content: .split([PanelPart(map(learned), caption: "learned Q(s, a)"),
                                      PanelPart(map(exact), caption: "value iteration")], direction: .columns))
    }

    /// The greedy move in each state as an arrow, learned and exact, and what the discount does
    /// to a distant reward.
    func policyPanel() -> Panel {
        let inner = 1..<(world.length - 1)
        func arrows(_ best: (Int) -> Int) -> [String] {
            (0..<world.length).map { s in inner.contains(s) ? (best(s) == 0 ? "←" : "→") : "end" }
        }
        let exactBest: (Int) -> Int = { s in exact[s * 2 + 1] > exact[s * 2] ? 1 : 0 }
        let rows = [["learned"] + arrows(table.greedyAction), ["exact"] + arrows(exactBest)]
        let agree = inner.allSatisfy { table.greedyAction($0) == exactBest($0) }
        let horizon = NumberText.format(Foundation.pow(discount, 100))
        let d = NumberText.format(discount)
        let text = "Policies \(agree ? "agree" : "differ"). A reward 100 steps away is worth \(d)^100 = \(horizon) now (0.99^100 = 0.37)."
        let spec = TableSpec(headers: ["state"] + stateLabels, rows: rows,
                             alignments: [.left] + Array(repeating: .right, count: world.length))
        return Panel(title: "Greedy policy (arrows)",
                     content: .split([PanelPart(.table(spec), weight: 2), PanelPart(.text(text), weight: 1)], direction: .rows))
    }
}
