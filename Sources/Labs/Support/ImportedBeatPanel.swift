import CardioSim
import Course
import TextPlot

/// What `:data NAME` shows on a beat-classifier page: the learner's recording with each
/// detected beat drawn in the colour (on a terminal without colour, the mark) of the class the
/// model gave it, the class counts and confidence, and, when the recording is labelled, accuracy
/// and a confusion matrix over its scored beats.
public struct ImportedBeatView: Sendable {
    public var recording: ImportedRecording
    public var evaluation: ImportedBeatEvaluation
    /// The training step of the model that classified the beats.
    public var step: Int

    public init(recording: ImportedRecording, evaluation: ImportedBeatEvaluation, step: Int) {
        self.recording = recording; self.evaluation = evaluation; self.step = step
    }

    /// One-letter class codes for the band under the trace (MIT-BIH style where one exists).
    static let letters: [String: String] = ["normal": "N", "pvc": "V", "afib": "F", "bbb": "B", "ste": "S"]
    /// Seconds of the recording the trace shows.
    static let shownSeconds = 8.0

    public static let disclaimer = "A teaching model trained on simulated beats, not a diagnosis."

    /// The message `:data` answers with.
    public var message: String {
        let counts = zip(evaluation.classNames, evaluation.classCounts).filter { $0.1 > 0 }.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
        let accuracy = evaluation.accuracy.map { "; accuracy \(Int(($0 * 100).rounded()))% on \(evaluation.scored) labelled beats" } ?? ""
        return "\(recording.name): \(evaluation.beats) beats classified (\(counts))\(accuracy). \(Self.disclaimer)"
    }

    public var panel: Panel {
        let e = evaluation
        let title = "Your ECG '\(recording.name)': \(e.beats) beats, \(Int(recording.heartRate.rounded())) bpm (model at step \(step))"
        var parts = [PanelPart(.lineChart(trace), weight: 3,
                               caption: "first \(Int(Self.shownSeconds)) s; each beat marked as the class it was given. \(Self.disclaimer)")]
        var rows = e.classNames.indices.map { c in
            [e.classNames[c], Self.letters[e.classNames[c]] ?? "?", String(e.classCounts[c])]
        }
        rows.append(["mean confidence", "", String(format: "%.2f", e.meanConfidence)])
        if let accuracy = e.accuracy { rows.append(["accuracy (\(e.scored) labelled)", "", String(format: "%.0f%%", accuracy * 100)]) }
        let table = TableSpec(headers: ["predicted", "mark", "beats"], rows: rows, alignments: [.left, .left, .right])
        if e.accuracy != nil {
            let names = e.classNames
            let confusion = HeatmapSpec(rows: names.count, columns: names.count, values: e.confusion.flatMap { $0.map(Double.init) },
                                        palette: .sequential, rowLabels: names, columnLabels: names, showValues: true, showColorBar: false)
            parts.append(PanelPart(.split([PanelPart(.table(table), weight: 1),
                                           PanelPart(.heatmap(confusion), weight: 1, caption: "labelled (rows) vs predicted")],
                                          direction: .columns), weight: 2))
        } else {
            parts.append(PanelPart(.table(table), weight: 2, caption: "no labels: counts and confidence only"))
        }
        return Panel(title: title, content: .split(parts, direction: .rows))
    }

    /// The start of the recording in grey, and over it one series per class: the samples of
    /// the beats given that class (gaps elsewhere), so each beat is a band of its class's colour.
    var trace: LineChartSpec {
        let shown = min(recording.signal.count, Int(Self.shownSeconds * recording.samplingRate))
        let signal = recording.signal[0..<shown].map(Double.init)
        let x = (0..<shown).map { Double($0) / recording.samplingRate }
        var series = [LineSeries(name: "ECG", values: signal, x: x, color: .indexed(8))]
        for (c, name) in evaluation.classNames.enumerated() {
            var values = [Double](repeating: .nan, count: shown)
            var any = false
            for (b, peak) in recording.beatPeaks.enumerated() where evaluation.predicted[b] == c && peak < shown {
                // The QRS and its surroundings: 100 ms either side of the R peak.
                for i in max(0, peak - 25)..<min(shown, peak + 25) { values[i] = signal[i] }
                any = true
            }
            if any { series.append(LineSeries(name: "\(Self.letters[name] ?? "?") \(name)", values: values, x: x)) }
        }
        return LineChartSpec(series: series)
    }
}
