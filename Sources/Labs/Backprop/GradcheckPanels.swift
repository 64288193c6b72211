import Foundation
import MLEngine
import TextPlot

/// What the gradient-check lab shows: the table of gradients and the hand-walked chain.
extension GradcheckLab {
    /// "hidden.w[0,0]" for entry 0 of the [3, 2] `hidden.weight`, "output.b[0]" for the output
    /// bias. (The chain panel calls the first one w1.) Short, so that at 70 columns the table
    /// keeps the whole label beside the error and the verdict instead of cutting off the index.
    func rowLabel(_ entry: GradientCheckReport.Entry) -> String {
        let shape = network.parameters.first { $0.name == entry.name }?.value.shape ?? []
        let index = shape.count == 2 ? "[\(entry.index / shape[1]),\(entry.index % shape[1])]" : "[\(entry.index)]"
        let short = entry.name.replacingOccurrences(of: ".weight", with: ".w").replacingOccurrences(of: ".bias", with: ".b")
        return short + index
    }

    func tablePanel() -> Panel {
        let failing = Set(failingRows)
        let rows = report.entries.enumerated().map { i, entry in
            [rowLabel(entry), Self.format(entry.backprop), Self.format(entry.numeric),
             Self.formatError(Self.relativeError(entry)), failing.contains(i) ? "WRONG" : "ok"]
        }
        let table = TableSpec(headers: ["parameter", "backprop", "numeric", "rel. error", ""], rows: rows,
                              alignments: [.left, .right, .right, .right, .left], highlightedRows: failing,
                              // Too narrow for all five: keep the name, the error and the verdict
                              // (the lesson's point), then backprop; the numeric column goes first.
                              importance: [5, 2, 1, 4, 3])
        // The title must survive a half-width panel (about 50 cells at 120 columns): the verdict
        // first, the definition of the relative error is the lesson's to give.
        let verdict = failing.isEmpty ? "all \(rows.count) rows agree" : "\(failing.count) of \(rows.count) rows disagree"
        return Panel(title: "Gradients at h = \(NumberFormat.compact(epsilonValue)): \(verdict)", content: .table(table))
    }

    func chainPanel() -> Panel {
        let path = chain
        let n = path.links.count
        // Columns: example number, then the four factors and their product, 7 characters each:
        // about 50 cells a row, so the sum lines up without wrapping in a half-width panel.
        func pad(_ text: String) -> String { String(repeating: " ", count: Swift.max(0, 7 - text.count)) + text }
        var lines = ["ex " + ["dL/dy", "dy/dh", "dh/dz", "dz/dw1"].map(pad).joined(separator: "   ") + "   " + pad("product")]
        for (e, link) in path.links.enumerated() {
            let factors = [link.lossToOutput, link.outputToHidden, link.hiddenToSum, link.sumToWeight].map { Self.fixed($0) }
            lines.append(String(format: "%2d ", e + 1) + factors.joined(separator: " x ") + " = " + Self.fixed(link.product))
        }
        lines.append(String(repeating: " ", count: 3 + 4 * 7 + 3 * 3 - 3) + "sum = " + Self.fixed(path.total))
        let row = report.entries.first { $0.name == "hidden.weight" && $0.index == 0 }
        let slope = path.miswired ? "h^2 - 1 (the bug: the true slope is 1 - h^2)" : "1 - h^2, with h = tanh(z)"
        // With the bug on, its line leads: at 120x40 the panel shows about a dozen rows, and the
        // legend under the table is the first thing cut.
        var text = path.miswired ? "**The backward pass uses dh/dz = \(slope).**\n\n" : ""
        text += """
        **w1 = hidden.w[0,0]** (a weight of `hidden.weight`): input 1 -> hidden unit 1 -> output -> loss. \
        dL/dw1 = sum over the \(n) examples of dL/dy x dy/dh x dh/dz x dz/dw1:
        ```
        \(lines.joined(separator: "\n"))
        ```
        dL/dy = 2 (y - target) / \(n);  dy/dh = unit 1's output weight;  dh/dz = \(slope);  dz/dw1 = input 1.
        """
        if let row {
            text += "\n\nThe table's first row, w1: backprop \(Self.fixed(row.backprop)), numeric \(Self.fixed(row.numeric))."
            if path.miswired {
                text += " The walk uses the same wrong dh/dz as the backward pass, so its sum is the backprop"
                    + " number; the numeric one comes from the loss itself, which the bug never touches."
            }
        }
        return Panel(title: "The chain rule along one path", content: .text(text))
    }

    var epsilonValue: Double { parameters[named: "epsilon"]?.value.number ?? 0 }

    /// Six decimals for numbers of ordinary size, scientific notation for tiny ones.
    static func format(_ x: Double) -> String {
        if x == 0 { return "0" }
        return Swift.abs(x) >= 1e-3 ? String(format: "%.6f", x) : String(format: "%.3e", x)
    }

    static func formatError(_ x: Double) -> String { x == 0 ? "0" : String(format: "%.1e", x) }

    /// Fixed width for the chain table: sign, one digit, four decimals.
    static func fixed(_ x: Double) -> String { String(format: "%7.4f", x) }
}
