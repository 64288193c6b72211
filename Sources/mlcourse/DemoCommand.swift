import App
import Foundation
import ArgumentParser
import Terminal

/// `mlcourse demo`: the course screen with a fake course whose lab animates every widget, to
/// check the screen (layout, keys, colours, fallbacks) before real lessons exist.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Show the course screen with synthetic data (a demo of the screen, not a lesson).")

    @Option(parsing: .unconditional, help: "Frames per second (1-60).")
    var fps = 30

    func validate() throws {
        guard (1...60).contains(fps) else { throw ValidationError("--fps must be between 1 and 60, got \(fps)") }
    }

    func run() throws {
        guard TerminalScreen.isInteractive else {
            printError("mlcourse demo: not a terminal (stdin and stdout must be a tty); run it in an interactive terminal.")
            throw ExitCode(1)
        }
        do {
            try FrameLoop(framesPerSecond: fps).run(DemoCourse())
        } catch let error as TerminalError {
            printError("mlcourse demo: \(error)")
            throw ExitCode(1)
        }
    }
}

private func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
