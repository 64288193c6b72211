import CardioSim
import MLEngine

/// A lab whose trained model can classify a learner's imported beats (`:data NAME`,
/// `--test-on NAME`): `mlp-ecg` and `cnn-ecg`.
public protocol ImportedBeatClassifying {
    /// Runs the current model, as it is, on the recording's beats.
    func classify(_ recording: ImportedRecording) throws -> ImportedBeatEvaluation
}

/// What a model made of a learner's recording: a class and a confidence per beat, the counts,
/// and, for beats whose annotation maps to one of the course's classes, accuracy and confusion.
public struct ImportedBeatEvaluation: Sendable, Equatable {
    public var recording: String
    public var classNames: [String]
    /// Predicted class index (into `classNames`) of each beat.
    public var predicted: [Int]
    /// The predicted class's softmax probability for each beat.
    public var confidence: [Double]
    /// Annotated class index of each beat; nil when unannotated or unscored.
    public var truth: [Int?]

    public var beats: Int { predicted.count }
    public var classCounts: [Int] { classNames.indices.map { c in predicted.filter { $0 == c }.count } }
    public var meanConfidence: Double { confidence.isEmpty ? 0 : confidence.reduce(0, +) / Double(confidence.count) }
    /// Beats with a scored annotation.
    public var scored: Int { truth.compactMap { $0 }.count }
    /// Accuracy over the scored beats; nil when none is scored.
    public var accuracy: Double? {
        guard scored > 0 else { return nil }
        return Double(zip(truth, predicted).filter { $0.0 == $0.1 }.count) / Double(scored)
    }
    /// Counts over the scored beats: row = annotated class, column = predicted class.
    public var confusion: [[Int]] {
        var matrix = [[Int]](repeating: [Int](repeating: 0, count: classNames.count), count: classNames.count)
        for (t, p) in zip(truth, predicted) { if let t { matrix[t][p] += 1 } }
        return matrix
    }

    /// Runs `model` on `inputs` [beats, ...] (the beats as this lab's network reads them),
    /// a chunk at a time, without gradients.
    static func evaluate<Model: Layer>(_ model: Model, inputs: Tensor, recording: ImportedRecording,
                                       classes: [BeatClass], chunk: Int = 256) -> ImportedBeatEvaluation {
        let count = inputs.shape[0]
        let probabilities = withNoGrad {
            let parts = stride(from: 0, to: count, by: chunk).map { start in
                model(inputs.slice(alongAxis: 0, start..<Swift.min(count, start + chunk))).softmax(alongAxis: 1)
            }
            return Tensor.concatenate(parts, alongAxis: 0)
        }.copyScalars()
        let k = classes.count
        var predicted: [Int] = [], confidence: [Double] = []
        for row in 0..<count {
            var best = 0
            for c in 1..<k where probabilities[row * k + c] > probabilities[row * k + best] { best = c }
            predicted.append(best)
            confidence.append(Double(probabilities[row * k + best]))
        }
        let truth = recording.truth.map { $0.flatMap { classes.firstIndex(of: $0) } }
        return ImportedBeatEvaluation(recording: recording.name, classNames: classes.map(\.rawValue),
                                      predicted: predicted, confidence: confidence, truth: truth)
    }

    /// The recording's beats as a tensor [beats, 250], mV (the layout of CardioSim's beats).
    static func beatTensor(_ recording: ImportedRecording) -> Tensor {
        Tensor(shape: [recording.beatCount, ECGImporter.windowLength], scalars: recording.beats)
    }
}
