import Yams

/// Small helpers over Yams' node tree for the lesson parser: scalars are read as the raw text
/// the author wrote, so `permute: on` stays "on" and `answer: 0` stays "0" (YAML 1.1 would turn
/// them into a boolean and an integer).
struct YAMLBlock {
    /// The file line of the YAML text's first line.
    let firstLine: Int
    let root: Node?

    /// The most characters one front matter or block may hold: lesson blocks are a few lines.
    static let maximumSize = 100_000
    /// The deepest nesting (flow brackets plus block indentation) one may have. The YAML parser
    /// recurses per level: front matter nested 5,000 deep crashed it (stack overflow, exit 139).
    static let maximumDepth = 64

    /// Parses `text`, whose first line is file line `firstLine`, after checking its size and
    /// nesting depth (so nothing hostile reaches the recursive parser).
    /// - Throws: a message with the file line of the YAML error.
    init(_ text: String, firstLine: Int) throws(YAMLBlockError) {
        self.firstLine = firstLine
        guard text.utf8.count <= Self.maximumSize else {
            throw YAMLBlockError(line: firstLine, message: "too long (\(text.utf8.count) bytes; at most \(Self.maximumSize) are read)")
        }
        if let (depth, line) = Self.nesting(text, beyond: Self.maximumDepth) {
            throw YAMLBlockError(line: firstLine + line, message: "nested too deep (\(depth) levels; at most \(Self.maximumDepth) are read)")
        }
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw YAMLBlockError.from(error, firstLine: firstLine)
        } catch {
            throw YAMLBlockError(line: firstLine, message: "\(error)")
        }
    }

    /// The first place `text` nests deeper than `limit`, as (depth, 0-based line), or nil.
    /// Counts flow brackets outside quotes plus block levels (deeper indentation, and each
    /// "- " that opens a sequence item); an over-estimate is fine, lesson blocks are shallow.
    static func nesting(_ text: String, beyond limit: Int) -> (depth: Int, line: Int)? {
        var flow = 0
        var indents: [Int] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let bytes = Array(line.utf8)
            var column = 0
            while column < bytes.count, bytes[column] == UInt8(ascii: " ") { column += 1 }
            let content = bytes[column...]
            if flow == 0, let first = content.first, first != UInt8(ascii: "#") {
                while let last = indents.last, last >= column { indents.removeLast() }
                indents.append(column)
                var rest = content[...]
                while rest.starts(with: [UInt8(ascii: "-"), UInt8(ascii: " ")]) {
                    indents.append(column)          // "- - x" opens two levels on one line
                    rest = rest.dropFirst(2).drop { $0 == UInt8(ascii: " ") }
                }
            }
            var quote: UInt8?
            for byte in content {
                if let q = quote { if byte == q { quote = nil }; continue }
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "'"): quote = byte
                case UInt8(ascii: "["), UInt8(ascii: "{"): flow += 1
                case UInt8(ascii: "]"), UInt8(ascii: "}"): flow = max(0, flow - 1)
                default: break
                }
                if flow + indents.count > limit { return (flow + indents.count, number) }
            }
            if flow + indents.count > limit { return (flow + indents.count, number) }
        }
        return nil
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
