import TextPlot

/// The lesson page: its Markdown wrapped to the pane and scrolled.
///
/// The page is laid out once per text and width (TextPlot's `MarkdownText.layout`) and kept in
/// a cache, so scrolling and redrawing a frame never re-wrap it.
enum LessonView {
    struct Result { var lineCount: Int; var visibleHeight: Int }

    /// The last laid-out page, keyed by what it depends on.
    final class Cache {
        var key: (markdown: String, width: Int, capabilities: RenderCapabilities)?
        var text = StyledText(lines: [])
    }

    static func draw(into canvas: inout Canvas, in rect: Rect, page: PageContent, scroll: Int, focused: Bool,
                     capabilities: RenderCapabilities, cache: Cache) -> Result {
        guard rect.width >= 6, rect.height >= 3 else { return Result(lineCount: 0, visibleHeight: 1) }
        let colors = capabilities.colors, glyphs = capabilities.glyphs
        canvas.drawBox(rect, style: focused ? Theme.highlight(colors) : Theme.border(colors), glyphs: glyphs)
        canvas.write(" \(page.pageTitle) ", x: rect.x + 2, y: rect.y, maxWidth: rect.width - 4,
                     style: Theme.title(colors), glyphs: glyphs)
        let inner = Rect(x: rect.x + 2, y: rect.y + 1, width: rect.width - 4, height: rect.height - 2)
        if cache.key?.markdown != page.markdown || cache.key?.width != inner.width || cache.key?.capabilities != capabilities {
            let markdown = capabilities.unicode ? page.markdown : ASCIIText.transliterate(page.markdown)
            cache.text = MarkdownText(markdown).layout(width: inner.width, capabilities: capabilities)
            cache.key = (page.markdown, inner.width, capabilities)
        }
        let text = cache.text
        let first = max(0, min(scroll, text.lineCount - inner.height))
        text.render(into: &canvas, in: inner, from: first)
        // A scroll mark on the right border shows where the window sits in the page.
        if text.lineCount > inner.height {
            let thumb = inner.y + (inner.height - 1) * first / max(1, text.lineCount - inner.height)
            canvas[rect.maxX - 1, thumb] = Cell(capabilities.unicode ? "┃" : "#", style: Theme.title(colors))
            if first + inner.height < text.lineCount {
                let more = " more \(capabilities.unicode ? "↓" : "v") "
                canvas.write(more, x: rect.maxX - more.count - 2, y: rect.maxY - 1, style: Theme.muted(colors))
            }
        }
        return Result(lineCount: text.lineCount, visibleHeight: inner.height)
    }
}
