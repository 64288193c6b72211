import TextPlot

/// The lesson page: its Markdown wrapped to the pane and scrolled.
///
/// The page is rendered once into an off-screen canvas as tall as the text, and the visible
/// window is copied across, so scrolling never re-wraps and the Markdown widget need not know
/// about scrolling. The off-screen page is cached until the text or width changes.
enum LessonView {
    struct Result { var lineCount: Int; var visibleHeight: Int }

    /// The last rendered page, keyed by what it depends on.
    final class Cache {
        var key: (markdown: String, width: Int, capabilities: RenderCapabilities)?
        var page = Canvas(width: 0, height: 0)
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
            let text = PendingMarkdown(markdown: page.markdown)
            let height = max(1, text.height(width: inner.width))
            var offscreen = Canvas(width: inner.width, height: height)
            text.render(into: &offscreen, in: offscreen.bounds, capabilities: capabilities)
            cache.page = offscreen
            cache.key = (page.markdown, inner.width, capabilities)
        }
        let source = cache.page
        let first = max(0, min(scroll, source.height - inner.height))
        for row in 0..<min(inner.height, source.height - first) {
            for column in 0..<inner.width {
                canvas[inner.x + column, inner.y + row] = source[column, first + row]
            }
        }
        // A scroll indicator on the right border: where the window sits in the page.
        if source.height > inner.height {
            let track = inner.height
            let thumb = inner.y + (track - 1) * first / max(1, source.height - inner.height)
            canvas[rect.maxX - 1, thumb] = Cell(capabilities.unicode ? "┃" : "#", style: Theme.title(colors))
            let more = first + inner.height < source.height ? " more \(capabilities.unicode ? "↓" : "v") " : ""
            if !more.isEmpty { canvas.write(more, x: rect.maxX - more.count - 2, y: rect.maxY - 1, style: Theme.muted(colors)) }
        }
        return Result(lineCount: source.height, visibleHeight: inner.height)
    }
}
