import Foundation
import TextPlot

/// The map as a table: one line per row, the same cells on screen (`map` lab) and on the
/// command line (`mlcourse map`). A row without a lab says so in its score cell; a row not
/// trained yet shows a dash (or how far it is), never a number it has not reached.
public enum MapTable {
    public static let headers = ["task", "tier", "model", "loss -> optimizer", "metric", "score", "s", "steps"]
    static let alignments: [TableSpec.Alignment] = [.left, .left, .left, .left, .left, .right, .right, .right]
    /// Dropped first when narrow: loss -> optimizer, then metric, tier, steps, seconds, task;
    /// the model and its score stay (a row is read as "U-Net 0.935").
    static let importance = [7, 3, 10, 1, 2, 9, 6, 5]

    /// What a row shows in a table.
    public enum State: Sendable {
        /// No lab produces it yet.
        case notAvailable
        case waiting
        /// Being trained: steps so far of the budget.
        case training(steps: Int, budget: Int)
        /// Finished at one or more seeds.
        case done([MapResult])
    }

    /// The cells of `row`, in `headers` order.
    public static func cells(_ row: MapRow, _ state: State) -> [String] {
        let group = [row.group.name, row.tier.rawValue, row.model, row.training,
                     row.group.metric + (row.group.higherIsBetter ? " (up)" : " (down)")]
        switch state {
        case .notAvailable: return group + ["not available yet", "", ""]
        case .waiting: return group + ["-", "", ""]
        case .training(let steps, let budget): return group + ["training", "", "\(steps)/\(budget)"]
        case .done(let results):
            let seconds = results.map(\.seconds).reduce(0, +) / Double(max(1, results.count))
            let steps = results.map(\.steps).max() ?? 0
            return group + [scoreText(results), Self.seconds(seconds), "\(steps)"]
        }
    }

    /// The mean score, with its spread (standard deviation) over seeds when there are several;
    /// "diverged" when no seed produced a score.
    public static func scoreText(_ results: [MapResult]) -> String {
        let scores = results.compactMap(\.score)
        guard !scores.isEmpty else { return results.contains { $0.status == .diverged } ? "diverged" : "no score" }
        let (mean, spread) = summary(scores)
        let text = number(mean)
        return scores.count > 1 ? "\(text) +- \(number(spread))" : text
    }

    /// Mean and sample standard deviation (0 for one value).
    public static func summary(_ scores: [Double]) -> (mean: Double, spread: Double) {
        let mean = scores.reduce(0, +) / Double(scores.count)
        guard scores.count > 1 else { return (mean, 0) }
        let variance = scores.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(scores.count - 1)
        return (mean, variance.squareRoot())
    }

    /// About four significant figures: enough to rank close rows (a reconstruction MSE of
    /// 0.0199 against 0.0152), narrow enough for an 80-column table; 3.000 keeps its zeros.
    static func number(_ x: Double) -> String {
        let size = abs(x)
        return String(format: size >= 100 ? "%.1f" : (size >= 1 ? "%.3f" : "%.4g"), x)
    }

    /// Tenths of a second, hundredths under one.
    static func seconds(_ s: Double) -> String { String(format: s < 1 ? "%.2f" : "%.1f", s) }

    /// The widget: rows in map order, the finished best of each group highlighted.
    public static func spec(_ rows: [MapRow], state: (MapRow) -> State) -> TableSpec {
        let states = rows.map(state)
        var best: Set<Int> = []
        for group in MapGroup.all {
            let scored = rows.indices.compactMap { i -> (Int, Double)? in
                guard rows[i].group == group, case .done(let results) = states[i] else { return nil }
                let scores = results.compactMap(\.score)
                return scores.isEmpty ? nil : (i, summary(scores).mean)
            }
            guard scored.count > 1 else { continue }
            let top = group.higherIsBetter ? scored.max { $0.1 < $1.1 } : scored.min { $0.1 < $1.1 }
            if let top { best.insert(top.0) }
        }
        return TableSpec(headers: headers, rows: zip(rows, states).map { cells($0, $1) }, alignments: alignments,
                         highlightedRows: best, importance: importance)
    }

    /// Plain text, columns padded, for the command line.
    public static func text(_ spec: TableSpec) -> String {
        let all = [spec.headers] + spec.rows
        let widths = spec.headers.indices.map { column in all.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        return all.map { cells in
            cells.enumerated().map { column, cell in
                let pad = String(repeating: " ", count: max(0, widths[column] - cell.count))
                return column < alignments.count && alignments[column] == .right ? pad + cell : cell + pad
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }.joined(separator: "\n")
    }
}
