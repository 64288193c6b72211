import Foundation

/// Carries out commands on a session and says what happened, in one line for the status bar
/// (or several, for `help`).
public final class CommandExecutor {
    /// What a command produced.
    public struct Result: Sendable, Equatable {
        public enum Kind: Sendable, Equatable {
            case info
            case error
            /// A question waiting for y/n: the next line typed answers it.
            case question
        }
        public var message: String
        public var kind: Kind
        /// The learner asked to leave.
        public var quit: Bool

        public init(_ message: String, kind: Kind = .info, quit: Bool = false) {
            self.message = message
            self.kind = kind
            self.quit = quit
        }
        static func error(_ message: String) -> Result { Result(message, kind: .error) }
    }

    public let session: Session
    public var checkpoints: any CheckpointLibrary

    public init(session: Session, checkpoints: any CheckpointLibrary = CheckpointFolder()) {
        self.session = session
        self.checkpoints = checkpoints
    }

    /// Parses and runs a typed line. While a restart question is open, "y"/"yes" confirms it and
    /// "n"/"no" cancels it; any other line cancels it and runs as a command.
    public func execute(_ line: String) -> Result {
        var prefix = ""
        if session.pendingChange != nil {
            let reply = line.trimmingCharacters().lowercased()
            if reply == "y" || reply == "yes" {
                return finish(run { try session.confirmPendingChange() })
            }
            let cancelled = session.cancelPendingChange()
            if reply == "n" || reply == "no" || reply.isEmpty { return finish(Result(cancelled)) }
            prefix = cancelled + "; "
        }
        let result: Result
        do {
            result = execute(try CommandParser.parse(line))
        } catch {
            result = .error(error.description)
        }
        return prefix.isEmpty ? result : Result(prefix + result.message, kind: result.kind, quit: result.quit)
    }

    /// Runs a parsed command.
    public func execute(_ command: Command) -> Result {
        finish(perform(command))
    }

    /// Saves progress after a command; a failed save is added to the message.
    private func finish(_ result: Result) -> Result {
        guard let failure = session.saveProgressIfNeeded() else { return result }
        return Result(result.message + " (warning: \(failure))", kind: result.kind, quit: result.quit)
    }

    private func run(_ body: () throws -> String) -> Result {
        do { return Result(try body()) } catch { return .error("\(error)") }
    }

    private func perform(_ command: Command) -> Result {
        switch command {
        case .help(let name):
            return help(name)
        case .set(let name, let value, let force):
            do {
                switch try session.set(name, value, force: force) {
                case .applied(let message): return Result(message)
                case .needsConfirmation(let pending): return Result(pending.question, kind: .question)
                }
            } catch { return .error(error.description) }
        case .train(let steps):
            return run {
                try session.train(steps: steps)
                return steps.map { "training for \($0) steps" } ?? "training; 'pause' stops"
            }
        case .pause:
            guard session.lab != nil else { return .error("no lab is open") }
            session.pause()
            return Result("paused at step \(session.stepCount)")
        case .step(let count):
            return run {
                let taken = try session.step(count)
                let notices = session.takeNotices()
                let base = "took \(taken) step\(taken == 1 ? "" : "s"); now at step \(session.stepCount)"
                return ([base] + notices).joined(separator: "; ")
            }
        case .reset(let seed):
            return run {
                try session.reset(seed: seed)
                return "the lab restarted at step 0 with seed \(session.lab!.seed)"
            }
        case .save(let name):
            return run { try checkpoints.save(session, name: name) }
        case .load(let name):
            return run { try checkpoints.load(name, into: session) }
        case .replay(let name):
            return run { try checkpoints.replay(name, into: session) }
        case .checkpoints:
            let entries = checkpoints.summaries()
            if entries.isEmpty { return Result("no checkpoints yet; 'save NAME' makes one") }
            return Result("checkpoints: " + entries.joined(separator: ", "))
        case .goto(let target, let page):
            return run {
                try session.goto(target, page: page)
                return location()
            }
        case .next:
            return session.next() ? Result(location()) : .error("this is the last page of the course")
        case .prev:
            return session.prev() ? Result(location()) : .error("this is the first page of the course")
        case .answer(let text):
            do {
                switch try session.answer(text) {
                case .right(let explain): return Result("right" + (explain.map { ": \($0)" } ?? "!"))
                case .wrong(let hint): return .error("not quite" + (hint.map { "; hint: \($0)" } ?? "; try again"))
                }
            } catch { return .error(error.description) }
        case .glossary(let term):
            let found = session.glossary.lookup(term) != nil
            return Result(session.glossary.explain(term), kind: found ? .info : .error)
        case .data(let name):
            return run { try session.useData(name) }
        case .quit:
            return Result("bye", quit: true)
        }
    }

    /// "chapter 1, One neuron: page 2 of 5, Gradient descent"
    private func location() -> String {
        guard let lesson = session.lesson else { return "no lessons" }
        let title = session.page?.title.map { ", \($0)" } ?? ""
        return "chapter \(lesson.chapter), \(lesson.title): page \(session.pageIndex + 1) of \(lesson.pages.count)\(title)"
    }

    private func help(_ name: String?) -> Result {
        guard let name else {
            let width = CommandSpec.all.map(\.usage.count).max() ?? 0
            let lines = CommandSpec.all.map { $0.usage.padding(toLength: width + 2, withPad: " ", startingAt: 0) + $0.summary }
            return Result(lines.joined(separator: "\n"))
        }
        guard let spec = CommandSpec.named(name) else {
            return .error(CommandError.unknown(name, suggestion: Suggestion.closest(to: name, in: CommandSpec.all.map(\.name))).description)
        }
        var text = "\(spec.usage): \(spec.summary)"
        if !spec.aliases.isEmpty { text += " (also: \(spec.aliases.joined(separator: ", ")))" }
        if spec.name == "set", let lab = session.lab {
            text += "\n" + lab.parameters.map { p in
                "  \(p.name) = \(p.value): \(p.help); \(p.rangeDescription)" + (p.effect == .reset ? "; restarts the lab" : "")
            }.joined(separator: "\n")
        }
        return Result(text)
    }
}

extension String {
    func trimmingCharacters() -> String { Substring(self).trimmingCharactersInSet() }
}
