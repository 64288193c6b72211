import CardioSim
import Course
import Foundation

/// Where the learner's imported recordings live: the `imports` folder of mlcourse's data folder
/// ($MLCOURSE_HOME, else $XDG_DATA_HOME/mlcourse, else ~/.local/share/mlcourse), beside their
/// progress and checkpoints.
public enum LearnerRecordings {
    public static func store(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ImportedRecordingStore {
        do {
            return ImportedRecordingStore(folder: try ProgressStore.dataFolder(environment: environment).appendingPathComponent("imports"))
        } catch {
            throw CardioSimError.io("cannot find mlcourse's data folder: \(error); set MLCOURSE_HOME")
        }
    }
}
