import CardioSim
import Course
import Labs
import MLEngine
import Testing
import TextPlot

/// `:data` and `--test-on`: a lab's trained model on beats that came in through the importer.
@Suite struct ImportedBeatsTests {
    /// 80 beats of the course's own recipe (another seed), laid end to end, labelled, and
    /// imported as a learner's CSV would be.
    static let recording: ImportedRecording? = {
        var config = BeatDatasetConfig(trainCount: 0, testCount: 80)
        config.beat.jitterSamples = 0
        config.beat.shapeVariation = 0
        guard let data = try? BeatDataset.generate(config, seed: 99),
              let csv = try? RecordingCSV.parse(data.test.recordingCSV(classes: data.classes)) else { return nil }
        return try? ECGImporter.importRecording(csv, options: ImportOptions(samplingRate: 250, removeBaseline: false),
                                                name: "own", fileName: "own.csv")
    }()

    @Test func aTrainedMLPClassifiesImportedBeatsAsWellAsItsOwn() throws {
        let recording = try #require(Self.recording)
        var lab = BeatClassifierLab(seed: 7, dataset: try #require(SharedBeats.dataset), hidden: MLPBeatLabTests.smallHidden)
        let untrained = try lab.classify(recording)
        try lab.stepMany(100)
        let trained = try lab.classify(recording)
        #expect(trained.beats == recording.beatCount && trained.classCounts.reduce(0, +) == trained.beats)
        #expect(trained.scored >= 78 && trained.scored <= recording.beatCount)  // all but the two ends; a seam may add an unlabelled one
        let accuracy = try #require(trained.accuracy)
        #expect(accuracy > 0.9, "trained accuracy \(accuracy) on imported beats")
        #expect(accuracy > (untrained.accuracy ?? 1) + 0.3)
        #expect(trained.meanConfidence > untrained.meanConfidence)
        // The confusion matrix holds every scored beat, its diagonal the correct ones.
        let confusion = trained.confusion
        #expect(confusion.flatMap { $0 }.reduce(0, +) == trained.scored)
        #expect(Double(confusion.indices.map { confusion[$0][$0] }.reduce(0, +)) / Double(trained.scored) == accuracy)
    }

    @Test func theCNNReadsThemStandardisedAndThePanelSaysWhatItIsNot() throws {
        let recording = try #require(Self.recording)
        let lab = CNNBeatLab(seed: 3, dataset: try #require(SharedBeats.dataset), filters: 4, layers: 1)
        let result = try lab.classify(recording)
        #expect(result.beats == recording.beatCount && result.confidence.allSatisfy { $0 >= 1.0 / 5 && $0 <= 1 })
        let view = ImportedBeatView(recording: recording, evaluation: result, step: 0)
        #expect(view.message.contains("not a diagnosis"))
        let panel = view.panel
        #expect(panel.title.contains("'own'") && panel.title.contains("\(recording.beatCount) beats"))
        // The title, which no terminal size cuts, carries the disclaimer too.
        #expect(panel.title.contains("not a diagnosis"))
        // It asks the grid for room for its trace, bands and words (the even share of 80x24 is six rows).
        #expect((panel.naturalHeight ?? 0) >= 12)
        guard case .split(let parts, _) = panel.content, parts.count == 2,
              case .segmentedSignal(let trace) = parts[0].content else { Issue.record("the data panel is not bands over words"); return }
        // The band under the trace holds, at each shown beat's R peak, the class the model gave it
        // (band 0 is the gap between beats), and the labels band the annotated class.
        #expect(trace.problem == nil)
        #expect(trace.strips.map(\.name) == ["model", "labels"])
        let shownPeaks = recording.beatPeaks.enumerated().filter { $0.element < trace.signal.count }
        #expect(shownPeaks.count >= 5)
        for (beat, peak) in shownPeaks {
            #expect(trace.strips[0].labels[peak] == result.predicted[beat] + 1)
            #expect(trace.strips[1].labels[peak] == result.truth[beat].map { $0 + 1 } ?? 0)
        }
        #expect(trace.strips[0].labels[0..<max(0, shownPeaks[0].element - 30)].allSatisfy { $0 == 0 })
        // The words say what this is not; the confusion matrix keeps only the classes that occur.
        guard case .split(let lower, _) = parts[1].content, case .text(let words) = lower[0].content,
              case .heatmap(let confusion) = lower[1].content else { Issue.record("no words and confusion"); return }
        #expect(words.contains("not a diagnosis"))
        let occurring = result.classNames.indices.filter { c in result.predicted.contains(c) || result.truth.contains(c) }
        #expect(confusion.rows == occurring.count && confusion.values.reduce(0, +) == Double(result.scored))
        // A lab without data pins nothing and has no data panel.
        #expect(lab.pinnedPanels.isEmpty && lab.panel("data") == nil)
    }
}
