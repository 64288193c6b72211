import CardioSim
import Foundation
import MLEngine

extension CNNBeatLab: ImportedBeatClassifying {
    /// The CNN reads the imported beats as it reads its own: each standardised on its own, as
    /// one channel.
    public func classify(_ recording: ImportedRecording) throws -> ImportedBeatEvaluation {
        let beats = ImportedBeatEvaluation.beatTensor(recording)
        return ImportedBeatEvaluation.evaluate(model, inputs: Self.channels(beats), recording: recording, classes: dataset.classes)
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
