import Course
import Foundation
import TextPlot

/// The panels of `unet-ecg`, `window-cnn` and `swin-unet`.
enum SegmentationPanels {
    static func fixed2(_ v: Double) -> String { String(format: "%.2f", v) }
    static func fixed1(_ v: Double) -> String { String(format: "%.1f", v) }
    static func percent(_ v: Double) -> String { String(format: "%.1f%%", 100 * v) }

    static let bands = [SegmentedSignalSpec.ClassBand(letter: ".", name: "background"),
                        SegmentedSignalSpec.ClassBand(letter: "P", name: "P wave"),
                        SegmentedSignalSpec.ClassBand(letter: "Q", name: "QRS"),
                        SegmentedSignalSpec.ClassBand(letter: "T", name: "T wave")]

    static func panel(_ id: String, of lab: ECGSegmentationLab) -> Panel? {
        let metrics = lab.metrics
        switch id {
        case "strips":
            let example = lab.example
            let spec = SegmentedSignalSpec(signal: example.signal, strips: [
                .init(name: "true", labels: example.truth), .init(name: "net", labels: example.predicted),
            ], classes: bands)
            return Panel(title: "Test recording #\(lab.exampleIndex): true and predicted labels", content: .segmentedSignal(spec))
        case "loss":
            let name = switch lab.kind {
            case .unet: lab.parameters[named: "loss"]?.value.choice ?? ""
            case .window: "ce"
            case .swin: ECGSegmentationLab.LossKind.diceCE.rawValue
            }
            let chart = LineChartSpec(series: [LineSeries(name: "train", values: metrics.values("train_loss"),
                                                          x: metrics.measurementIndices("train_loss"))],
                                      yScale: .logarithmic, smoothing: 0.9)
            return Panel(title: "Training loss (\(name))", content: .lineChart(chart))
        case "dice":
            let latest = ["test_dice_p", "test_dice_qrs", "test_dice_t", "test_dice"].map { metrics.latest($0).map(fixed2) ?? "-" }
            return MetricChart.panel(title: "Test Dice: P \(latest[0])  QRS \(latest[1])  T \(latest[2])  mean \(latest[3])",
                                     metrics: metrics, series: ["test_dice_p", "test_dice_qrs", "test_dice_t", "test_dice"],
                                     labels: ["P", "QRS", "T", "mean"], x: "test_step", target: TargetLine(0.85, label: "goal"),
                                     yRange: 0...1)
        case "boundaries": return boundaries(lab)
        case "runs": return runs(lab)
        case "maps":
            let maps = lab.example.maps
            let (rows, columns) = (min(maps.shape[0], 32), maps.shape[1])
            let values = maps.withUnsafeScalars { Array($0[0..<(rows * columns)]).map(Double.init) }
            let heat = HeatmapSpec(rows: rows, columns: columns, values: values, palette: .sequential, showColorBar: false)
            let what = lab.kind == .window ? "Second layer" : "Bottleneck"
            let positions = lab.kind == .swin ? "tokens" : "positions"
            return Panel(title: "\(what) feature maps: \(rows) channels x \(columns) \(positions)", content: .heatmap(heat))
        default: return nil
        }
    }

    /// The last measurement as a table: per-sample accuracy beside "all background"'s, the
    /// boundary error and the spurious waves.
    static func boundaries(_ lab: ECGSegmentationLab) -> Panel {
        let s = lab.latestScores
        func cell(_ v: Double?, _ format: (Double) -> String) -> String { v.map(format) ?? "-" }
        let rows = [
            ["accuracy (per sample)", cell(s?.accuracy, percent), percent(lab.backgroundShare)],
            ["mean Dice (P, QRS, T)", cell(s?.meanDice, fixed2), "0.00"],
            ["boundary error", cell(s?.boundaryErrorMilliseconds) { "\(fixed1($0)) ms" }, "100.0 ms"],
            ["spurious waves", cell(s.map { Double($0.spuriousWaves) }) { String(Int($0)) }, "0"],
        ]
        let table = TableSpec(headers: ["on the test set", "this net", "all background"], rows: rows,
                              alignments: [.left, .right, .right])
        return Panel(title: "Where the waves start and end", content: .table(table))
    }

    /// Every configuration measured so far (kept across resets), the current one marked.
    static func runs(_ lab: ECGSegmentationLab) -> Panel {
        let finished = lab.finishedRuns
        let rows = finished.map { run in
            [run.name == lab.currentRunName ? "> " + run.name : run.name, fixed2(run.values[0]), fixed2(run.values[1]),
             "\(fixed1(run.values[5])) ms", String(Int(run.values[7]))]
        }
        let table = TableSpec(headers: ["run", "Dice", "Dice P", "boundary", "step"], rows: rows.isEmpty ? [["(none measured yet)", "", "", "", ""]] : rows,
                              alignments: [.left, .right, .right, .right, .right])
        return Panel(title: "Runs so far, side by side", content: .table(table))
    }
}
