/// Markdown laid out as styled, word-wrapped lines. Lay it out once per width with
/// `layout(width:capabilities:)` and scroll the result; as a widget it draws from the top.
public struct MarkdownText: Widget {
    public var markdown: String
    public init(_ markdown: String) { self.markdown = markdown }

    /// The text wrapped to `width` columns: no line is wider, and words are only split when a
    /// single word is longer than the line.
    public func layout(width: Int, capabilities: RenderCapabilities) -> StyledText {
        guard width > 0 else { return StyledText(lines: []) }
        var layout = MarkdownLayout(width: width, capabilities: capabilities)
        layout.blocks(MarkdownParser.parse(markdown), first: [], rest: [], depth: 0)
        return StyledText(lines: layout.lines)
    }

    public func render(into canvas: inout Canvas, in rect: Rect, capabilities: RenderCapabilities) {
        layout(width: rect.width, capabilities: capabilities).render(into: &canvas, in: rect)
    }
}

/// Turns parsed blocks into lines. Each block is laid out with a prefix for its first line
/// (a bullet, a number, a quote bar) and one for the lines after it (the hanging indent).
struct MarkdownLayout {
    let width: Int
    let capabilities: RenderCapabilities
    var lines: [StyledLine] = []

    init(width: Int, capabilities: RenderCapabilities) {
        self.width = width
        self.capabilities = capabilities
    }

    var colors: ColorSupport { capabilities.colors }

    mutating func blocks(_ blocks: [MarkdownBlock], first: [StyledRun], rest: [StyledRun], depth: Int, tight: Bool = false) {
        for (index, block) in blocks.enumerated() {
            let prefix = index == 0 ? first : rest
            // A blank line between blocks, except inside tight list items.
            if index > 0 && !tight { lines.append(StyledLine(rest)) }
            self.block(block, first: prefix, rest: rest, depth: depth)
        }
    }

    mutating func block(_ block: MarkdownBlock, first: [StyledRun], rest: [StyledRun], depth: Int) {
        let glyphs = capabilities.glyphs
        switch block {
        case .heading(let level, let inlines):
            var style = Theme.title(colors)
            if level == 1 { style.attributes.insert(.underline) }
            if level >= 3 { style = CellStyle(attributes: .bold) }
            wrap(inlines, base: style, first: first, rest: rest)
        case .paragraph(let inlines):
            wrap(inlines, base: .plain, first: first, rest: rest)
        case .code(let codeLines):
            let style: CellStyle = colors == .indexed256 ? CellStyle(foreground: .indexed(180))
                : (colors == .basic8 ? CellStyle(foreground: .indexed(3)) : .plain)
            let indent = StyledRun("  ")
            var prefix = first + [indent]
            let available = max(1, width - runsWidth(rest) - indent.text.count)
            for line in codeLines.isEmpty ? [""] : codeLines {
                // Code keeps its spacing; a line too long for the room is broken between
                // tokens, each piece but the last ending in the continuation mark.
                let (pieces, hang) = Self.breakCode(line, width: available)
                for (index, piece) in pieces.enumerated() {
                    var runs = prefix
                    if index > 0 && hang > 0 { runs.append(StyledRun(String(repeating: " ", count: hang))) }
                    if !piece.isEmpty { runs.append(StyledRun(piece, style: style)) }
                    if index < pieces.count - 1 { runs.append(StyledRun(String(glyphs.continuation), style: Theme.muted(colors))) }
                    lines.append(StyledLine(runs))
                    prefix = rest + [indent]
                }
            }
        case .list(let ordered, let start, let tight, let items):
            let bullets: [Character] = capabilities.unicode ? ["•", "◦", "▪"] : ["*", "-", "+"]
            let numberWidth = "\(start + items.count - 1).".count
            for (index, item) in items.enumerated() {
                let marker: String
                if ordered {
                    let number = "\(start + index)."
                    marker = String(repeating: " ", count: numberWidth - number.count) + number + " "
                } else {
                    marker = "\(bullets[depth % bullets.count]) "
                }
                let markerStyle = colors == .none ? CellStyle.plain : Theme.title(colors)
                let itemFirst = (index == 0 ? first : rest) + [StyledRun(marker, style: markerStyle)]
                let itemRest = rest + [StyledRun(String(repeating: " ", count: marker.count))]
                // A loose list (blank lines in the source) keeps a blank line between items.
                if index > 0 && !tight { lines.append(StyledLine(rest)) }
                blocks(item, first: itemFirst, rest: itemRest, depth: depth + 1, tight: tight)
            }
        case .quote(let inner):
            let bar = StyledRun("\(glyphs.quoteBar) ", style: Theme.muted(colors))
            blocks(inner, first: first + [bar], rest: rest + [bar], depth: depth)
        case .table(let header, let rows):
            table(header: header, rows: rows, first: first, rest: rest)
        case .rule:
            let available = max(1, width - runsWidth(first))
            lines.append(StyledLine(first + [StyledRun(String(repeating: glyphs.horizontal, count: available),
                                                       style: Theme.axis(colors))]))
        }
    }

    func runsWidth(_ runs: [StyledRun]) -> Int { runs.reduce(0) { $0 + $1.text.count } }

    /// The style of an inline piece on top of the block's base style.
    func style(of inline: MarkdownInline, base: CellStyle) -> CellStyle {
        var style = base
        if inline.bold { style.attributes.insert(.bold) }
        if inline.italic { style.attributes.insert(.italic) }
        switch inline.kind {
        case .text, .lineBreak: break
        case .code:
            // Code is told by its colour; without colour it is underlined (raw backticks
            // would read as part of the code).
            switch colors {
            case .indexed256: style.foreground = .indexed(180)
            case .basic8: style.foreground = .indexed(3)
            case .none: style.attributes.insert(.underline)
            }
        case .link:
            style.attributes.insert(.underline)
            if colors == .indexed256 { style.foreground = .indexed(75) } else if colors == .basic8 { style.foreground = .indexed(6) }
        case .url:
            style = Theme.muted(colors)
        }
        return style
    }

    /// Word-wraps inline text. Words are maximal runs of non-spaces (they may change style
    /// midway, as in `**bold**,`); spaces between words collapse to one. Code spans and
    /// formulas wrap at their spaces like the words around them; a single word wider than
    /// the whole line is the only thing cut, and its cut ends in the continuation mark.
    mutating func wrap(_ inlines: [MarkdownInline], base: CellStyle, first: [StyledRun], rest: [StyledRun]) {
        // nil stands for a hard line break.
        var words: [[StyledRun]?] = []
        var current: [StyledRun] = []
        // Appends text to the current word; each space ends the word (runs of spaces collapse).
        func add(_ text: String, _ style: CellStyle) {
            var first = true
            for piece in text.split(separator: " ", omittingEmptySubsequences: false) {
                if !first, !current.isEmpty { words.append(current); current = [] }
                first = false
                guard !piece.isEmpty else { continue }
                if let last = current.last, last.style == style {
                    current[current.count - 1].text += piece
                } else {
                    current.append(StyledRun(String(piece), style: style))
                }
            }
        }
        for inline in inlines {
            let style = style(of: inline, base: base)
            switch inline.kind {
            case .url:
                if !current.isEmpty { words.append(current); current = [] }
                add("(" + inline.text + ")", style)
            case .lineBreak:
                if !current.isEmpty { words.append(current); current = [] }
                words.append(nil)
            default:
                add(inline.text, style)
            }
        }
        if !current.isEmpty { words.append(current) }

        let mark = StyledRun(String(capabilities.glyphs.continuation), style: Theme.muted(colors))
        var line = first
        var lineWidth = runsWidth(first)
        var hasWord = false
        func newLine() {
            lines.append(StyledLine(line))
            line = rest
            lineWidth = runsWidth(rest)
            hasWord = false
        }
        for entry in words {
            guard var word = entry else { newLine(); continue }
            var wordWidth = runsWidth(word)
            let gap = hasWord ? 1 : 0
            if lineWidth + gap + wordWidth > width && hasWord { newLine() }
            if hasWord { line.append(StyledRun(" ", style: .plain)); lineWidth += 1 }
            // A word longer than a whole line is cut where the line ends, with the mark.
            while lineWidth + wordWidth > width {
                let room = width - lineWidth - 1
                if room < 1 { break }  // the prefix alone fills the line: give up cutting
                let (head, tail) = split(word, at: room)
                line.append(contentsOf: head)
                line.append(mark)
                hasWord = true
                newLine()
                word = tail
                wordWidth = runsWidth(tail)
            }
            line.append(contentsOf: word)
            lineWidth += wordWidth
            hasWord = true
        }
        if hasWord || lines.isEmpty || words.isEmpty { lines.append(StyledLine(line)) }
    }

    /// Breaks one code line into pieces that fit `width` columns with room for the
    /// continuation mark after every piece but the last; pieces after the first are indented
    /// by `hang` (two more than the line's own indentation, when that leaves half the line).
    /// A piece ends at a space when one falls in its second half; otherwise at an operator
    /// or after an opening bracket or comma ("a+b" breaks before the "+", never inside
    /// "->", "<=" or "1e-3"); only a token wider than the whole room is cut inside.
    static func breakCode(_ line: String, width: Int) -> (pieces: [String], hang: Int) {
        let characters = Array(line)
        guard characters.count > width, width >= 2 else { return ([line], 0) }
        let indent = characters.prefix { $0 == " " }.count
        let hang = indent + 2 <= width / 2 ? indent + 2 : 0
        let operators: Set<Character> = ["+", "-", "*", "/", "=", "<", ">", "^", "|", "&", "%", "×", "÷", "·", "→"]
        let openers: Set<Character> = ["(", "[", "{", ",", ";"]
        var pieces: [String] = []
        var start = 0
        var room = width
        while characters.count - start > room {
            let limit = start + room - 1  // the piece's text ends before `limit`; the mark takes it
            let firstText = characters[start...].firstIndex { $0 != " " } ?? start
            // A space break ends the piece after a token, before a run of spaces: the piece
            // keeps one space before the mark, and the next piece starts at the next token.
            var spaceBreak: Int?, operatorBreak: Int?
            var b = limit
            while b > firstText, spaceBreak == nil || operatorBreak == nil {
                let before = characters[b - 1], after = characters[b]
                if spaceBreak == nil, b < limit, after == " ", before != " " {
                    spaceBreak = b
                } else if operatorBreak == nil, before != " ", after != " " {
                    let exponent = b >= 2 && (after == "-" || after == "+") && (before == "e" || before == "E")
                        && characters[b - 2].isNumber
                    if operators.contains(after) && !operators.contains(before) && !exponent
                        || openers.contains(before) && !openers.contains(after) && !operators.contains(after) {
                        operatorBreak = b
                    }
                }
                b -= 1
            }
            let end: Int
            if let space = spaceBreak, space - start >= room / 2 || operatorBreak.map({ $0 <= space }) ?? true {
                end = space
                pieces.append(String(characters[start..<end]) + " ")
            } else {
                end = operatorBreak ?? limit
                pieces.append(String(characters[start..<end]))
            }
            // The next piece starts at its first token: the hang indents it.
            start = end
            while start < characters.count, characters[start] == " " { start += 1 }
            room = width - hang
        }
        pieces.append(String(characters[start...]))
        return (pieces, hang)
    }

    /// Splits runs after `count` characters.
    func split(_ runs: [StyledRun], at count: Int) -> ([StyledRun], [StyledRun]) {
        var head: [StyledRun] = [], tail: [StyledRun] = []
        var remaining = count
        for run in runs {
            if remaining <= 0 { tail.append(run); continue }
            if run.text.count <= remaining {
                head.append(run); remaining -= run.text.count
            } else {
                head.append(StyledRun(String(run.text.prefix(remaining)), style: run.style))
                tail.append(StyledRun(String(run.text.dropFirst(remaining)), style: run.style))
                remaining = 0
            }
        }
        return (head, tail)
    }

    /// A pipe table: columns separated by a bar, the widest shrunk first to fit, cut cells
    /// ending in an ellipsis.
    mutating func table(header: [String], rows: [[String]], first: [StyledRun], rest: [StyledRun]) {
        let glyphs = capabilities.glyphs
        let spec = TableSpec(headers: header, rows: rows)
        let separator = " \(glyphs.vertical) "
        let columnCount = max(header.count, rows.map(\.count).max() ?? 0)
        let available = width - runsWidth(rest) - (separator.count - 1) * max(0, columnCount - 1)
        let widths = spec.columnWidths(fitting: available)
        func cell(_ text: String, _ width: Int) -> String {
            if text.count <= width { return text + String(repeating: " ", count: width - text.count) }
            return width <= 1 ? String(glyphs.ellipsis) : String(text.prefix(width - 1)) + String(glyphs.ellipsis)
        }
        func row(_ cells: [String], style: CellStyle, prefix: [StyledRun]) -> StyledLine {
            var runs = prefix
            for (index, width) in widths.enumerated() {
                if index > 0 { runs.append(StyledRun(separator, style: Theme.axis(colors))) }
                runs.append(StyledRun(cell(index < cells.count ? cells[index] : "", width), style: style))
            }
            // Trailing padding is not part of the text.
            if var last = runs.popLast() {
                while last.text.hasSuffix(" ") { last.text.removeLast() }
                if !last.text.isEmpty { runs.append(last) }
            }
            return StyledLine(runs)
        }
        lines.append(row(header, style: CellStyle(attributes: .bold), prefix: first))
        var rule = rest
        for (index, width) in widths.enumerated() {
            let text = (index > 0 ? String(glyphs.horizontal) : "") + String(repeating: glyphs.horizontal, count: width)
                + (index < widths.count - 1 ? String(glyphs.horizontal) : "")
            rule.append(StyledRun(text, style: Theme.axis(colors)))
            if index < widths.count - 1 { rule.append(StyledRun(capabilities.unicode ? "┼" : "+", style: Theme.axis(colors))) }
        }
        lines.append(StyledLine(rule))
        for cells in rows { lines.append(row(cells, style: .plain, prefix: rest)) }
    }
}
