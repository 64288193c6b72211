/// One thing wrong in a lesson file, with where it is: "Lessons/01-neuron.md:42: quiz block has
/// no 'answer'".
public struct LessonProblem: Sendable, Equatable, CustomStringConvertible {
    /// The file as shown in messages, e.g. "Lessons/01-neuron.md".
    public var file: String
    /// 1-based line, when the problem has one.
    public var line: Int?
    public var message: String

    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}

/// Loading the lessons failed; `problems` lists everything found, not just the first.
public struct LessonLoadError: Error, Sendable, CustomStringConvertible {
    public var problems: [LessonProblem]

    public init(problems: [LessonProblem]) { self.problems = problems }

    public var description: String {
        let count = problems.count == 1 ? "1 problem" : "\(problems.count) problems"
        return "the lessons have \(count):\n" + problems.map { "  \($0)" }.joined(separator: "\n")
    }
}

/// How far lab blocks are checked.
public enum LabChecking: Sendable {
    /// Every lab id, hyperparameter name and value, and panel id is checked against this
    /// catalogue.
    case against(LabCatalogue)
    /// Only the structure of lab blocks is checked (for when the catalogue is known to be
    /// incomplete, e.g. before the labs are written). Everything else is still checked.
    case structureOnly
}
