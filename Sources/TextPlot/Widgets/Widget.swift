/// Something that draws itself into a rectangle of a canvas. Widgets are plain values (data
/// plus options), so a lab can describe a plot without knowing about terminals; rendering
/// never writes outside `rect`.
public protocol Widget: Sendable {
    func render(into canvas: inout Canvas, in rect: Rect, capabilities: RenderCapabilities)
}

extension Widget {
    /// Draws a short message in place of the widget (bad input, too small, no data).
    func renderMessage(_ message: String, into canvas: inout Canvas, in rect: Rect,
                       style: CellStyle, glyphs: Glyphs) {
        guard !rect.isEmpty else { return }
        canvas.writeCentered(message, x: rect.x, y: rect.y + (rect.height - 1) / 2, width: rect.width,
                             style: style, glyphs: glyphs, clip: rect)
    }

    /// When the spec cannot be drawn, says why ("heatmap: 3 row labels for 4 rows") in the error
    /// style in place of the widget and returns true; otherwise draws nothing and returns false.
    func renderProblem(_ problem: String?, of kind: String, into canvas: inout Canvas, in rect: Rect,
                       capabilities: RenderCapabilities) -> Bool {
        guard let problem else { return false }
        renderMessage(kind + ": " + problem, into: &canvas, in: rect, style: Theme.error(capabilities.colors),
                      glyphs: capabilities.glyphs)
        return true
    }
}

/// A point in data coordinates.
public struct PlotPoint: Sendable, Hashable {
    public var x: Double
    public var y: Double
    public init(x: Double, y: Double) { self.x = x; self.y = y }
}

/// Linear or logarithmic (base 10) axis.
public enum AxisScale: Sendable, Hashable {
    case linear
    /// Log10 axis; values <= 0 cannot be shown and are skipped. The natural choice for losses.
    case logarithmic
}
