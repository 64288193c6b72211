/// A piece of inline text with its emphasis, as parsed from Markdown.
struct MarkdownInline: Hashable {
    enum Kind: Hashable { case text, code, link, url }
    var text: String
    var kind: Kind = .text
    var bold = false
    var italic = false
}

/// The block structure of a Markdown document (the subset the course uses).
indirect enum MarkdownBlock: Hashable {
    case heading(level: Int, [MarkdownInline])
    case paragraph([MarkdownInline])
    case code(lines: [String])
    /// Items of a list; each item holds its own blocks (paragraphs, nested lists).
    case list(ordered: Bool, start: Int, items: [[MarkdownBlock]])
    case quote([MarkdownBlock])
    case table(header: [String], rows: [[String]])
    case rule
}
