import Course
import Labs
import Testing
import TextPlot

/// `mlp-ecg`'s panels read at the narrowest width the app lays a panel at (34 cells): the
/// part of each title that changes with the lesson comes first, and the confusion matrix
/// shows its counts and nothing that could pass for another column.
@Suite struct MLPBeatPanelTests {
    static let width = 34

    func lab(permute: Bool, shift: Int) throws -> BeatClassifierLab {
        let data = try #require(SharedBeats.dataset)
        var lab = BeatClassifierLab(seed: 7, dataset: data, hidden: 8)
        try lab.applyAndReset(["permute": .choice(permute ? "on" : "off"), "shift": .number(Double(shift))], seed: 7)
        try lab.stepMany(BeatClassifierLab.evaluationInterval)
        return lab
    }

    /// The panel drawn into a canvas `width` cells wide, as text lines.
    func lines(_ panel: Panel?, height: Int = 10) throws -> [String] {
        let panel = try #require(panel)
        var canvas = Canvas(width: Self.width, height: height)
        panel.render(into: &canvas, in: canvas.bounds, capabilities: .full)
        return canvas.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    @Test func titlesKeepWhatTheLessonIsAboutAtThirtyFourCells() throws {
        let lab = try lab(permute: true, shift: 20)
        let accuracy = try lines(lab.panel("accuracy"))
        #expect(accuracy[0].contains("Test accuracy (shift 20)"), "\(accuracy[0])")
        // The whole legend: the curve and the goal line with its level.
        #expect(accuracy[1].contains("━ test  ╌ goal 0.95"), "\(accuracy[1])")
        let weights = try lines(lab.panel("weights"))
        #expect(weights[0].contains("Layer-1 weights, scrambled"), "\(weights[0])")
        let beat = try lines(lab.panel("beat"))
        // The true class leads (whichever beat is shown), then how the network receives it.
        #expect(lab.classNames.contains { beat[0].contains("Test beat: \($0), scramb") }, "\(beat[0])")
        let loss = try lines(lab.panel("loss"))
        #expect(loss[1].contains("━ train  ━ test"), "\(loss[1])")
    }

    @Test func confusionCountsFitAndNoColourBarPosesAsAColumn() throws {
        let lab = try lab(permute: false, shift: 0)
        let text = try lines(lab.panel("confusion"), height: 8)
        let matrix = lab.confusionMatrix
        for (row, name) in lab.classNames.enumerated() {
            let line = try #require(text.first { $0.contains(" \(name) ") || $0.contains("│\(name) ") }, "no row \(name)")
            let numbers = line.split { !$0.isNumber }.map { Int($0)! }
            // Exactly the five counts of the row: no colour bar's number after them.
            #expect(numbers == matrix[row], "\(line)")
        }
    }
}
