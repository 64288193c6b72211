import Yams

/// Small helpers over Yams' node tree for the lesson parser: scalars are read as the raw text
/// the author wrote, so `permute: on` stays "on" and `answer: 0` stays "0" (YAML 1.1 would turn
/// them into a boolean and an integer).
struct YAMLBlock {
    /// The file line of the YAML text's first line.
    let firstLine: Int
    let root: Node?

    /// Parses `text`, whose first line is file line `firstLine`.
    /// - Throws: a message with the file line of the YAML error.
    init(_ text: String, firstLine: Int) throws(YAMLBlockError) {
        self.firstLine = firstLine
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw YAMLBlockError.from(error, firstLine: firstLine)
        } catch {
            throw YAMLBlockError(line: firstLine, message: "\(error)")
        }
    }

    /// The file line of `node` (falls back to the block's first line).
    func line(of node: Node) -> Int { node.mark.map { firstLine + $0.line - 1 } ?? firstLine }

    /// The pairs of a mapping node, keys as text, in order; nil if `node` is not a mapping.
    func pairs(_ node: Node?) -> [(key: String, keyNode: Node, value: Node)]? {
        guard let mapping = node?.mapping else { return nil }
        return mapping.map { (key: $0.key.scalar?.string ?? "\($0.key)", keyNode: $0.key, value: $0.value) }
    }
}

struct YAMLBlockError: Error {
    let line: Int
    let message: String

    static func from(_ error: YamlError, firstLine: Int) -> YAMLBlockError {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            // libyaml notices an unclosed bracket where it ends up, so also say where it began.
            let where_ = context.map { " (\($0.text) that starts on line \(firstLine + $0.mark.line - 1))" } ?? ""
            return YAMLBlockError(line: firstLine + mark.line - 1, message: "bad YAML: \(problem)\(where_)")
        case .reader(let problem, _, _, _):
            return YAMLBlockError(line: firstLine, message: "bad YAML: \(problem)")
        default:
            return YAMLBlockError(line: firstLine, message: "bad YAML: \(error)")
        }
    }
}

extension Node {
    /// The scalar's text, or nil for a mapping or sequence.
    var text: String? { scalar?.string }

    /// A sequence's scalar texts; a lone scalar counts as a list of one.
    var texts: [String]? {
        if let s = scalar?.string { return [s] }
        guard let seq = sequence else { return nil }
        var out: [String] = []
        for item in seq {
            guard let s = item.scalar?.string else { return nil }
            out.append(s)
        }
        return out
    }
}
