/// Parses lesson Markdown into blocks the way CommonMark does (the spec's two-phase strategy:
/// block structure line by line with open containers, then inline content), so the screen
/// shows the same structure GitHub shows for the same file. Covered: ATX and setext headings,
/// paragraphs with lazy continuation lines, fenced and indented code, bullet and ordered lists
/// (with CommonMark's rule that only a list starting at 1 may interrupt a paragraph, so a
/// line such as "80. The error is -8" continues its paragraph), block quotes, thematic breaks
/// and, from GitHub's dialect, pipe tables. Not covered (their lines stay paragraph text): raw
/// HTML blocks and link reference definitions. Tabs count as spaces up to the next multiple
/// of four columns. `CommonMarkReferenceTests` compares the result with `cmark-gfm` over
/// every lesson.
enum MarkdownParser {
    static func parse(_ markdown: String) -> [MarkdownBlock] {
        var parser = BlockParser()
        for line in lines(of: markdown) { parser.add(line) }
        return parser.finish()
    }

    /// The lines of `text` (split at LF, CRLF or CR) with tabs expanded to tab stops of four.
    static func lines(of text: String) -> [[Character]] {
        var result: [[Character]] = []
        var line: [Character] = []
        for character in text {
            switch character {
            case "\n", "\r\n", "\r":
                result.append(line)
                line = []
            case "\t":
                line.append(contentsOf: repeatElement(" ", count: 4 - line.count % 4))
            default:
                line.append(character)
            }
        }
        if !line.isEmpty { result.append(line) }
        return result
    }

    static func plainText(_ inlines: [MarkdownInline]) -> String {
        inlines.map { $0.kind == .url ? " (\($0.text))" : $0.text }.joined()
    }
}

/// A list marker: "-", "+", "*", or up to nine digits and "." or ")".
struct ListMarker {
    var ordered: Bool
    /// The bullet character, or the ordered list's delimiter ("." or ")").
    var character: Character
    var start: Int
    /// Columns of indentation before the marker.
    var markerOffset = 0
    /// Columns from the marker's start to the item's content.
    var padding = 0

    func continues(_ other: ListMarker) -> Bool { ordered == other.ordered && character == other.character }
}

/// A block while the document is read: containers (document, quote, list, item) hold
/// children; leaves hold lines.
final class BlockNode {
    enum Kind { case document, quote, list, item, paragraph, heading, fencedCode, indentedCode, rule, table }
    var kind: Kind
    weak var parent: BlockNode?
    var children: [BlockNode] = []
    var isOpen = true
    /// Whether the last line this block saw was blank (for tight and loose lists).
    var lastLineBlank = false
    var startLine = 0
    var lines: [String] = []
    var level = 0
    var marker = ListMarker(ordered: false, character: "-", start: 1)
    var tight = true
    var fenceCharacter: Character = "`"
    var fenceLength = 0
    var fenceOffset = 0
    var header: [String] = []
    var rows: [[String]] = []

    init(_ kind: Kind) { self.kind = kind }

    var acceptsLines: Bool { [.paragraph, .heading, .fencedCode, .indentedCode, .table].contains(kind) }

    func canContain(_ child: Kind) -> Bool {
        switch kind {
        case .document, .quote, .item: return child != .item
        case .list: return child == .item
        default: return false
        }
    }

    /// Whether this block, or its last descendant through lists and items, ended on a blank line.
    var endsWithBlankLine: Bool {
        var node: BlockNode? = self
        while let current = node {
            if current.lastLineBlank { return true }
            node = current.kind == .list || current.kind == .item ? current.children.last : nil
        }
        return false
    }
}

/// The block phase of CommonMark: each line first continues the open containers it matches,
/// then may open new blocks, then its rest is added to the innermost block (or continues a
/// paragraph lazily).
struct BlockParser {
    let document = BlockNode(.document)
    /// The innermost open block (the spec's "tip").
    var tip: BlockNode
    var lineNumber = 0

    init() { tip = document }

    static func firstNonSpace(_ line: [Character], from offset: Int) -> Int {
        var index = offset
        while index < line.count, line[index] == " " { index += 1 }
        return index
    }

    mutating func add(_ line: [Character]) {
        lineNumber += 1
        var offset = 0
        var container = document

        // 1. Which open blocks does the line continue?
        while let child = container.children.last, child.isOpen {
            let nonSpace = Self.firstNonSpace(line, from: offset)
            let indent = nonSpace - offset, blank = nonSpace == line.count
            var matched = true
            switch child.kind {
            case .quote:
                if indent <= 3, nonSpace < line.count, line[nonSpace] == ">" {
                    offset = nonSpace + 1
                    if offset < line.count, line[offset] == " " { offset += 1 }
                } else {
                    matched = false
                }
            case .item:
                let needed = child.marker.markerOffset + child.marker.padding
                if indent >= needed {
                    offset += needed
                } else if blank && !child.children.isEmpty {
                    offset = nonSpace
                } else {
                    matched = false
                }
            case .fencedCode:
                if indent <= 3, let length = Self.closingFence(line, at: nonSpace, character: child.fenceCharacter),
                   length >= child.fenceLength {
                    // The closing fence ends the block and uses up the line.
                    tip = finalize(child)
                    return
                }
                var skip = child.fenceOffset
                while skip > 0, offset < line.count, line[offset] == " " { offset += 1; skip -= 1 }
            case .indentedCode:
                if indent >= 4 { offset += 4 } else if blank { offset = nonSpace } else { matched = false }
            case .heading, .rule:
                matched = false
            case .paragraph, .table:
                matched = !blank
            case .list, .document:
                break
            }
            if !matched { break }
            container = child
        }
        let lastMatched = container

        // 2. New blocks: quotes and list items may nest; a leaf ends the search.
        var maybeLazy = tip.kind == .paragraph
        var openedFence = false
        while container.kind != .fencedCode && container.kind != .indentedCode {
            let nonSpace = Self.firstNonSpace(line, from: offset)
            let indent = nonSpace - offset, blank = nonSpace == line.count
            let indented = indent >= 4
            let next: Character? = nonSpace < line.count ? line[nonSpace] : nil
            if !indented, next == ">" {
                offset = nonSpace + 1
                if offset < line.count, line[offset] == " " { offset += 1 }
                container = addChild(to: container, .quote)
            } else if !indented, let (level, end) = Self.atxHeading(line, at: nonSpace) {
                offset = end
                container = addChild(to: container, .heading)
                container.level = level
            } else if !indented, let (character, length) = Self.openingFence(line, at: nonSpace) {
                container = addChild(to: container, .fencedCode)
                container.fenceCharacter = character
                container.fenceLength = length
                container.fenceOffset = indent
                offset = line.count
                openedFence = true
            } else if !indented, container.kind == .paragraph, let columns = Self.tableDelimiterRow(line, at: nonSpace),
                      let headerLine = container.lines.last, Self.tableCells(headerLine).count == columns {
                // GitHub's tables: the paragraph's last line is the header row.
                let paragraph = container
                paragraph.lines.removeLast()
                let header = Self.tableCells(headerLine)
                if paragraph.lines.isEmpty {
                    paragraph.kind = .table
                    container = paragraph
                } else {
                    container = addChild(to: paragraph, .table)
                }
                container.header = header
                offset = line.count
            } else if !indented, container.kind == .paragraph, let level = Self.setextLevel(line, at: nonSpace) {
                container.kind = .heading
                container.level = level
                container.lines = [container.lines.joined(separator: "\n")]
                offset = line.count
            } else if !indented, Self.isThematicBreak(line, at: nonSpace) {
                container = addChild(to: container, .rule)
                offset = line.count
            } else if !indented,
                      var marker = Self.listMarker(line, at: nonSpace, interruptsParagraph: container.kind == .paragraph) {
                // The marker's columns as written ("007." is four).
                let written = marker.ordered ? (line[nonSpace...].prefix { $0.isASCII && $0.isNumber }.count + 1) : 1
                offset = nonSpace + written
                let afterMarker = offset
                var spaces = 0
                while spaces <= 5, offset < line.count, line[offset] == " " { offset += 1; spaces += 1 }
                if spaces >= 5 || spaces < 1 || offset == line.count {
                    // Content indented by five or more is code inside the item; an empty
                    // first line means the content starts one column after the marker.
                    marker.padding = written + 1
                    offset = afterMarker + (spaces > 0 ? 1 : 0)
                } else {
                    marker.padding = written + spaces
                }
                marker.markerOffset = indent
                if container.kind != .list || !container.marker.continues(marker) {
                    container = addChild(to: container, .list)
                    container.marker = marker
                }
                container = addChild(to: container, .item)
                container.marker = marker
            } else if indented, !maybeLazy, !blank {
                // Indented code cannot interrupt a paragraph (nor continue one lazily).
                offset += 4
                container = addChild(to: container, .indentedCode)
            } else {
                break
            }
            maybeLazy = false
            if container.acceptsLines { break }
        }

        // 3. The rest of the line.
        let nonSpace = Self.firstNonSpace(line, from: offset)
        let blank = nonSpace == line.count
        if blank, let last = container.children.last { last.lastLineBlank = true }
        container.lastLineBlank = blank && container.kind != .quote && container.kind != .heading
            && container.kind != .rule && container.kind != .fencedCode
            && !(container.kind == .item && container.children.isEmpty && container.startLine == lineNumber)
        var ancestor = container.parent
        while let node = ancestor { node.lastLineBlank = false; ancestor = node.parent }

        if tip !== lastMatched && container === lastMatched && !blank && tip.kind == .paragraph {
            tip.lines.append(String(line[nonSpace...]))  // a lazy continuation line
            return
        }
        while tip !== lastMatched { tip = finalize(tip) }
        switch container.kind {
        case .fencedCode:
            if !openedFence { container.lines.append(String(line[min(offset, line.count)...])) }
        case .indentedCode:
            container.lines.append(String(line[min(offset, line.count)...]))
        case _ where blank:
            break
        case .heading:
            container.lines.append(Self.headingContent(line[nonSpace...]))
        case .paragraph:
            container.lines.append(String(line[nonSpace...]))
        case .table:
            container.rows.append(Self.tableCells(String(line[nonSpace...])))
        default:
            container = addChild(to: container, .paragraph)
            container.lines.append(String(line[nonSpace...]))
        }
        tip = container
    }

    /// Adds a block under `parent`, closing blocks that cannot hold it first.
    mutating func addChild(to parent: BlockNode, _ kind: BlockNode.Kind) -> BlockNode {
        var parent = parent
        while !parent.canContain(kind) { parent = finalize(parent) }
        let node = BlockNode(kind)
        node.parent = parent
        node.startLine = lineNumber
        parent.children.append(node)
        return node
    }

    /// Closes `node` and returns its parent.
    mutating func finalize(_ node: BlockNode) -> BlockNode {
        node.isOpen = false
        switch node.kind {
        case .indentedCode:
            while let last = node.lines.last, last.allSatisfy({ $0 == " " }) { node.lines.removeLast() }
        case .list:
            // Loose when an item but the last ends with a blank line, or blank lines separate
            // blocks inside an item.
            node.tight = true
            outer: for (index, item) in node.children.enumerated() {
                let isLastItem = index == node.children.count - 1
                if item.lastLineBlank && !isLastItem { node.tight = false; break }
                for (childIndex, child) in item.children.enumerated()
                where (!isLastItem || childIndex < item.children.count - 1) && child.endsWithBlankLine {
                    node.tight = false
                    break outer
                }
            }
        default:
            break
        }
        return node.parent ?? document
    }

    mutating func finish() -> [MarkdownBlock] {
        while tip !== document { tip = finalize(tip) }
        return Self.blocks(document.children)
    }

    static func blocks(_ nodes: [BlockNode]) -> [MarkdownBlock] {
        nodes.compactMap { node -> MarkdownBlock? in
            switch node.kind {
            case .paragraph:
                return .paragraph(InlineParser.parse(trimmedEnd(node.lines.joined(separator: "\n"))))
            case .heading:
                return .heading(level: node.level, InlineParser.parse(trimmedEnd(node.lines.joined(separator: "\n"))))
            case .fencedCode, .indentedCode:
                return .code(lines: node.lines)
            case .list:
                return .list(ordered: node.marker.ordered, start: node.marker.start, tight: node.tight,
                             items: node.children.map { blocks($0.children) })
            case .quote:
                return .quote(blocks(node.children))
            case .rule:
                return .rule
            case .table:
                let width = node.header.count
                let rows = node.rows.map { row in
                    Array(row.prefix(width)) + Array(repeating: "", count: max(0, width - row.count))
                }
                return .table(header: node.header, rows: rows)
            case .document, .item:
                return nil
            }
        }
    }

    static func trimmedEnd(_ text: String) -> String {
        var text = Substring(text)
        while let last = text.last, last == " " || last == "\n" { text.removeLast() }
        return String(text)
    }

    // MARK: - Line tests

    /// "#" to "######" followed by a space or the end of the line: the level and where the
    /// content starts.
    static func atxHeading(_ line: [Character], at start: Int) -> (Int, Int)? {
        var end = start
        while end < line.count, line[end] == "#" { end += 1 }
        let level = end - start
        guard (1...6).contains(level), end == line.count || line[end] == " " else { return nil }
        return (level, end)
    }

    /// A heading's text without the optional closing run of "#".
    static func headingContent(_ text: ArraySlice<Character>) -> String {
        var content = Array(text)
        while content.last == " " { content.removeLast() }
        var end = content.count
        while end > 0, content[end - 1] == "#" { end -= 1 }
        if end == 0 {
            content = []
        } else if end < content.count, content[end - 1] == " " {
            content = Array(content[..<end])
            while content.last == " " { content.removeLast() }
        }
        return String(content)
    }

    /// Three or more backticks or tildes; a backtick fence's info string has no backtick.
    static func openingFence(_ line: [Character], at start: Int) -> (Character, Int)? {
        guard start < line.count, line[start] == "`" || line[start] == "~" else { return nil }
        let character = line[start]
        var end = start
        while end < line.count, line[end] == character { end += 1 }
        guard end - start >= 3 else { return nil }
        if character == "`", line[end...].contains("`") { return nil }
        return (character, end - start)
    }

    /// The length of a closing fence (only spaces may follow it), or nil.
    static func closingFence(_ line: [Character], at start: Int, character: Character) -> Int? {
        var end = start
        while end < line.count, line[end] == character { end += 1 }
        guard end - start >= 3, line[end...].allSatisfy({ $0 == " " }) else { return nil }
        return end - start
    }

    /// A setext underline: "=" (level 1) or "-" (level 2) repeated, then only spaces.
    static func setextLevel(_ line: [Character], at start: Int) -> Int? {
        guard start < line.count, line[start] == "=" || line[start] == "-" else { return nil }
        let character = line[start]
        var end = start
        while end < line.count, line[end] == character { end += 1 }
        guard line[end...].allSatisfy({ $0 == " " }) else { return nil }
        return character == "=" ? 1 : 2
    }

    /// Three or more "*", "-" or "_" (all the same), spaces allowed between, nothing else.
    static func isThematicBreak(_ line: [Character], at start: Int) -> Bool {
        guard start < line.count, "*-_".contains(line[start]) else { return false }
        let character = line[start]
        var count = 0
        for c in line[start...] {
            if c == character { count += 1 } else if c != " " { return false }
        }
        return count >= 3
    }

    /// A list marker at `start`. When it would interrupt a paragraph, the item must have text
    /// and an ordered list must start at 1.
    static func listMarker(_ line: [Character], at start: Int, interruptsParagraph: Bool) -> ListMarker? {
        guard start < line.count else { return nil }
        let first = line[start]
        var marker: ListMarker
        var end: Int
        if "-+*".contains(first) {
            marker = ListMarker(ordered: false, character: first, start: 0)
            end = start + 1
        } else if first.isASCII && first.isNumber {
            end = start
            while end < line.count, end - start < 10, line[end].isASCII, line[end].isNumber { end += 1 }
            guard end - start <= 9, end < line.count, line[end] == "." || line[end] == ")" else { return nil }
            marker = ListMarker(ordered: true, character: line[end], start: Int(String(line[start..<end])) ?? 0)
            end += 1
        } else {
            return nil
        }
        guard end == line.count || line[end] == " " else { return nil }
        if interruptsParagraph {
            if line[end...].allSatisfy({ $0 == " " }) { return nil }
            if marker.ordered && marker.start != 1 { return nil }
        }
        return marker
    }

    /// A table's delimiter row ("| --- | :-: |"): the number of columns, or nil. It needs a
    /// pipe, so a lone "---" stays a setext underline or a rule.
    static func tableDelimiterRow(_ line: [Character], at start: Int) -> Int? {
        let text = String(line[start...])
        guard text.contains("|") else { return nil }
        let cells = tableCells(text)
        guard !cells.isEmpty else { return nil }
        for cell in cells {
            var body = Substring(cell)
            if body.hasPrefix(":") { body.removeFirst() }
            if body.hasSuffix(":") { body.removeLast() }
            guard !body.isEmpty, body.allSatisfy({ $0 == "-" }) else { return nil }
        }
        return cells.count
    }

    /// A table row's cells: split at unescaped pipes, outer pipes dropped, each cell's inline
    /// Markdown reduced to its text.
    static func tableCells(_ line: String) -> [String] {
        var cells: [String] = []
        var current = ""
        var characters = Array(line.trimmingSpaces)
        if characters.first == "|" { characters.removeFirst() }
        var index = 0
        var closedByPipe = false
        while index < characters.count {
            let c = characters[index]
            if c == "\\", index + 1 < characters.count, characters[index + 1] == "|" {
                current.append("|"); index += 2; continue
            }
            if c == "|" {
                cells.append(current); current = ""
                closedByPipe = index == characters.count - 1
            } else {
                current.append(c)
            }
            index += 1
        }
        if !closedByPipe || !current.isEmpty { cells.append(current) }
        return cells.map { MarkdownParser.plainText(InlineParser.parse($0.trimmingSpaces)) }
    }
}

extension String {
    /// Without leading and trailing spaces.
    var trimmingSpaces: String {
        let characters = Array(self)
        guard let first = characters.firstIndex(where: { $0 != " " }),
              let last = characters.lastIndex(where: { $0 != " " }) else { return "" }
        return String(characters[first...last])
    }
}
