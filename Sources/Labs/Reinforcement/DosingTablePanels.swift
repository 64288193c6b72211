import CardioSim
import Course
import Foundation
import MLEngine
import TextPlot

/// What `q-table` draws with `env` dosing: the table itself (18 state bins by 4 doses, no exact
/// one beside it: the binned process has none), the greedy dose in each bin beside the
/// clinician's rule.
struct DosingTablePanels {
    var table: QTable
    var config: DosingConfig
    var discount: Double

    /// Rows are state bins (severity, then drug level), columns the doses; a cell never tried
    /// stays 0, so the table visibly fills in as patients reach new bins.
    func valuesPanel() -> Panel {
        let values = table.values.map(Double.init)
        let finite = values.filter(\.isFinite)
        let low = Swift.min(finite.min() ?? 0, 0), high = Swift.max(finite.max() ?? 1, low + 1e-6)
        let map = HeatmapSpec(rows: DosingStateBins.count, columns: table.actions, values: values, palette: .sequential,
                              range: low...high, rowLabels: (0..<DosingStateBins.count).map(DosingStateBins.label),
                              columnLabels: config.doses.map { NumberText.format($0) }, showValues: true,
                              showColorBar: false)
        return Panel(title: "Q-table on dosing: state bin by dose (discount \(NumberText.format(discount)))",
                     content: .heatmap(map))
    }

    /// The greedy dose (mg/L) in each bin, severity down and level across, with the clinician's
    /// rule (which reads the level alone) underneath; "." marks a bin never visited. The dot is
    /// explained in the title, not a legend line: at 120x40 the panel has room for the header
    /// and the four rows and nothing more (a legend cost it the last two rows).
    func policyPanel() -> Panel {
        let levels = DosingStateBins.levelCount
        let dose: (Int) -> String = { NumberText.format(config.doses[$0]) }
        var rows: [[String]] = []
        for severity in (0..<DosingStateBins.severityCount).reversed() {
            let cells = (0..<levels).map { level -> String in
                let row = severity * levels + level
                let visited = (0..<table.actions).contains { table.visits[row * table.actions + $0] > 0 }
                return visited ? dose(table.greedyAction(row)) : "."
            }
            rows.append(["severity \(DosingStateBins.severityLabels[severity])"] + cells)
        }
        rows.append(["clinician"] + DosingStateBins.representativeLevels.map {
            dose(DosingEnvironment.expertAction(level: $0, config: config))
        })
        let spec = TableSpec(headers: ["level (mg/L)"] + DosingStateBins.levelLabels, rows: rows,
                             alignments: [.left] + Array(repeating: .right, count: levels), highlightedRows: [rows.count - 1])
        return Panel(title: "Greedy dose per state bin (mg/L; a dot: not reached yet)", content: .table(spec))
    }
}
