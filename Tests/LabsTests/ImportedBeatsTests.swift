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
        guard case .split(let parts, _) = panel.content else { Issue.record("the data panel is not a split"); return }
        #expect(parts.first?.caption?.contains("not a diagnosis") == true)
        #expect(parts.count == 2)
        // A lab without data pins nothing and has no data panel.
        #expect(lab.pinnedPanels.isEmpty && lab.panel("data") == nil)
    }
}
