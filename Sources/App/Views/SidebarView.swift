import TextPlot

/// The chapters and lessons, with a mark for each finished lesson and the open one highlighted.
enum SidebarView {
    /// Draws the sidebar; returns the row of each visible lesson (for mouse clicks).
    static func draw(into canvas: inout Canvas, in rect: Rect, outline: [OutlineChapter], cursor: Int?,
                     focused: Bool, capabilities: RenderCapabilities) -> [(y: Int, lessonID: String)] {
        guard rect.width >= 4, rect.height >= 3 else { return [] }
        let colors = capabilities.colors, glyphs = capabilities.glyphs
        canvas.fill(rect)
        canvas.drawBox(rect, style: focused ? Theme.highlight(colors) : Theme.border(colors), glyphs: glyphs)
        canvas.write(" Lessons ", x: rect.x + 2, y: rect.y, maxWidth: rect.width - 4, style: Theme.title(colors),
                     glyphs: glyphs)
        let inner = rect.inset(by: 1)
        // In ASCII a done mark must not read as part of the title ("x 0" read as "times zero").
        let done: Character = capabilities.unicode ? "✓" : "*"
        // Build all lines first, then scroll so the cursor (or the open lesson) stays visible.
        var lines: [(text: String, style: CellStyle, lessonID: String?, isCursor: Bool)] = []
        var flatIndex = 0
        for chapter in outline {
            lines.append((chapter.title, Theme.title(colors), nil, false))
            for lesson in chapter.lessons {
                let mark = lesson.isComplete ? "\(done) " : "  "
                var style: CellStyle = lesson.isCurrent ? CellStyle(attributes: .bold) : .plain
                if lesson.isComplete && !lesson.isCurrent { style = Theme.muted(colors) }
                let isCursor = cursor == flatIndex
                if isCursor { style = CellStyle(attributes: [.reverse, .bold]) }
                let pointer = lesson.isCurrent ? (capabilities.unicode ? "▸" : ">") : " "
                lines.append(("\(pointer)\(mark)\(lesson.title)", style, lesson.id, isCursor))
                flatIndex += 1
            }
        }
        let focusLine = lines.firstIndex { $0.isCursor } ?? lines.firstIndex { $0.text.hasPrefix(capabilities.unicode ? "▸" : ">") } ?? 0
        let first = max(0, min(focusLine - inner.height / 2, lines.count - inner.height))
        var rows: [(y: Int, lessonID: String)] = []
        for (offset, line) in lines.dropFirst(first).prefix(inner.height).enumerated() {
            let y = inner.y + offset
            if line.isCursor { canvas.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), with: Cell(" ", style: line.style)) }
            canvas.write(line.text, x: inner.x, y: y, maxWidth: inner.width, style: line.style, glyphs: glyphs)
            if let id = line.lessonID { rows.append((y, id)) }
        }
        return rows
    }
}
