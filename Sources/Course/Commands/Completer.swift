/// Tab completion for the `:` line: given what is typed so far, the full lines it could become.
public enum Completer {
    /// Candidate full lines for `line` (sorted, unique). One candidate: the App replaces the line
    /// with it; several: it shows them (and may insert `commonPrefix`).
    public static func candidates(for line: String, session: Session,
                                  checkpoints: any CheckpointLibrary = CheckpointFolder()) -> [String] {
        let endsWithSpace = line.last?.isWhitespace ?? false
        var words = line.split(whereSeparator: \.isWhitespace).map(String.init)
        let partial = endsWithSpace ? "" : (words.popLast() ?? "")
        let head = words.isEmpty ? "" : words.joined(separator: " ") + " "

        let options: [String]
        if words.isEmpty {
            options = CommandSpec.all.map(\.name)
        } else if let spec = CommandSpec.named(words[0]) {
            options = arguments(for: spec, position: words.count, previous: words, session: session, checkpoints: checkpoints)
        } else {
            options = []
        }
        let matches = options.filter { $0.lowercased().hasPrefix(partial.lowercased()) }
        return Array(Set(matches)).sorted().map { head + $0 }
    }

    /// The longest start shared by all `candidates`.
    public static func commonPrefix(_ candidates: [String]) -> String {
        guard var prefix = candidates.first else { return "" }
        for c in candidates.dropFirst() {
            while !c.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }

    private static func arguments(for spec: CommandSpec, position: Int, previous: [String], session: Session,
                                  checkpoints: any CheckpointLibrary) -> [String] {
        switch (spec.argument, position) {
        case (.command, 1): return CommandSpec.all.map(\.name)
        case (.hyperparameter, 1): return session.lab?.parameters.map(\.name) ?? []
        case (.hyperparameter, 2):
            // After `set NAME `: the choices of a categorical hyperparameter.
            guard let p = session.lab?.parameters[named: previous[1]], case .choices(let names) = p.domain else { return [] }
            return names
        case (.lesson, 1): return session.lessons.map(\.id)
        case (.checkpoint, 1): return checkpoints.names()
        case (.glossaryTerm, _): return position == 1 ? session.glossary.terms : []
        default: return []
        }
    }
}
