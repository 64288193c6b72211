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
            for line in codeLines.isEmpty ? [""] : codeLines {
                // Code keeps its spacing; long lines are cut into width-sized pieces.
                let available = max(1, width - runsWidth(prefix))
                var remaining = Substring(line)
                repeat {
                    let piece = remaining.prefix(available)
                    lines.append(StyledLine(prefix + (piece.isEmpty ? [] : [StyledRun(String(piece), style: style)])))
                    remaining = remaining.dropFirst(piece.count)
                    prefix = rest + [indent]
                } while !remaining.isEmpty
            }
        case .list(let ordered, let start, let items):
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
                blocks(item, first: itemFirst, rest: itemRest, depth: depth + 1, tight: true)
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
        case .text: break
        case .code:
            if colors == .indexed256 { style.foreground = .indexed(180) } else if colors == .basic8 { style.foreground = .indexed(3) }
        case .link:
            style.attributes.insert(.underline)
            if colors == .indexed256 { style.foreground = .indexed(75) } else if colors == .basic8 { style.foreground = .indexed(6) }
        case .url:
            style = Theme.muted(colors)
        }
        return style
    }

    /// Word-wraps inline text. Words are maximal runs of non-spaces (they may change style
    /// midway, as in `**bold**,`); spaces between words collapse to one.
    mutating func wrap(_ inlines: [MarkdownInline], base: CellStyle, first: [StyledRun], rest: [StyledRun]) {
        var words: [[StyledRun]] = []
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
            case .code where colors == .none:
                // Without colour, the backticks are what marks code.
                add("`" + inline.text + "`", style)
            case .url:
                if !current.isEmpty { words.append(current); current = [] }
                add("(" + inline.text + ")", style)
            default:
                add(inline.text, style)
            }
        }
        if !current.isEmpty { words.append(current) }

        var line = first
        var lineWidth = runsWidth(first)
        var hasWord = false
        func newLine() {
            lines.append(StyledLine(line))
            line = rest
            lineWidth = runsWidth(rest)
            hasWord = false
        }
        for word in words {
            var word = word
            var wordWidth = runsWidth(word)
            let gap = hasWord ? 1 : 0
            if lineWidth + gap + wordWidth > width && hasWord { newLine() }
            if hasWord { line.append(StyledRun(" ", style: .plain)); lineWidth += 1 }
            // A word longer than a whole line is cut where the line ends.
            while lineWidth + wordWidth > width {
                let room = max(1, width - lineWidth)
                let (head, tail) = split(word, at: room)
                line.append(contentsOf: head)
                lineWidth += runsWidth(head)
                hasWord = true
                newLine()
                word = tail
                wordWidth = runsWidth(tail)
                if lineWidth >= width { break }  // prefix alone fills the line: give up cutting
            }
            line.append(contentsOf: word)
            lineWidth += wordWidth
            hasWord = true
        }
        if hasWord || lines.isEmpty || words.isEmpty { lines.append(StyledLine(line)) }
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
