/// Turns a typed line into a `Command`, or a clear usage error.
public enum CommandParser {
    /// Parses one line; a leading ':' is ignored.
    /// - Throws: `CommandError` with a suggestion for an unknown command, or the usage line.
    public static func parse(_ line: String) throws(CommandError) -> Command {
        var text = Substring(line).drop { $0.isWhitespace }
        if text.first == ":" { text = text.dropFirst() }
        let words = text.split(whereSeparator: \.isWhitespace).map(String.init)
        guard let first = words.first else { throw .empty }
        guard let spec = CommandSpec.named(first) else {
            throw .unknown(first, suggestion: Suggestion.closest(to: first.lowercased(), in: CommandSpec.all.map(\.name)))
        }
        let args = Array(words.dropFirst())
        // The rest of the line as typed, for free text (answers, glossary terms).
        let rest = text.drop { !$0.isWhitespace }.trimmingCharactersInSet()

        func usage(_ why: String? = nil) -> CommandError { .usage(spec.usage, why) }
        func count(_ text: String, what: String) throws(CommandError) -> Int {
            guard let n = Int(text), n > 0 else { throw usage("\(what) must be a whole number above 0; got '\(text)'") }
            return n
        }

        switch spec.name {
        case "help":
            guard args.count <= 1 else { throw usage() }
            return .help(command: args.first)
        case "set":
            var rest = args
            let force = rest.contains("--force") || rest.contains("-f")
            rest.removeAll { $0 == "--force" || $0 == "-f" }
            if rest.count == 1, let eq = rest[0].firstIndex(of: "=") {       // set lr=0.01
                let name = String(rest[0][..<eq]), value = String(rest[0][rest[0].index(after: eq)...])
                guard !name.isEmpty, !value.isEmpty else { throw usage() }
                return .set(name: name, value: value, force: force)
            }
            if rest.count == 3, rest[1] == "=" { rest.remove(at: 1) }         // set lr = 0.01
            guard rest.count == 2 else { throw usage(rest.count < 2 ? "give a name and a value" : "too many words") }
            return .set(name: rest[0], value: rest[1], force: force)
        case "train":
            guard args.count <= 1 else { throw usage() }
            return .train(steps: try args.first.map { (s: String) throws(CommandError) in try count(s, what: "N") })
        case "step":
            guard args.count <= 1 else { throw usage() }
            let n = try args.first.map { (s: String) throws(CommandError) in try count(s, what: "N") } ?? 1
            guard n <= 1000 else { throw usage("step takes at most 1000 steps at once; use 'train \(n)' for more") }
            return .step(count: n)
        case "reset":
            guard args.count <= 1 else { throw usage() }
            if let s = args.first {
                guard let seed = UInt64(s) else { throw usage("SEED must be a whole number 0 or above; got '\(s)'") }
                return .reset(seed: seed)
            }
            return .reset(seed: nil)
        case "save":
            guard args.count <= 1 else { throw usage("checkpoint names have no spaces") }
            return .save(name: args.first)
        case "load", "replay":
            guard args.count == 1 else { throw usage(args.isEmpty ? "give a checkpoint name" : "checkpoint names have no spaces") }
            return spec.name == "load" ? .load(name: args[0]) : .replay(name: args[0])
        case "goto":
            guard !args.isEmpty else { throw usage("give a lesson id, chapter number or title") }
            var target = args.joined(separator: " ")
            var page: Int?
            if let slash = target.lastIndex(of: "/") {
                let pageText = String(target[target.index(after: slash)...])
                guard let p = Int(pageText), p > 0 else { throw usage("PAGE must be a whole number above 0; got '\(pageText)'") }
                page = p
                target = String(target[..<slash])
            }
            guard !target.isEmpty else { throw usage() }
            return .goto(lesson: target, page: page)
        case "answer":
            guard !rest.isEmpty else { throw usage("give your answer") }
            return .answer(rest)
        case "data":
            guard args.count == 1 else { throw usage("give the name of an imported recording (mlcourse data list shows them)") }
            return .data(name: args[0])
        case "glossary":
            guard !rest.isEmpty else { throw usage("give a term") }
            return .glossary(term: rest)
        default:
            guard args.isEmpty else { throw usage("'\(spec.name)' takes no arguments") }
            switch spec.name {
            case "pause": return .pause
            case "checkpoints": return .checkpoints
            case "next": return .next
            case "prev": return .prev
            default: return .quit
            }
        }
    }
}

/// A line that is not a valid command.
public enum CommandError: Error, Equatable, CustomStringConvertible {
    case empty
    case unknown(String, suggestion: String?)
    /// The usage line, and what was wrong if more can be said.
    case usage(String, String?)

    public var description: String {
        switch self {
        case .empty: return "type a command; 'help' lists them"
        case .unknown(let word, let suggestion):
            return "unknown command '\(word)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "; 'help' lists the commands")
        case .usage(let usage, let why):
            return (why.map { "\($0); " } ?? "") + "usage: \(usage)"
        }
    }
}

extension Substring {
    func trimmingCharactersInSet() -> String {
        String(self.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
