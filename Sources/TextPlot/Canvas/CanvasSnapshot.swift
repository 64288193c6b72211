/// A plain-text picture of a canvas that keeps both characters and styles, for golden files
/// and readable test failures:
///
/// ```
/// <the characters, one line per row>
/// --- styles
/// <one style id per cell; '.' is the plain style>
/// --- legend
/// a fg=75 bold
/// ```
///
/// Style ids are given in order of first appearance (row by row), so a snapshot depends only
/// on what is drawn, never on hashing order.
extension Canvas {
    public var snapshot: String {
        let idAlphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var ids: [CellStyle: Character] = [.plain: "."]
        var legend: [String] = []
        var styleRows: [String] = []
        for y in 0..<height {
            var row = ""
            for x in 0..<width {
                let style = cells[y * width + x].style
                if let id = ids[style] {
                    row.append(id)
                } else {
                    let number = ids.count - 1
                    let id: Character = number < idAlphabet.count ? idAlphabet[number] : "?"
                    ids[style] = id
                    legend.append("\(id) \(style.description)")
                    row.append(id)
                }
            }
            styleRows.append(row)
        }
        return text + "\n--- styles\n" + styleRows.joined(separator: "\n") + "\n--- legend\n"
            + legend.joined(separator: "\n") + (legend.isEmpty ? "" : "\n")
    }
}

extension CellStyle: CustomStringConvertible {
    /// A compact readable form such as `fg=75 bg=17 bold`.
    public var description: String {
        var parts: [String] = []
        if case .indexed(let index) = foreground { parts.append("fg=\(index)") }
        if case .indexed(let index) = background { parts.append("bg=\(index)") }
        let names: [(CellAttributes, String)] = [(.bold, "bold"), (.dim, "dim"), (.italic, "italic"),
                                                 (.underline, "underline"), (.reverse, "reverse")]
        for (attribute, name) in names where attributes.contains(attribute) { parts.append(name) }
        return parts.isEmpty ? "plain" : parts.joined(separator: " ")
    }
}
