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

    /// The recording over its beat bands, then the counts in words and, when the recording is
    /// labelled, the confusion matrix of the classes that occur. Sized for 80x24, where the
    /// panel has about six rows: the band row and a one-row trace come first, the words next.
    public var panel: Panel {
        let e = evaluation
        // The disclaimer's key words ride in the title, which every terminal size shows; the
        // full sentence under the counts can fall off a six-row panel at 80x24.
        let title = "Your ECG '\(recording.name)', not a diagnosis: \(e.beats) beats, \(Int(recording.heartRate.rounded())) bpm, model at step \(step)"
        let bands = PanelPart(.segmentedSignal(bandedTrace), weight: 3)
        // Only the classes given at least once: five counts, mostly 0, would push the
        // accuracy off a six-row panel.
        var counts = zip(e.classNames, e.classCounts).filter { $0.1 > 0 }
            .map { "\(Self.letters[$0.0] ?? "?") \($0.0) \($0.1)" }.joined(separator: ", ")
        counts += String(format: "; mean confidence %.2f", e.meanConfidence)
        if let accuracy = e.accuracy { counts += String(format: "; accuracy %.0f%% on %d labelled beats", accuracy * 100, e.scored) }
        let words = PanelPart(.text("Predicted \(counts).\n\n\(Self.disclaimer)"), weight: 2)
        guard let confusion = occurringConfusion else {
            return Panel(title: title, content: .split([bands, words], direction: .rows), preferredHeight: Self.preferredHeight)
        }
        return Panel(title: title, content: .split([bands, PanelPart(.split([words, PanelPart(.heatmap(confusion), weight: 1,
                                                                                               caption: "labelled (rows) vs predicted")],
                                                                             direction: .columns), weight: 2)],
                                                   direction: .rows),
                     preferredHeight: Self.preferredHeight)
    }

    /// A trace of six rows over two bands and their key, and four rows of words: the panel
    /// asks the grid for this much, border included, over the even share.
    static let preferredHeight = 17

    /// The confusion matrix over the classes that were labelled or predicted at least once (a
    /// recording of normal and PVC beats gives 2 x 2, legible in a few rows); nil without labels.
    var occurringConfusion: HeatmapSpec? {
        let e = evaluation
        guard e.accuracy != nil else { return nil }
        let matrix = e.confusion
        let shown = e.classNames.indices.filter { c in matrix[c].contains { $0 > 0 } || matrix.contains { $0[c] > 0 } }
        let names = shown.map { Self.letters[e.classNames[$0]] ?? e.classNames[$0] }
        return HeatmapSpec(rows: shown.count, columns: shown.count, values: shown.flatMap { r in shown.map { Double(matrix[r][$0]) } },
                           palette: .sequential, rowLabels: names, columnLabels: names, showValues: true, showColorBar: false)
    }

    /// The first seconds of the recording with a band under it: around each detected beat
    /// (100 ms either side of its R peak) the class the model gave it, in its colour, or its
    /// letter in ASCII; and, when the recording is labelled, the labels in a second band.
    var bandedTrace: SegmentedSignalSpec {
        let shown = min(recording.signal.count, Int(Self.shownSeconds * recording.samplingRate))
        let e = evaluation
        var model = [Int](repeating: 0, count: shown), labelled = [Int](repeating: 0, count: shown)
        let halfWidth = Int((0.1 * recording.samplingRate).rounded())
        for (b, peak) in recording.beatPeaks.enumerated() where peak < shown {
            for i in max(0, peak - halfWidth)..<min(shown, peak + halfWidth) {
                model[i] = e.predicted[b] + 1
                if let truth = e.truth[b] { labelled[i] = truth + 1 }
            }
        }
        let classes = [SegmentedSignalSpec.ClassBand(letter: ".", name: "between beats")]
            + e.classNames.map { SegmentedSignalSpec.ClassBand(letter: Character(Self.letters[$0] ?? "?"), name: $0) }
        var strips = [SegmentedSignalSpec.Strip(name: "model", labels: model)]
        if e.accuracy != nil { strips.append(.init(name: "labels", labels: labelled)) }
        return SegmentedSignalSpec(signal: recording.signal[0..<shown].map(Double.init), strips: strips, classes: classes)
    }
}
