/// The inline phase of CommonMark for one paragraph or heading: backslash escapes, code spans
/// (matching backtick runs), entities, inline links `[text](url "title")`, hard and soft
/// line breaks, and `*`/`_` emphasis by the spec's delimiter-run rules (left- and
/// right-flanking runs, the rule of three, `_` not inside words). So `2 * 3 * 4` stays text
/// and `max_pool_2d` is not italic, exactly as on GitHub. Raw HTML, autolinks, images and
/// reference links are not recognised and stay text.
struct InlineParser {
    /// A parsed piece; emphasis, strong emphasis and links hold children.
    final class Piece {
        enum Kind { case text, code, softBreak, hardBreak, emphasis, strong, link, delimiter, bracket }
        var kind: Kind
        var text: String
        var children: [Piece] = []
        /// A link's destination.
        var url = ""
        // A run of "*" or "_" that may open or close emphasis.
        var delimiter: Character = "*"
        var count = 0
        var originalCount = 0
        var canOpen = false
        var canClose = false
        /// A "[" that may still start a link.
        var active = true

        init(_ kind: Kind, _ text: String = "") {
            self.kind = kind
            self.text = text
        }
    }

    let characters: [Character]
    var pieces: [Piece] = []
    var buffer = ""

    static func parse(_ text: String) -> [MarkdownInline] {
        var parser = InlineParser(characters: Array(text))
        parser.scan()
        return flatten(parser.pieces)
    }

    init(characters: [Character]) { self.characters = characters }

    static func isPunctuation(_ c: Character) -> Bool {
        c.isASCII ? "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".contains(c) : c.isPunctuation
    }

    static func isWhitespace(_ c: Character) -> Bool { c.isWhitespace }

    mutating func flush() {
        if !buffer.isEmpty { pieces.append(Piece(.text, buffer)); buffer = "" }
    }

    mutating func scan() {
        var i = 0
        let n = characters.count
        while i < n {
            let c = characters[i]
            switch c {
            case "\\":
                if i + 1 < n, characters[i + 1] == "\n" {
                    flush()
                    pieces.append(Piece(.hardBreak))
                    i = skipSpaces(from: i + 2)
                } else if i + 1 < n, characters[i + 1].isASCII, Self.isPunctuation(characters[i + 1]) {
                    buffer.append(characters[i + 1])
                    i += 2
                } else {
                    buffer.append(c)
                    i += 1
                }
            case "`":
                let run = runLength(from: i, of: "`")
                if let close = closingBackticks(from: i + run, length: run) {
                    flush()
                    pieces.append(Piece(.code, Self.codeContent(characters[(i + run)..<close])))
                    i = close + run
                } else {
                    buffer.append(String(repeating: "`", count: run))
                    i += run
                }
            case "*", "_":
                let run = runLength(from: i, of: c)
                let before: Character = i > 0 ? characters[i - 1] : "\n"
                let after: Character = i + run < n ? characters[i + run] : "\n"
                let leftFlanking = !Self.isWhitespace(after)
                    && (!Self.isPunctuation(after) || Self.isWhitespace(before) || Self.isPunctuation(before))
                let rightFlanking = !Self.isWhitespace(before)
                    && (!Self.isPunctuation(before) || Self.isWhitespace(after) || Self.isPunctuation(after))
                flush()
                let piece = Piece(.delimiter, String(repeating: c, count: run))
                piece.delimiter = c
                piece.count = run
                piece.originalCount = run
                if c == "*" {
                    piece.canOpen = leftFlanking
                    piece.canClose = rightFlanking
                } else {
                    piece.canOpen = leftFlanking && (!rightFlanking || Self.isPunctuation(before))
                    piece.canClose = rightFlanking && (!leftFlanking || Self.isPunctuation(after))
                }
                pieces.append(piece)
                i += run
            case "[":
                flush()
                pieces.append(Piece(.bracket, "["))
                i += 1
            case "]":
                flush()
                i = closeBracket(at: i)
            case "&":
                if let (decoded, end) = Self.entity(characters, at: i) {
                    buffer.append(decoded)
                    i = end
                } else {
                    buffer.append(c)
                    i += 1
                }
            case "\n":
                // Two or more spaces before a line end make a hard break; fewer are dropped.
                var trailing = 0
                while buffer.hasSuffix(" ") { buffer.removeLast(); trailing += 1 }
                flush()
                pieces.append(Piece(trailing >= 2 ? .hardBreak : .softBreak))
                i = skipSpaces(from: i + 1)
            default:
                buffer.append(c)
                i += 1
            }
        }
        flush()
        processEmphasis(above: 0)
    }

    func skipSpaces(from index: Int) -> Int {
        var i = index
        while i < characters.count, characters[i] == " " { i += 1 }
        return i
    }

    func runLength(from index: Int, of c: Character) -> Int {
        var end = index
        while end < characters.count, characters[end] == c { end += 1 }
        return end - index
    }

    /// The start of the next run of exactly `length` backticks at or after `index`.
    func closingBackticks(from index: Int, length: Int) -> Int? {
        var i = index
        while i < characters.count {
            if characters[i] == "`" {
                let run = runLength(from: i, of: "`")
                if run == length { return i }
                i += run
            } else {
                i += 1
            }
        }
        return nil
    }

    /// A code span's text: line ends become spaces, and one space is stripped from each end
    /// when both ends have one (so `` ` `` `` shows a lone backtick).
    static func codeContent(_ slice: ArraySlice<Character>) -> String {
        var text = slice.map { $0 == "\n" ? " " : $0 }
        if text.count >= 2, text.first == " ", text.last == " ", !text.allSatisfy({ $0 == " " }) {
            text.removeFirst()
            text.removeLast()
        }
        return String(text)
    }

    /// Handles "]" at `index`: a link when an active "[" precedes it and "(destination)"
    /// follows; otherwise both brackets are text. Returns where scanning goes on.
    mutating func closeBracket(at index: Int) -> Int {
        guard let open = pieces.lastIndex(where: { $0.kind == .bracket }) else {
            buffer.append("]")
            return index + 1
        }
        let opener = pieces[open]
        guard opener.active, let (url, end) = linkDestination(at: index + 1) else {
            opener.kind = .text
            buffer.append("]")
            return index + 1
        }
        processEmphasis(above: open + 1)
        let link = Piece(.link)
        link.children = Array(pieces[(open + 1)...])
        link.url = url
        pieces.removeSubrange(open...)
        pieces.append(link)
        // Links may not contain links: earlier brackets can no longer open one.
        for piece in pieces where piece.kind == .bracket { piece.active = false }
        return end
    }

    /// `(destination "optional title")` starting at `index`: the destination and the index
    /// after ")".
    func linkDestination(at index: Int) -> (String, Int)? {
        let n = characters.count
        guard index < n, characters[index] == "(" else { return nil }
        func skipWhitespace(_ i: Int) -> Int {
            var i = i
            while i < n, characters[i] == " " || characters[i] == "\n" { i += 1 }
            return i
        }
        var i = skipWhitespace(index + 1)
        var destination = ""
        if i < n, characters[i] == "<" {
            i += 1
            while i < n, characters[i] != ">" {
                if characters[i] == "\n" || characters[i] == "<" { return nil }
                if characters[i] == "\\", i + 1 < n, Self.isPunctuation(characters[i + 1]) { i += 1 }
                destination.append(characters[i])
                i += 1
            }
            guard i < n else { return nil }
            i += 1
        } else {
            var depth = 0
            while i < n {
                let c = characters[i]
                if c == " " || c == "\n" || (c.asciiValue.map { $0 < 0x20 } ?? false) { break }
                if c == "\\", i + 1 < n, Self.isPunctuation(characters[i + 1]) {
                    destination.append(characters[i + 1]); i += 2; continue
                }
                if c == "(" { depth += 1 }
                if c == ")" { if depth == 0 { break }; depth -= 1 }
                destination.append(c)
                i += 1
            }
            guard depth == 0 else { return nil }
        }
        let beforeTitle = i
        i = skipWhitespace(i)
        if i < n, characters[i] == "\"" || characters[i] == "'" || characters[i] == "(", i > beforeTitle {
            let close: Character = characters[i] == "(" ? ")" : characters[i]
            i += 1
            while i < n, characters[i] != close {
                if characters[i] == "\\", i + 1 < n { i += 1 }
                i += 1
            }
            guard i < n else { return nil }
            i = skipWhitespace(i + 1)
        }
        guard i < n, characters[i] == ")" else { return nil }
        return (destination, i + 1)
    }

    /// The spec's "process emphasis" over the pieces after index `bottom`: each closer is
    /// matched with the nearest earlier opener of the same character, and what lies between
    /// becomes emphasis (one character each side) or strong emphasis (two).
    mutating func processEmphasis(above bottom: Int) {
        var current = bottom
        while current < pieces.count {
            let closer = pieces[current]
            guard closer.kind == .delimiter, closer.canClose, closer.count > 0 else { current += 1; continue }
            var found: Int?
            var k = current - 1
            while k >= bottom {
                let opener = pieces[k]
                if opener.kind == .delimiter, opener.delimiter == closer.delimiter, opener.canOpen, opener.count > 0 {
                    // The rule of three: "*foo**bar*" must not pair the "*" with the "**".
                    let sum = opener.originalCount + closer.originalCount
                    let odd = (opener.canClose || closer.canOpen) && sum % 3 == 0
                        && !(opener.originalCount % 3 == 0 && closer.originalCount % 3 == 0)
                    if !odd { found = k; break }
                }
                k -= 1
            }
            guard let openIndex = found else {
                if !closer.canOpen { closer.canClose = false }
                current += 1
                continue
            }
            let opener = pieces[openIndex]
            let used = closer.count >= 2 && opener.count >= 2 ? 2 : 1
            opener.count -= used
            closer.count -= used
            let node = Piece(used == 2 ? .strong : .emphasis)
            node.children = Array(pieces[(openIndex + 1)..<current])
            pieces.replaceSubrange((openIndex + 1)..<current, with: [node])
            current = openIndex + 2
            if opener.count == 0 { pieces.remove(at: openIndex); current -= 1 }
            if closer.count == 0 { pieces.remove(at: current) }
        }
    }

    // MARK: - Entities

    static let namedEntities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}", "copy": "©",
        "times": "×", "divide": "÷", "minus": "−", "plusmn": "±", "deg": "°", "middot": "·", "hellip": "…",
        "ndash": "–", "mdash": "—", "larr": "←", "rarr": "→", "uarr": "↑", "darr": "↓", "le": "≤", "ge": "≥",
        "ne": "≠", "asymp": "≈", "infin": "∞", "sum": "∑", "radic": "√", "micro": "µ", "alpha": "α",
        "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "eta": "η", "theta": "θ", "lambda": "λ",
        "mu": "μ", "pi": "π", "sigma": "σ", "tau": "τ", "phi": "φ",
    ]

    /// "&name;", "&#123;" or "&#x7B;" at `index`: the character and the index after ";".
    /// Names not listed here stay text (the full HTML list is not needed by the lessons).
    static func entity(_ characters: [Character], at index: Int) -> (String, Int)? {
        guard let semicolon = characters[index...].prefix(34).firstIndex(of: ";") else { return nil }
        let body = String(characters[(index + 1)..<semicolon])
        if body.hasPrefix("#") {
            let digits = body.dropFirst()
            let value: UInt32?
            if digits.first == "x" || digits.first == "X" {
                let hex = digits.dropFirst()
                value = (1...6).contains(hex.count) && hex.allSatisfy(\.isHexDigit) ? UInt32(hex, radix: 16) : nil
            } else {
                value = (1...7).contains(digits.count) && digits.allSatisfy({ $0.isASCII && $0.isNumber }) ? UInt32(digits) : nil
            }
            guard let value else { return nil }
            let scalar = value == 0 ? nil : Unicode.Scalar(value)
            return (String(Character(scalar ?? "\u{FFFD}")), semicolon + 1)
        }
        guard let decoded = namedEntities[body] else { return nil }
        return (decoded, semicolon + 1)
    }

    // MARK: - Flattening

    /// The tree as styled pieces: nesting becomes bold/italic flags, a link's text is followed
    /// by its destination, soft breaks become spaces, unmatched delimiters are text.
    static func flatten(_ pieces: [Piece]) -> [MarkdownInline] {
        var result: [MarkdownInline] = []
        func append(_ text: String, _ kind: MarkdownInline.Kind, bold: Bool, italic: Bool) {
            guard !text.isEmpty || kind == .lineBreak else { return }
            if kind == .text || kind == .link, var last = result.last, last.kind == kind, last.bold == bold, last.italic == italic {
                last.text += text
                result[result.count - 1] = last
            } else {
                result.append(MarkdownInline(text: text, kind: kind, bold: bold, italic: italic))
            }
        }
        func walk(_ pieces: [Piece], bold: Bool, italic: Bool, inLink: Bool) {
            let textKind: MarkdownInline.Kind = inLink ? .link : .text
            for piece in pieces {
                switch piece.kind {
                case .text, .bracket: append(piece.text, textKind, bold: bold, italic: italic)
                case .delimiter: append(String(repeating: piece.delimiter, count: piece.count), textKind, bold: bold, italic: italic)
                case .code: append(piece.text, .code, bold: bold, italic: italic)
                case .softBreak: append(" ", textKind, bold: bold, italic: italic)
                case .hardBreak: append("", .lineBreak, bold: false, italic: false)
                case .emphasis: walk(piece.children, bold: bold, italic: true, inLink: inLink)
                case .strong: walk(piece.children, bold: true, italic: italic, inLink: inLink)
                case .link:
                    walk(piece.children, bold: bold, italic: italic, inLink: true)
                    append(piece.url, .url, bold: false, italic: false)
                }
            }
        }
        walk(pieces, bold: false, italic: false, inLink: false)
        return result
    }
}
