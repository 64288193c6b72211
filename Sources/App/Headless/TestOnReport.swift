import Course

/// `--test-on NAME`: what the model made of a learner's imported beats, as `run --json` and
/// `replay --json` print it under "test_on".
public struct TestOnReport: Encodable, Sendable, Equatable {
    public var recording: String
    public var beats: Int
    /// Beats predicted as each class.
    public var classCounts: [String: Int]
    /// The average of each beat's top softmax probability: how sure the model is, not how right.
    public var meanConfidence: Double
    /// Beats whose annotation maps to a course class.
    public var scoredBeats: Int
    /// Accuracy over the scored beats; absent when the recording has none.
    public var testAccuracy: Double?

    public init(recording: String, beats: Int, classCounts: [String: Int], meanConfidence: Double, scoredBeats: Int, testAccuracy: Double?) {
        self.recording = recording; self.beats = beats; self.classCounts = classCounts
        self.meanConfidence = meanConfidence; self.scoredBeats = scoredBeats; self.testAccuracy = testAccuracy
    }

    enum CodingKeys: String, CodingKey {
        case recording, beats
        case classCounts = "class_counts"
        case meanConfidence = "mean_confidence"
        case scoredBeats = "scored_beats"
        case testAccuracy = "test_accuracy"
    }

    var summary: String {
        let counts = classCounts.keys.sorted().map { "\($0) \(classCounts[$0]!)" }.joined(separator: ", ")
        let accuracy = testAccuracy.map { ", accuracy \(NumberText.format($0)) on \(scoredBeats) labelled beats" } ?? ", no labelled beats"
        return "test on '\(recording)': \(beats) beats (\(counts)), mean confidence \(NumberText.format(meanConfidence))\(accuracy)"
    }
}
