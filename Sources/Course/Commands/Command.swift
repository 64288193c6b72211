/// One command typed on the `:` line, parsed. `CommandParser` makes these; `CommandExecutor`
/// carries them out.
public enum Command: Sendable, Equatable {
    case help(command: String?)
    case set(name: String, value: String, force: Bool)
    case train(steps: Int?)
    case pause
    case step(count: Int)
    case reset(seed: UInt64?)
    case save(name: String?)
    case load(name: String)
    case checkpoints
    case replay(name: String)
    /// `page` is 1-based.
    case goto(lesson: String, page: Int?)
    case next
    case prev
    case answer(String)
    case glossary(term: String)
    /// `data NAME`: the lab's model on the learner's imported data set NAME.
    case data(name: String)
    case quit
}

/// What a command's argument is, for completion.
public enum ArgumentKind: Sendable, Equatable {
    case none
    case command
    case hyperparameter
    case lesson
    case checkpoint
    case glossaryTerm
    case number
    case text
}

/// The description of one command: its name, how to call it, what it does.
public struct CommandSpec: Sendable, Equatable {
    public var name: String
    /// Other names that mean the same ("q" for quit).
    public var aliases: [String]
    /// "set NAME VALUE [--force]"
    public var usage: String
    /// One line for the help list.
    public var summary: String
    /// What the first argument is (for completion).
    public var argument: ArgumentKind

    /// Every command, in help order.
    public static let all: [CommandSpec] = [
        CommandSpec(name: "help", aliases: ["?"], usage: "help [COMMAND]",
                    summary: "list the commands, or explain one", argument: .command),
        CommandSpec(name: "set", aliases: [], usage: "set NAME VALUE [--force]",
                    summary: "change a hyperparameter of the lab (--force restarts without asking)", argument: .hyperparameter),
        CommandSpec(name: "train", aliases: ["t"], usage: "train [N]",
                    summary: "train until paused, or for N steps", argument: .number),
        CommandSpec(name: "pause", aliases: [], usage: "pause", summary: "stop training", argument: .none),
        CommandSpec(name: "step", aliases: ["s"], usage: "step [N]",
                    summary: "take 1 (or N, at most 1000) training steps now", argument: .number),
        CommandSpec(name: "reset", aliases: [], usage: "reset [SEED]",
                    summary: "restart the lab from scratch (with a new random seed if given)", argument: .number),
        CommandSpec(name: "save", aliases: [], usage: "save [NAME]", summary: "save a checkpoint of the lab", argument: .checkpoint),
        CommandSpec(name: "load", aliases: [], usage: "load NAME", summary: "continue from a checkpoint", argument: .checkpoint),
        CommandSpec(name: "checkpoints", aliases: [], usage: "checkpoints", summary: "list saved checkpoints", argument: .none),
        CommandSpec(name: "replay", aliases: [], usage: "replay NAME",
                    summary: "re-run a checkpoint's run from its seed and changes", argument: .checkpoint),
        CommandSpec(name: "goto", aliases: ["go"], usage: "goto LESSON[/PAGE]",
                    summary: "open a lesson by id, chapter number or title (and page)", argument: .lesson),
        CommandSpec(name: "next", aliases: ["n"], usage: "next", summary: "next page", argument: .none),
        CommandSpec(name: "prev", aliases: ["p"], usage: "prev", summary: "previous page", argument: .none),
        CommandSpec(name: "answer", aliases: ["a"], usage: "answer TEXT",
                    summary: "answer the page's quiz (a number, a choice letter or text)", argument: .text),
        CommandSpec(name: "glossary", aliases: ["g"], usage: "glossary TERM",
                    summary: "what a term means and where it is taught", argument: .glossaryTerm),
        CommandSpec(name: "data", aliases: [], usage: "data NAME",
                    summary: "classify your imported ECG (mlcourse data import) with this lab's model", argument: .text),
        CommandSpec(name: "quit", aliases: ["q", "exit"], usage: "quit", summary: "save progress and leave", argument: .none),
    ]

    /// The spec called `name` or one of its aliases.
    public static func named(_ name: String) -> CommandSpec? {
        let n = name.lowercased()
        return all.first { $0.name == n || $0.aliases.contains(n) }
    }
}
