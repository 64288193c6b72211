import App
import ArgumentParser
import Course
import Foundation

/// `mlcourse run LAB`: trains a lab without a screen, through the same session and `step()` as
/// the course screen. Progress goes to stderr (a bar on a terminal, nothing otherwise), the
/// result to stdout. A run that diverges says where and why and exits 1.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Train a lab headless: `run neuron --set lr=0.1 --steps 2000 --json`.",
        discussion: """
            Exit codes: 0 the run finished; 1 it diverged (the loss or the weights became NaN or \
            infinite; the message and the JSON's "status" and "message" say where and why); \
            64 an unknown lab, hyperparameter or value.
            """)

    @Argument(help: "The lab id (see `mlcourse list`, or a lesson's lab blocks).")
    var lab: String

    @Option(name: .customLong("set"), help: "A hyperparameter, NAME=VALUE (repeat for more).")
    var settings: [String] = []

    // `.unconditional`: a value may start with "-" (`--steps -5` is out of range, not a flag).
    @Option(parsing: .unconditional, help: "Training steps.")
    var steps = 1000

    @Option(parsing: .unconditional, help: "The seed (same seed and settings: the same numbers).", transform: SeedArgument.parse)
    var seed: UInt64 = 42

    @Option(help: "Save a checkpoint of the final state to FILE (.safetensors), in a folder that exists; only a regular file is replaced.")
    var save: String?

    @Flag(help: "Print one JSON object on stdout: lab, seed, steps, hyperparameters, metrics, seconds, status.")
    var json = false

    @Option(name: .customLong("test-on"), help: "After training, classify the beats of an imported recording (see `mlcourse data import`).")
    var testOn: String?

    func validate() throws {
        guard (0...RunRecord.maximumSteps).contains(steps) else {
            throw ValidationError("--steps must be between 0 and \(RunRecord.maximumSteps), got \(steps)")
        }
        do { _ = try HeadlessRun.parseSettings(settings) } catch { throw ValidationError(error.description) }
    }

    func run() throws {
        let imported = try TestOn.recording(testOn)
        let request = HeadlessRun.Request(lab: lab, settings: try HeadlessRun.parseSettings(settings), steps: steps, seed: seed)
        let runner = HeadlessRun(catalogue: Catalogue.labs)
        let session: Session
        do { session = try runner.prepare(request) } catch {
            Console.error("mlcourse run: \(error)")
            throw ExitCode(64)
        }
        let bar = ProgressBar(total: steps, enabled: Console.stderrIsTerminal)
        var report: HeadlessRunReport
        do {
            report = try runner.train(session, steps: steps, chunk: max(1, min(1000, steps / 200))) { done in
                bar.update(done, loss: session.lab?.metrics.latest("loss"))
            }
        } catch {
            bar.finish()
            Console.error("mlcourse run: \(error)")
            throw ExitCode(1)
        }
        bar.finish()
        if report.status != .diverged { try TestOn.evaluate(imported, in: session, into: &report) }
        try Output.report(report, json: json)
        if let save {
            if report.status == .diverged {
                Console.error("mlcourse run: not saving \(save): the run diverged")
            } else {
                try CheckpointOutput.save(session, to: save)
            }
        }
        if report.status == .diverged {
            Console.error("mlcourse run: \(report.message ?? "the run diverged")")
            throw ExitCode(1)
        }
    }
}

/// A seed typed on the command line, with a message that says the range (`--seed -1`).
enum SeedArgument {
    static func parse(_ text: String) throws -> UInt64 {
        guard let seed = UInt64(text) else {
            throw ValidationError("--seed must be a whole number from 0 to \(UInt64.max), got \(text)")
        }
        return seed
    }
}

/// Printing a run's report, shared by `run` and `replay`.
enum Output {
    static func report(_ report: HeadlessRunReport, json: Bool) throws {
        if json { print(try report.json()) } else { print(report.summary) }
    }
}

/// Checkpoint calls from the command line, with their exit codes.
enum CheckpointOutput {
    static func save(_ session: Session, to file: String) throws {
        let library = CheckpointFiles.library(environment: ProcessInfo.processInfo.environment)
        do {
            Console.error(try library.save(session, name: CheckpointFiles.argument(file)))
        } catch {
            Console.error("mlcourse: cannot save \(file): \(error)")
            throw ExitCode(CheckpointFiles.exitCode(for: error))
        }
    }
}

/// A one-line progress bar on stderr, redrawn in place; silent when stderr is not a terminal.
final class ProgressBar {
    let total: Int
    let enabled: Bool
    private var lastDraw = ContinuousClock.now - .seconds(1)

    init(total: Int, enabled: Bool) { self.total = total; self.enabled = enabled }

    func update(_ done: Int, loss: Double?) {
        guard enabled, total > 0, ContinuousClock.now - lastDraw > .milliseconds(100) || done == total else { return }
        lastDraw = .now
        let width = 30
        let filled = min(width, width * done / total)
        let lossText = loss.map { "  loss \(NumberText.format($0))" } ?? ""
        Console.errorInline("\r[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
                            + "] \(done)/\(total) steps\(lossText)\u{1B}[K")
    }

    func finish() { if enabled { Console.errorInline("\r\u{1B}[K") } }
}
