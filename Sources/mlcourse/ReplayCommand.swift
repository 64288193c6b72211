import App
import ArgumentParser
import Course
import Foundation

/// `mlcourse replay FILE`: continues from a checkpoint, or (`--from-start`) re-runs its run from
/// the seed and the logged hyperparameter changes, which reproduces it exactly.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Load a checkpoint (or re-run it from its seed and changes) and train on headless.",
        discussion: """
            Exit codes: 0 ok; 2 replayed from the start, but the weights differ from the saved ones (the lab's \
            code or data changed since saving); 64 a malformed name or option; 65 the file is not a sound \
            checkpoint of a known lab; 1 not found, or the run diverged.
            """)

    @Argument(help: "The checkpoint: a name (see `mlcourse checkpoints`) or a .safetensors file.")
    var file: String

    @Flag(help: "Rebuild the run from its seed and event log instead of loading its saved state.")
    var fromStart = false

    @Option(parsing: .unconditional, help: "Train this many more steps afterwards.")
    var steps = 0

    @Flag(help: "Print one JSON object on stdout (the keys of `mlcourse run --json`).")
    var json = false

    @Option(name: .customLong("test-on"), help: "Classify the beats of an imported recording with the model (see `mlcourse data import`).")
    var testOn: String?

    func validate() throws {
        guard (0...RunRecord.maximumSteps).contains(steps) else {
            throw ValidationError("--steps must be between 0 and \(RunRecord.maximumSteps), got \(steps)")
        }
    }

    func run() throws {
        let imported = try TestOn.recording(testOn)
        let library = CheckpointFiles.library(environment: ProcessInfo.processInfo.environment)
        let session = Session(lessons: [], catalogue: Catalogue.labs)
        var mismatch = false
        do {
            let target = CheckpointFiles.argument(file)
            if fromStart {
                let opening = try library.replayReport(target, into: session)
                mismatch = opening.weightsMatch == false
                Console.error(opening.message)
            } else {
                Console.error(try library.load(target, into: session))
            }
        } catch {
            Console.error("mlcourse replay: \(error)")
            throw ExitCode(CheckpointFiles.exitCode(for: error))
        }
        var report: HeadlessRunReport
        do { report = try HeadlessRun(catalogue: Catalogue.labs).train(session, steps: steps) } catch {
            Console.error("mlcourse replay: \(error)")
            throw ExitCode(1)
        }
        if report.status != .diverged { try TestOn.evaluate(imported, in: session, into: &report) }
        try Output.report(report, json: json)
        if report.status == .diverged { throw ExitCode(1) }
        // Scripts rely on the status: a replay that did not reproduce the file is not a success.
        if mismatch { throw ExitCode(2) }
    }
}

/// `mlcourse checkpoints`: the saved checkpoints.
struct CheckpointsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "checkpoints", abstract: "List saved checkpoints.")

    func run() throws {
        let library = CheckpointFiles.library(environment: ProcessInfo.processInfo.environment)
        let listing = library.list()
        if listing.isEmpty {
            let folder = (try? library.folder.path) ?? "the checkpoints folder"
            print("no checkpoints yet in \(folder); `:save NAME` in the course or `mlcourse run LAB --save FILE` makes one")
        }
        for entry in listing { print(entry.summary) }
    }
}
