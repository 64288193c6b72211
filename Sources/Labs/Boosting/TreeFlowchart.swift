import Foundation
import MLEngine
import TextPlot

/// A boosted tree drawn as an indented flowchart of plain ASCII lines (readable under LANG=C),
/// and the Newton ledger of one of its nodes: the sums and the arithmetic that made it.
enum TreeFlowchart {
    static func number(_ x: Double) -> String {
        if x == 0 { return "0" }
        return String(format: Swift.abs(x) >= 1000 || Swift.abs(x) < 0.001 ? "%.3e" : "%.4g", x)
    }

    static func signed(_ x: Double) -> String { (x >= 0 ? "+" : "") + number(x) }

    /// One line per node, depth first, yes-branch first:
    /// `[0] qtc < 451.5?  500 rows, gain 81.2`, `+-yes [1] ...`, `` `-no  [2] leaf -0.41 ``.
    /// Returns the lines and, for each node id, the line it is on.
    static func lines(_ tree: DecisionTree, featureNames: [String]) -> (lines: [String], lineOfNode: [Int: Int]) {
        var lines: [String] = []
        var lineOfNode: [Int: Int] = [:]
        func describe(_ id: Int) -> String {
            let node = tree.nodes[id]
            if node.isLeaf { return "[\(id)] leaf \(signed(node.weight))  (\(node.rows) rows)" }
            let name = node.feature < featureNames.count ? featureNames[node.feature] : "x\(node.feature)"
            return "[\(id)] \(name) < \(number(Double(node.threshold)))?  (\(node.rows) rows, gain \(number(node.gain)))"
        }
        func walk(_ id: Int, prefix: String, branch: String, last: Bool) {
            lineOfNode[id] = lines.count
            lines.append(prefix + branch + describe(id))
            let node = tree.nodes[id]
            guard !node.isLeaf else { return }
            let inner = prefix + (branch.isEmpty ? "" : (last ? "    " : "|   "))
            walk(node.left, prefix: inner, branch: "+-yes ", last: false)
            walk(node.right, prefix: inner, branch: "`-no  ", last: true)
        }
        if !tree.nodes.isEmpty { walk(0, prefix: "", branch: "", last: true) }
        return (lines, lineOfNode)
    }

    /// The flowchart as a panel, starting two lines above the selected node so that `node=N`
    /// scrolls a deep tree; the selected node's line is marked with `>`.
    /// `owner` names whose tree it is when a round grows several (one per class).
    static func panel(_ tree: DecisionTree?, round: Int, selected: Int, featureNames: [String], owner: String? = nil) -> Panel {
        guard let tree else {
            return Panel(title: "Latest tree", content: .text("No tree yet: press Space to add the first one."))
        }
        let (all, lineOfNode) = lines(tree, featureNames: featureNames)
        let chosen = min(selected, tree.nodes.count - 1)
        let at = lineOfNode[chosen] ?? 0
        // Start one line above the selected node: a panel may have room for only a few lines.
        let start = max(0, min(at - 1, all.count - 1))
        let shown = all.enumerated().dropFirst(start).map { ($0.offset == at ? "> " : "  ") + $0.element }
        let title = "Latest tree (round \(round)\(owner.map { ", \($0)" } ?? "")): \(tree.leafCount) leaves, yes = left, lines \(start + 1)-\(all.count) of \(all.count)"
        let body = "```\n" + shown.joined(separator: "\n") + "\n```"
        return Panel(title: title, content: .text(body))
    }

    /// The ledger of node `selected`: its G and H, the Newton weight, and for a split the three
    /// terms of the gain.
    static func ledger(_ tree: DecisionTree?, selected: Int, lambda: Double, gamma: Double, featureNames: [String],
                       owner: String? = nil) -> Panel {
        guard let tree else { return Panel(title: "Newton ledger", content: .text("No tree yet.")) }
        let id = min(selected, tree.nodes.count - 1)
        let node = tree.nodes[id]
        var rows: [[String]] = [
            ["G", number(node.gradient), "sum of the rows' gradients"],
            ["H", number(node.hessian), "sum of the rows' hessians"],
            ["weight", number(node.weight), "-G/(H+lambda), lambda \(number(lambda))"],
            ["added", number(tree.learningRate * node.weight), "lr x weight"],
        ]
        var title = "Newton ledger, node [\(id)]: leaf of \(node.rows) rows"
        if !node.isLeaf {
            let (l, r) = (tree.nodes[node.left], tree.nodes[node.right])
            func term(_ g: Double, _ h: Double) -> Double { g * g / (h + lambda) }
            rows += [
                ["G_L, H_L", "\(number(l.gradient)), \(number(l.hessian))", "yes side, \(l.rows) rows"],
                ["G_R, H_R", "\(number(r.gradient)), \(number(r.hessian))", "no side, \(r.rows) rows"],
                ["G_L^2/(H_L+l)", number(term(l.gradient, l.hessian)), "left score"],
                ["G_R^2/(H_R+l)", number(term(r.gradient, r.hessian)), "right score"],
                ["G^2/(H+l)", number(term(node.gradient, node.hessian)), "score unsplit"],
                ["gain", number(node.gain), "left + right - unsplit - gamma (\(number(gamma)))"],
            ]
            let name = node.feature < featureNames.count ? featureNames[node.feature] : "x\(node.feature)"
            title = "Newton ledger\(owner.map { " (\($0))" } ?? ""), node [\(id)]: \(name) < \(number(Double(node.threshold)))?"
        }
        return Panel(title: title, content: .table(TableSpec(headers: ["", "value", "how"], rows: rows,
                                                              alignments: [.left, .right, .left], importance: [3, 2, 1])))
    }
}
