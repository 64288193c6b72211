import ArgumentParser
import Course

/// `mlcourse open LESSON[/PAGE]`: the course screen at a given lesson and page.
struct OpenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Open the course at a lesson (id, chapter number or title) and page, e.g. `open neuron/3`.",
        discussion: "Without LESSON, resumes where you left off (like `mlcourse`), with the options below.")

    @Argument(help: "LESSON or LESSON/PAGE (page numbers start at 1).")
    var target: String?

    @OptionGroup var screen: ScreenOptions

    /// "neuron/3" -> ("neuron", 3); "neuron" -> ("neuron", nil).
    static func parse(_ target: String) throws -> (lesson: String, page: Int?) {
        guard let slash = target.lastIndex(of: "/") else { return (target, nil) }
        let pageText = target[target.index(after: slash)...]
        guard let page = Int(pageText), page > 0 else {
            throw ValidationError("PAGE must be a whole number from 1, as in neuron/3; got '\(pageText)'")
        }
        let lesson = String(target[..<slash])
        guard !lesson.isEmpty else { throw ValidationError("give a lesson before the /, as in neuron/3") }
        return (lesson, page)
    }

    func validate() throws { if let target { _ = try Self.parse(target) } }

    func run() throws {
        let setup = try CourseSetup.load(seed: screen.seed)
        if let target {
            let (lesson, page) = try Self.parse(target)
            do { try setup.session.goto(lesson, page: page) } catch {
                Console.error("mlcourse open: \(error)")
                throw ExitCode(64)
            }
        }
        try CourseScreenLauncher.run(setup, options: screen)
    }
}
