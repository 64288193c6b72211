import TextPlot

// TEMPORARY stand-ins until TextPlot's Panel and Markdown widget land; removed then.

public struct Panel: Sendable {
    public var title: String
    public var widget: any Widget
    public init(title: String, widget: any Widget) { self.title = title; self.widget = widget }
    public func render(into canvas: inout Canvas, in rect: Rect, capabilities: RenderCapabilities) {
        canvas.drawBox(rect, style: Theme.border(capabilities.colors), glyphs: capabilities.glyphs)
        canvas.write(" \(title) ", x: rect.x + 2, y: rect.y, maxWidth: rect.width - 4, style: Theme.title(capabilities.colors), glyphs: capabilities.glyphs)
        widget.render(into: &canvas, in: rect.inset(by: 1), capabilities: capabilities)
    }
}

struct PendingMarkdown {
    var markdown: String
    func lines(width: Int) -> [String] {
        var out: [String] = []
        for raw in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            out.append(contentsOf: TooSmallView.wrap(String(raw), width: max(1, width)))
            if raw.isEmpty { out.append("") }
        }
        return out
    }
    func height(width: Int) -> Int { lines(width: width).count }
    func render(into canvas: inout Canvas, in rect: Rect, capabilities: RenderCapabilities) {
        for (i, line) in lines(width: rect.width).prefix(rect.height).enumerated() {
            canvas.write(line, x: rect.x, y: rect.y + i, clip: rect)
        }
    }
}
