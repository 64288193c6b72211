/// A piece of inline text with its emphasis, as parsed from Markdown. Nested emphasis is
/// flattened: each piece says whether it is bold and/or italic, which is all a terminal shows.
struct MarkdownInline: Hashable {
    enum Kind: Hashable {
        case text, code, link, url
        /// A hard line break (two spaces or a backslash at the end of a line); `text` is empty.
        case lineBreak
    }
    var text: String
    var kind: Kind = .text
    var bold = false
    var italic = false
}

/// The block structure of a Markdown document: the CommonMark blocks (ATX and setext headings,
/// paragraphs, fenced and indented code, lists, block quotes, thematic breaks) and GitHub's
/// pipe tables. Raw HTML blocks and link reference definitions are not recognised; their
/// lines stay paragraph text.
indirect enum MarkdownBlock: Hashable {
    case heading(level: Int, [MarkdownInline])
    case paragraph([MarkdownInline])
    case code(lines: [String])
    /// Items of a list; each item holds its own blocks (paragraphs, nested lists). A tight list
    /// (no blank line between its items or inside them) is drawn without blank lines.
    case list(ordered: Bool, start: Int, tight: Bool, items: [[MarkdownBlock]])
    case quote([MarkdownBlock])
    case table(header: [String], rows: [[String]])
    case rule
}
