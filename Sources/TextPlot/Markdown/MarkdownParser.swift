import Foundation

/// Parses the Markdown subset lessons use: ATX headings, paragraphs, `**bold**`, `*italic*`
/// / `_italic_`, `` `code` ``, fenced code blocks, ordered and unordered lists (nested by
/// indentation), block quotes, pipe tables, links `[text](url)` and rules. Anything else is
/// kept as plain text, so nothing a lesson writes is lost.
enum MarkdownParser {
    static func parse(_ markdown: String) -> [MarkdownBlock] {
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var text = String(line)
            if text.hasSuffix("\r") { text.removeLast() }
            return text.replacingOccurrences(of: "\t", with: "    ")
        }
        return parseBlocks(lines)
    }

    static func indentation(_ line: String) -> Int { line.prefix { $0 == " " }.count }
    static func isBlank(_ line: String) -> Bool { line.allSatisfy { $0 == " " } }

    /// A list marker at the start of `line`: its indentation, whether ordered, its number and
    /// the column where the item's text starts.
    static func listMarker(_ line: String) -> (indent: Int, ordered: Bool, number: Int, contentColumn: Int)? {
        let indent = indentation(line)
        let rest = line.dropFirst(indent)
        if let first = rest.first, "-*+".contains(first), rest.dropFirst().first == " " {
            // "---" and "***" are rules, not list items.
            return (indent, false, 0, indent + 2)
        }
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty, digits.count <= 9 {
            let after = rest.dropFirst(digits.count)
            if let mark = after.first, mark == "." || mark == ")", after.dropFirst().first == " " {
                return (indent, true, Int(digits) ?? 1, indent + digits.count + 2)
            }
        }
        return nil
    }

    static func isRule(_ line: String) -> Bool {
        let compact = line.filter { $0 != " " }
        guard compact.count >= 3, let first = compact.first, "-*_".contains(first) else { return false }
        return compact.allSatisfy { $0 == first }
    }

    static func isFence(_ line: String) -> Bool { line.drop { $0 == " " }.hasPrefix("```") }

    static func heading(_ line: String) -> (Int, String)? {
        let hashes = line.prefix { $0 == "#" }.count
        guard (1...6).contains(hashes) else { return nil }
        let rest = line.dropFirst(hashes)
        guard rest.isEmpty || rest.first == " " else { return nil }
        var text = rest.trimmingCharacters(in: .whitespaces)
        while text.hasSuffix("#") { text.removeLast() }
        return (hashes, text.trimmingCharacters(in: .whitespaces))
    }

    static func isTableRow(_ line: String) -> Bool { line.drop { $0 == " " }.hasPrefix("|") }

    static func isTableSeparator(_ line: String) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return trimmed.hasPrefix("|") && trimmed.contains("-") && trimmed.allSatisfy { "|-: ".contains($0) }
    }

    static func tableCells(_ line: String) -> [String] {
        var trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("|") { trimmed.removeFirst() }
        if trimmed.hasSuffix("|") { trimmed.removeLast() }
        return trimmed.split(separator: "|", omittingEmptySubsequences: false)
            .map { plainText(parseInline($0.trimmingCharacters(in: .whitespaces))) }
    }

    /// Whether `line` starts a block other than a paragraph (so it ends a paragraph).
    static func startsBlock(_ line: String) -> Bool {
        heading(line) != nil || isFence(line) || line.drop(while: { $0 == " " }).hasPrefix(">")
            || listMarker(line) != nil || isRule(line) || isTableRow(line)
    }

    static func parseBlocks(_ lines: [String]) -> [MarkdownBlock] {
        var blocks: [MarkdownBlock] = []
        var i = 0
        while i < lines.count {
            let line = lines[i]
            if isBlank(line) { i += 1; continue }
            if isFence(line) {
                let fenceIndent = indentation(line)
                var code: [String] = []
                i += 1
                while i < lines.count, !isFence(lines[i]) {
                    code.append(String(lines[i].dropFirst(min(fenceIndent, indentation(lines[i])))))
                    i += 1
                }
                i += 1  // the closing fence (or the end)
                blocks.append(.code(lines: code))
            } else if let (level, text) = heading(line) {
                blocks.append(.heading(level: level, parseInline(text)))
                i += 1
            } else if line.drop(while: { $0 == " " }).hasPrefix(">") {
                var inner: [String] = []
                while i < lines.count, lines[i].drop(while: { $0 == " " }).hasPrefix(">") {
                    var rest = lines[i].drop { $0 == " " }.dropFirst()
                    if rest.first == " " { rest = rest.dropFirst() }
                    inner.append(String(rest))
                    i += 1
                }
                blocks.append(.quote(parseBlocks(inner)))
            } else if isRule(line) {
                blocks.append(.rule)
                i += 1
            } else if let marker = listMarker(line) {
                let (block, next) = parseList(lines, from: i, marker: marker)
                blocks.append(block)
                i = next
            } else if isTableRow(line), i + 1 < lines.count, isTableSeparator(lines[i + 1]) {
                let header = tableCells(line)
                var rows: [[String]] = []
                i += 2
                while i < lines.count, isTableRow(lines[i]) { rows.append(tableCells(lines[i])); i += 1 }
                blocks.append(.table(header: header, rows: rows))
            } else {
                var text: [String] = [line.trimmingCharacters(in: .whitespaces)]
                i += 1
                while i < lines.count, !isBlank(lines[i]), !startsBlock(lines[i]) {
                    text.append(lines[i].trimmingCharacters(in: .whitespaces))
                    i += 1
                }
                blocks.append(.paragraph(parseInline(text.joined(separator: " "))))
            }
        }
        return blocks
    }

    /// A list starting at `start`: items are lines with a marker at the same indentation;
    /// an item owns the following lines indented deeper than its marker (its continuation
    /// text and nested lists) and lazy continuation lines of its paragraph.
    static func parseList(_ lines: [String], from start: Int,
                          marker: (indent: Int, ordered: Bool, number: Int, contentColumn: Int)) -> (MarkdownBlock, Int) {
        var items: [[MarkdownBlock]] = []
        var i = start
        while i < lines.count, let current = listMarker(lines[i]), current.indent == marker.indent,
              current.ordered == marker.ordered {
            var content = [String(lines[i].dropFirst(current.contentColumn))]
            i += 1
            while i < lines.count {
                let line = lines[i]
                if isBlank(line) {
                    // A blank line continues the item only if deeper-indented text follows.
                    if i + 1 < lines.count, !isBlank(lines[i + 1]), indentation(lines[i + 1]) > marker.indent {
                        content.append(""); i += 1; continue
                    }
                    break
                }
                let indent = indentation(line)
                if indent > marker.indent {
                    content.append(String(line.dropFirst(min(indent, current.contentColumn))))
                } else if !startsBlock(line), !isBlank(content.last ?? "") {
                    content.append(line.trimmingCharacters(in: .whitespaces))  // lazy continuation
                } else {
                    break
                }
                i += 1
            }
            items.append(parseBlocks(content))
            // Skip blank lines between items of the same list.
            var j = i
            while j < lines.count, isBlank(lines[j]) { j += 1 }
            if j < lines.count, let next = listMarker(lines[j]), next.indent == marker.indent, next.ordered == marker.ordered {
                i = j
            }
        }
        return (.list(ordered: marker.ordered, start: marker.number, items: items), i)
    }

    /// Splits inline text into styled pieces.
    static func parseInline(_ text: String) -> [MarkdownInline] {
        var result: [MarkdownInline] = []
        var bold = false, italic = false
        var buffer = ""
        let characters = Array(text)
        func flush() {
            if !buffer.isEmpty { result.append(MarkdownInline(text: buffer, bold: bold, italic: italic)); buffer = "" }
        }
        var i = 0
        while i < characters.count {
            let c = characters[i]
            let next: Character? = i + 1 < characters.count ? characters[i + 1] : nil
            let previous: Character? = i > 0 ? characters[i - 1] : nil
            if c == "\\", let next, "\\`*_[]()#>|-".contains(next) {
                buffer.append(next); i += 2; continue
            }
            if c == "`", let close = characters[(i + 1)...].firstIndex(of: "`") {
                flush()
                result.append(MarkdownInline(text: String(characters[(i + 1)..<close]), kind: .code, bold: bold, italic: italic))
                i = close + 1; continue
            }
            // A marker only opens emphasis when a closing marker follows; a lone "*" stays text.
            func closes(_ marker: Character, count: Int, after index: Int) -> Bool {
                var j = index
                while j + count <= characters.count {
                    if (0..<count).allSatisfy({ characters[j + $0] == marker }) { return true }
                    j += 1
                }
                return false
            }
            if (c == "*" && next == "*" || c == "_" && next == "_") && (bold || closes(c, count: 2, after: i + 2)) {
                flush(); bold.toggle(); i += 2; continue
            }
            if (c == "*" || c == "_") && next == c {
                buffer.append(c); buffer.append(c); i += 2; continue  // an unmatched double marker
            }
            if c == "*" || c == "_" {
                // An underscore inside a word (snake_case) is just a character.
                let inWord = (previous?.isLetter ?? false || previous?.isNumber ?? false)
                    && (next?.isLetter ?? false || next?.isNumber ?? false)
                let opening = !italic && next != nil && next != " " && closes(c, count: 1, after: i + 1)
                let closing = italic && previous != " "
                if !(c == "_" && inWord) && (opening || closing) {
                    flush(); italic.toggle(); i += 1; continue
                }
            }
            if c == "[", let close = characters[(i + 1)...].firstIndex(of: "]"), close + 1 < characters.count,
               characters[close + 1] == "(", let end = characters[(close + 2)...].firstIndex(of: ")") {
                flush()
                result.append(MarkdownInline(text: String(characters[(i + 1)..<close]), kind: .link, bold: bold, italic: italic))
                result.append(MarkdownInline(text: String(characters[(close + 2)..<end]), kind: .url))
                i = end + 1; continue
            }
            buffer.append(c)
            i += 1
        }
        flush()
        return result
    }

    static func plainText(_ inlines: [MarkdownInline]) -> String {
        inlines.map { $0.kind == .url ? " (\($0.text))" : $0.text }.joined()
    }
}
