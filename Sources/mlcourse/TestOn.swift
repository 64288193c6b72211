import App
import ArgumentParser
import CardioSim
import Course
import Labs

/// `--test-on NAME` for `run` and `replay`: the session's model, as it is after training or
/// loading, classifies the beats of the learner's imported recording NAME.
enum TestOn {
    /// Loads the recording first, so a wrong name fails before any training (exit 65).
    static func recording(_ name: String?) throws -> ImportedRecording? {
        guard let name else { return nil }
        do { return try LearnerRecordings.store().load(name) } catch {
            Console.error("mlcourse: --test-on \(name): \(error)")
            throw ExitCode(65)
        }
    }

    static func evaluate(_ recording: ImportedRecording?, in session: Session, into report: inout HeadlessRunReport) throws {
        guard let recording else { return }
        guard let lab = session.lab as? ImportedBeatClassifying else {
            Console.error("mlcourse: --test-on works with the beat classifiers (mlp-ecg, cnn-ecg), not \(session.lab?.id ?? "this lab")")
            throw ExitCode(64)
        }
        let result = try lab.classify(recording)
        let counts = Dictionary(uniqueKeysWithValues: zip(result.classNames, result.classCounts))
        report.testOn = TestOnReport(recording: recording.name, beats: result.beats, classCounts: counts,
                                     meanConfidence: result.meanConfidence, scoredBeats: result.scored, testAccuracy: result.accuracy)
    }
}
