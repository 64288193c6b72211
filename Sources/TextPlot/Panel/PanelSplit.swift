/// Which way a split panel lays its parts out.
public enum SplitDirection: Sendable, Hashable {
    /// Side by side, left to right.
    case columns
    /// Stacked, top to bottom.
    case rows
    /// Columns when the space is clearly wider than tall on screen, rows otherwise: a beat with
    /// its class probabilities beside it in a wide panel, under it in a tall one.
    case automatic
}

/// One widget inside a split panel, with its share of the space.
public struct PanelPart: Sendable {
    public var content: PanelContent
    /// The part's share relative to the others' (2 against 1 gives two thirds); finite, > 0.
    public var weight: Double
    /// A one-line muted heading over the part, when there is room for it.
    public var caption: String?

    public init(_ content: PanelContent, weight: Double = 1, caption: String? = nil) {
        self.content = content
        self.weight = weight
        self.caption = caption
    }
}

/// How a split panel divides its rectangle: sizes proportional to the weights, a one-cell gap
/// between columns (rows follow each other directly: rows are scarcer than columns).
public enum PanelSplit {
    /// A cell is about twice as tall as it is wide, so `width >= columnAspect * height` means the
    /// space looks at least 1.25 times as wide as tall: wide enough to put parts side by side.
    public static let columnAspect = 2.5

    /// Resolves `.automatic` for a rectangle.
    public static func direction(_ direction: SplitDirection, for rect: Rect) -> SplitDirection {
        guard direction == .automatic else { return direction }
        return Double(rect.width) >= columnAspect * Double(rect.height) ? .columns : .rows
    }

    /// A description of what is wrong with the parts, or nil when they can be drawn.
    public static func problem(_ parts: [PanelPart]) -> String? {
        if let (index, part) = parts.enumerated().first(where: { !($0.element.weight > 0 && $0.element.weight.isFinite) }) {
            return "part \(index + 1) has weight \(part.weight); weights must be finite and > 0"
        }
        return nil
    }

    /// The rectangles of parts with `weights` inside `rect` (same order; a part that gets no
    /// room has an empty rectangle). Sizes are shared by largest remainder, so they add up
    /// exactly and equal weights differ by at most one cell.
    public static func layout(_ rect: Rect, weights: [Double], direction: SplitDirection) -> [Rect] {
        guard !weights.isEmpty else { return [] }
        let resolved = Self.direction(direction, for: rect)
        let gap = resolved == .columns ? 1 : 0
        let length = resolved == .columns ? rect.width : rect.height
        let available = max(0, length - gap * (weights.count - 1))
        let sizes = shares(of: available, weights: weights)
        var rects: [Rect] = []
        var position = resolved == .columns ? rect.x : rect.y
        for size in sizes {
            rects.append(resolved == .columns ? Rect(x: position, y: rect.y, width: size, height: rect.height)
                                              : Rect(x: rect.x, y: position, width: rect.width, height: size))
            position += size + gap
        }
        return rects
    }

    /// `total` cells shared in proportion to `weights` (largest remainder; ties go to the earlier part).
    static func shares(of total: Int, weights: [Double]) -> [Int] {
        let sum = weights.reduce(0, +)
        guard sum > 0, total > 0 else { return weights.map { _ in 0 } }
        let exact = weights.map { Double(total) * $0 / sum }
        var sizes = exact.map { Int($0.rounded(.down)) }
        let leftover = total - sizes.reduce(0, +)
        let order = exact.indices.sorted { (exact[$0] - Double(sizes[$0]), -$0) > (exact[$1] - Double(sizes[$1]), -$1) }
        for index in order.prefix(leftover) { sizes[index] += 1 }
        return sizes
    }

    /// Draws each part (caption, then content) into its share of `rect`.
    static func render(_ parts: [PanelPart], direction: SplitDirection, into canvas: inout Canvas, in rect: Rect,
                       capabilities: RenderCapabilities) {
        let rect = rect.intersection(canvas.bounds)
        guard !rect.isEmpty else { return }
        let glyphs = capabilities.glyphs
        if let problem = problem(parts) {
            canvas.writeCentered("split: " + problem, x: rect.x, y: rect.y + (rect.height - 1) / 2, width: rect.width,
                                 style: Theme.error(capabilities.colors), glyphs: glyphs, clip: rect)
            return
        }
        for (part, area) in zip(parts, layout(rect, weights: parts.map(\.weight), direction: direction)) where !area.isEmpty {
            var body = area
            if let caption = part.caption, !caption.isEmpty, area.height >= 3 {
                canvas.write(caption, x: area.x, y: area.y, maxWidth: area.width, style: Theme.muted(capabilities.colors),
                             glyphs: glyphs, clip: area)
                body = Rect(x: area.x, y: area.y + 1, width: area.width, height: area.height - 1)
            }
            part.content.render(into: &canvas, in: body, capabilities: capabilities)
        }
    }
}
