import CardioSim
import Foundation
import MLEngine

extension BeatClassifierLab: ImportedBeatClassifying {
    /// The MLP reads the imported beats as it reads its own: mV samples, in the same (possibly
    /// permuted) order, each position with its own weights (so alignment at sample 90 matters).
    public func classify(_ recording: ImportedRecording) throws -> ImportedBeatEvaluation {
        var beats = ImportedBeatEvaluation.beatTensor(recording)
        if let permutation = inputs.permutation { beats = beats.gathering(permutation, alongAxis: 1) }
        return ImportedBeatEvaluation.evaluate(model, inputs: beats, recording: recording, classes: dataset.classes)
    }

    /// `:data NAME`: classify the learner's imported recording NAME with the model as it is now.
    public mutating func useData(_ name: String) throws -> String {
        let recording = try LearnerRecordings.store().load(name)
        let view = ImportedBeatView(recording: recording, evaluation: try classify(recording), step: steps)
        importedView = view
        return view.message
    }

    public var pinnedPanels: [String] { importedView == nil ? [] : ["data"] }
}
