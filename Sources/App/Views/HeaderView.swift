import TextPlot

/// Row 0: the course, the lesson and page, and the source's notice (e.g. "demo").
enum HeaderView {
    static func draw(into canvas: inout Canvas, in rect: Rect, title: String, page: PageContent, notice: String?,
                     capabilities: RenderCapabilities) {
        guard !rect.isEmpty else { return }
        let colors = capabilities.colors
        let bar = colors == .indexed256 ? CellStyle(foreground: .indexed(252), background: .indexed(236))
                                        : CellStyle(attributes: .reverse)
        canvas.fill(rect, with: Cell(" ", style: bar))
        var titleStyle = bar
        titleStyle.attributes.insert(.bold)
        var x = canvas.write(" \(title) ", x: rect.x, y: rect.y, style: titleStyle, clip: rect)
        let separator = capabilities.unicode ? " › " : " > "
        let place = "\(page.lessonTitle)\(separator)\(page.pageTitle)  (page \(page.index + 1)/\(max(1, page.count)))"
        var noticeWidth = 0
        if let notice {
            var noticeStyle = colors == .indexed256 ? CellStyle(foreground: .indexed(16), background: .indexed(214))
                                                    : CellStyle(attributes: [.bold])
            noticeStyle.attributes.insert(.bold)
            let text = " \(notice) "
            noticeWidth = min(text.count, rect.width / 2)
            canvas.write(text, x: rect.maxX - noticeWidth, y: rect.y, maxWidth: noticeWidth, style: noticeStyle,
                         glyphs: capabilities.glyphs, clip: rect)
        }
        x = canvas.write(separator.trimmingCharacters(), x: x, y: rect.y, style: bar, clip: rect)
        canvas.write(" " + place, x: x, y: rect.y, maxWidth: max(0, rect.maxX - noticeWidth - x - 1), style: bar,
                     glyphs: capabilities.glyphs, clip: rect)
    }
}

extension String {
    /// Without leading and trailing spaces (no Foundation needed).
    func trimmingCharacters() -> String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
