import Course
import MLEngine
import TextPlot

/// One test sequence as the network sees it, for the panels: its hidden states and (LSTM) gate
/// activations at every step, slot by slot. Made once an evaluation, not once a frame.
struct SequenceView: Sendable {
    /// Memory slots shown (the first ones, when there are more).
    static let shownSlots = 32
    /// Time steps are averaged into at most this many columns.
    static let maxColumns = 200

    let steps: Int
    let slots: Int
    /// Which test sequence and what the network says about it.
    let index: Int
    let label: Int
    let probabilityPremature: Double
    /// [slots][columns] each, time along the columns.
    let hidden: [[Double]]
    let gates: [LSTMGate: [[Double]]]

    /// The first premature test sequence (label 1) run through `model` without recording.
    static func make(_ model: SequenceClassifier, inputs: Tensor, labels: [Int]) -> SequenceView? {
        guard let index = labels.firstIndex(of: 1) ?? labels.indices.first else { return nil }
        let one = inputs.slice(alongAxis: 1, index..<(index + 1))
        let (logits, output) = withNoGrad { model.run(one) }
        let p = logits.softmax(alongAxis: 1).scalar(at: 1)
        let trace = output.trace
        let slots = min(shownSlots, trace.hidden)
        var gates: [LSTMGate: [[Double]]] = [:]
        for gate in [LSTMGate.forget, .input, .output] {
            if let values = trace.gateActivations(gate) { gates[gate] = columns(values, slots: slots) }
        }
        return SequenceView(steps: trace.steps, slots: slots, index: index, label: labels[index],
                            probabilityPremature: Double(p), hidden: columns(trace.hiddenStates(), slots: slots), gates: gates)
    }

    /// [T, 1, H] -> [slots][columns], averaging runs of steps when T is long.
    static func columns(_ values: Tensor, slots: Int) -> [[Double]] {
        let (t, h) = (values.shape[0], values.shape[2])
        let count = min(t, maxColumns)
        return values.withUnsafeScalars { v in
            (0..<slots).map { slot in
                (0..<count).map { column in
                    let start = column * t / count, end = max(start + 1, (column + 1) * t / count)
                    var total = 0.0
                    for step in start..<end { total += Double(v[step * h + slot]) }
                    return total / Double(end - start)
                }
            }
        }
    }

    /// "1" under the first column only: with more columns than cells the heatmap would cut the
    /// last label ("100" to "1"), so the titles say the range instead ("beat 1-100").
    var columnLabels: [String] {
        let count = hidden.first?.count ?? 0
        return (0..<count).map { $0 == 0 ? "1" : "" }
    }
}

/// The recurrent labs' panels, built from what the labs keep.
enum RecurrentPanels {
    /// One gate's activations (memory slot x time step) for the example sequence.
    static func gate(_ gate: LSTMGate, of view: SequenceView, cell: RecurrentCell) -> Panel {
        let name = gate == .forget ? "Forget" : gate == .input ? "Input" : "Output"
        guard let matrix = view.gates[gate] else {
            return Panel(title: "\(name) gate", content: .text("The RNN has no gates: every step overwrites the whole memory. Set `cell` to lstm to see them."))
        }
        let meaning = gate == .forget ? "1 keeps the slot" : gate == .input ? "1 writes the slot" : "1 shows the slot"
        let spec = HeatmapSpec(rows: view.slots, columns: matrix.first?.count ?? 0, values: matrix.flatMap { $0 },
                               palette: .sequential, range: 0...1, rowLabels: slotLabels(view.slots),
                               columnLabels: view.columnLabels)
        return Panel(title: "\(name) gate: slot x beat 1-\(view.steps) (\(meaning))", content: .heatmap(spec))
    }

    /// The hidden state (memory slot x time step) for the example sequence.
    static func hidden(_ view: SequenceView, cell: RecurrentCell) -> Panel {
        let spec = HeatmapSpec(rows: view.slots, columns: view.hidden.first?.count ?? 0, values: view.hidden.flatMap { $0 },
                               palette: .diverging, range: -1...1, rowLabels: slotLabels(view.slots),
                               columnLabels: view.columnLabels)
        // A diverged run (NaN weights) has no probability to show; say so instead of trapping.
        let percent = view.probabilityPremature * 100
        // The answer comes first: a narrow panel cuts the end of its title.
        let answer = percent.isFinite ? "\(Int(percent.rounded()))% premature" : "no answer (diverged)"
        return Panel(title: "\(cell.rawValue.uppercased()) hidden state: \(answer), beat 1-\(view.steps)",
                     content: .heatmap(spec))
    }

    /// "1" and the last slot's number; the heatmap keeps the first and last labels.
    static func slotLabels(_ count: Int) -> [String] {
        (0..<count).map { $0 == 0 ? "1" : ($0 == count - 1 ? "\(count)" : "") }
    }

    /// |d(loss)/d(hidden state)| against the time step, log scale.
    static func gradientProfile(_ profile: [Double], cell: RecurrentCell, ratio: Double?) -> Panel {
        let positive = profile.map { max($0, 1e-30) }
        let chart = LineChartSpec(series: [LineSeries(name: "|dL/dh_t|", values: positive,
                                                      x: profile.indices.map { Double($0 + 1) })],
                                  yScale: .logarithmic, showLegend: false)
        let ratioText = ratio.map { ", first/last \(NumberText.format(significant($0)))" } ?? ""
        return Panel(title: "\(cell.rawValue.uppercased()) gradient size by beat\(ratioText)", content: .lineChart(chart))
    }

    static func significant(_ x: Double) -> Double {
        guard x.isFinite, x != 0 else { return x }
        return Double(String(format: "%.2g", x)) ?? x
    }
}
