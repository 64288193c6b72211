import App
import Labs
import ArgumentParser
import Course
import Foundation
import Terminal

/// The command line. Without a subcommand: the course on screen, resuming at the saved page.
///
/// Exit codes (sysexits.h): 0 ok; 64 usage (bad arguments, unknown lab or lesson); 65 bad data
/// (a malformed lesson, checkpoint or CSV); 1 anything else (no terminal, a diverged run, ...).
@main
struct MLCourse: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mlcourse",
        abstract: "An interactive terminal course in machine learning, from one neuron to the Decision Transformer.",
        discussion: """
            Without a subcommand, opens the course where you left it. Exit codes: 0 ok, 64 usage, \
            65 bad data (lessons, checkpoints, CSV), 1 anything else (no terminal, a diverged run).
            """,
        subcommands: [OpenCommand.self, ListCommand.self, RunCommand.self, ReplayCommand.self,
                      CheckpointsCommand.self, DoctorCommand.self, DataCommand.self, BenchCommand.self, MapCommand.self, DemoCommand.self])

    /// `mlcourse help nosuch` printed the top-level help and exited 0: an unknown topic is a
    /// usage error (64) with a suggestion, like an unknown command.
    static func main() {
        AllocatorTuning.apply()
        if let problem = unknownHelpTopic(Array(CommandLine.arguments.dropFirst())) {
            Console.error(problem)
            Foundation.exit(64)
        }
        main(nil)
    }

    /// For `help A B ...`: the message when A (or B under A) names no command, else nil.
    static func unknownHelpTopic(_ arguments: [String]) -> String? {
        guard arguments.first == "help" else { return nil }
        var command: any ParsableCommand.Type = MLCourse.self
        var path = "mlcourse"
        for word in arguments.dropFirst() where !word.hasPrefix("-") {
            let subcommands = command.configuration.subcommands
            let names = subcommands.map { $0._commandName }
            guard let index = names.firstIndex(of: word) else {
                let known = names.joined(separator: ", ")
                return "\(path): no command '\(word)'" + Suggestion.didYouMean(word, in: names)
                    + (names.isEmpty ? "" : " (commands: \(known))")
            }
            command = subcommands[index]
            path += " " + word
        }
        return nil
    }

    // No options here: the root's options would also capture the subcommands' (`run --seed`).
    // `mlcourse open --speed 60` takes the screen's options.
    func run() throws {
        let options = try ScreenOptions.parse([])
        let setup = try CourseSetup.load(seed: options.seed)
        try CourseScreenLauncher.run(setup, options: options)
    }
}

/// Options of the course screen (`mlcourse` and `mlcourse open`).
struct ScreenOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "At most this many training steps a second on screen (0: as fast as the machine goes).")
    var speed: Double = 240

    @Option(parsing: .unconditional, help: "The seed labs start with.", transform: SeedArgument.parse)
    var seed: UInt64 = 42

    func validate() throws {
        guard speed >= 0, speed <= 1_000_000 else { throw ValidationError("--speed must be between 0 and 1000000, got \(speed)") }
    }
}

/// Opens the screen on a loaded course.
enum CourseScreenLauncher {
    static func run(_ setup: CourseSetup, options: ScreenOptions) throws {
        guard TerminalScreen.isInteractive else {
            Console.error("""
                mlcourse: the course needs an interactive terminal (stdin and stdout must be a tty).
                To train a lab without a screen use `mlcourse run LAB` (see `mlcourse run --help`); \
                `mlcourse list` shows the lessons.
                """)
            throw ExitCode(1)
        }
        // The shared beats take a noticeable part of a second to simulate: make them while the
        // learner reads, so turning to an ECG page is instant.
        Thread.detachNewThread { CourseCatalogue.prepareSharedData() }
        let source = SessionScreenSource(session: setup.session, checkpoints: setup.checkpoints,
                                         stepsPerSecond: options.speed > 0 ? options.speed : nil,
                                         startupNotice: setup.notice, resumesAutosave: true)
        do {
            try FrameLoop().run(source)
        } catch let error as TerminalError {
            Console.error("mlcourse: \(error)")
            throw ExitCode(1)
        }
    }
}
