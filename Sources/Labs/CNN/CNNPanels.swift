import Course
import MLEngine
import TextPlot

/// Panels and checkpoint pieces the two chapter 4 labs share.
enum CNNPanels {
    /// A table: per convolution and pool, how many input samples one of its units sees, in
    /// samples, milliseconds and as a share of the window.
    static func receptiveFieldTable(_ fields: [(name: String, samples: Int)], samplingRate: Double, window: Int) -> Panel {
        let rows = fields.map { field in
            [field.name, "\(field.samples)", NumberText.format((Double(field.samples) / samplingRate * 1000).rounded()),
             "\(Int((Double(field.samples) / Double(window) * 100).rounded()))%"]
        }
        let last = fields.last?.samples ?? 1
        return Panel(title: "Receptive field: one unit sees \(last) of \(window) samples",
                     content: .table(TableSpec(headers: ["layer", "samples", "ms", "of window"], rows: rows,
                                               alignments: [.left, .right, .right, .right],
                                               highlightedRows: rows.isEmpty ? [] : [rows.count - 1])))
    }

    /// Named rows of marked stretches along a signal of `length` samples, as a heatmap of
    /// `columns` cells a row (1 where a cell holds any marked sample, else 0). Built here at a
    /// fixed width rather than left to the heatmap, which picks one sample a cell and would
    /// miss a window of a few samples.
    /// Each row is drawn `thickness` pixel rows tall (labelled on its first), so that a band of
    /// two rows is more than one line of half blocks.
    static func windowStrip(length: Int, columns: Int, rows: [(label: String, marked: [Range<Int>])],
                            thickness: Int = 3) -> HeatmapSpec {
        let width = max(1, min(columns, length)), thick = max(1, thickness)
        var values = [Double](repeating: 0, count: rows.count * thick * width)
        for (r, row) in rows.enumerated() {
            for range in row.marked where !range.isEmpty {
                let first = range.lowerBound * width / length, last = (range.upperBound - 1) * width / length
                for c in max(0, first)...min(width - 1, last) {
                    for k in 0..<thick { values[(r * thick + k) * width + c] = 1 }
                }
            }
        }
        let labels = rows.flatMap { row in [row.label] + Array(repeating: "", count: thick - 1) }
        return HeatmapSpec(rows: rows.count * thick, columns: width, values: values, palette: .sequential, range: 0...1,
                           rowLabels: labels, showColorBar: false)
    }

    /// 21253 -> "21,253".
    static func grouped(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }

    // MARK: Checkpoints

    static func json(_ config: CNNConfig) -> JSONValue {
        .object(["filters": .number(Double(config.filters)), "kernel": .number(Double(config.kernel)),
                 "layers": .number(Double(config.layers)), "pool": .string(config.pool.rawValue)])
    }

    /// The network a checkpoint's "built" entry describes, checked against the settings' ranges.
    static func config(from state: LabState, lab: String) throws -> CNNConfig {
        guard let saved = state.metadata["built"]?.object,
              let f = saved["filters"]?.number, let k = saved["kernel"]?.number, let l = saved["layers"]?.number,
              let p = saved["pool"]?.string.flatMap(CNNConfig.Pooling.init(rawValue:)),
              CNNConfig.filterRange.contains(Int(f)), CNNConfig.kernelRange.contains(Int(k)), CNNConfig.layerRange.contains(Int(l)),
              f == f.rounded(), k == k.rounded(), l == l.rounded() else {
            throw LabStateError.badMetadata(lab: lab, key: "built",
                                            problem: "must give filters 1-64, kernel 3-15, layers 1-4 and pool max/avg/none")
        }
        return CNNConfig(filters: Int(f), kernel: Int(k), layers: Int(l), pool: p)
    }
}
