import Course
import Foundation

/// Where the command line gets its checkpoint library.
///
/// Files live in `<progress folder>/checkpoints/NAME.safetensors`; on the command line a FILE
/// that contains a `/` or ends in `.safetensors` is a path (`mlcourse run --save FILE`, `mlcourse replay FILE`).
/// `:save`, `:load`, `:replay`, `:checkpoints`, `run --save`, `replay` and `checkpoints` all go
/// through this one library.
enum CheckpointFiles {
    /// The library, with the temporary files of saves killed mid-way (kill -9) removed.
    static func library(environment: [String: String]) -> CheckpointFolder {
        let library = CheckpointFolder(environment: environment)
        library.removeLeftoverTemporaries()
        return library
    }

    /// A command-line FILE argument as the library's name-or-path: a bare "run.safetensors"
    /// typed on the command line means that file in the current folder, not a checkpoint name.
    static func argument(_ file: String) -> String {
        file.hasSuffix(".safetensors") && !CheckpointFolder.isPath(file) ? "./" + file : file
    }

    /// The exit code for a checkpoint failure: 65 for a file that is not a sound checkpoint of
    /// a known lab, 64 for a malformed name, 1 for anything else (missing, unwritable).
    static func exitCode(for error: any Error) -> Int32 {
        guard let error = error as? CheckpointError else { return 1 }
        if error.isBadData { return 65 }
        return error.category == .usage ? 64 : 1
    }
}
