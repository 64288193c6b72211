import Course
import Foundation

/// Where the command line gets its checkpoint library.
///
/// COORDINATOR: this is the seam to fill once the safetensors checkpoint codec is merged.
/// Return the safetensors-backed `CheckpointLibrary` here, keeping files in
/// `<progress folder>/checkpoints/NAME.safetensors`. `NAME` arguments that contain a `/` or end
/// in `.safetensors` are paths (`mlcourse run --save FILE`, `mlcourse replay FILE`); the library
/// decides that. Nothing else in the command line or the screen needs to change: `:save`,
/// `:load`, `:replay`, `:checkpoints`, `run --save`, `replay` and `checkpoints` all go through it.
/// Errors it throws from `load`/`replay` are reported as bad data (exit 65).
enum CheckpointFiles {
    static func library(environment: [String: String]) -> any CheckpointLibrary {
        PendingCheckpointLibrary()
    }

    /// True while the stand-in is in place (its calls all fail with "arrive in the next step").
    static func isPending(_ library: any CheckpointLibrary) -> Bool { library is PendingCheckpointLibrary }
}
