/// A run of text in one style.
public struct StyledRun: Sendable, Hashable {
    public var text: String
    public var style: CellStyle
    public init(_ text: String, style: CellStyle = .plain) {
        self.text = text
        self.style = style
    }
}

/// One laid-out line: runs whose total width never exceeds the width it was laid out for.
public struct StyledLine: Sendable, Hashable {
    public var runs: [StyledRun]
    public init(_ runs: [StyledRun] = []) { self.runs = runs }

    /// The width in columns (every character is one column).
    public var width: Int { runs.reduce(0) { $0 + $1.text.count } }
    /// The characters without styles.
    public var plainText: String { runs.map(\.text).joined() }
}

/// Laid-out text ready to scroll: the app keeps it, and draws any window of it.
public struct StyledText: Sendable, Hashable {
    public var lines: [StyledLine]
    public init(lines: [StyledLine]) { self.lines = lines }

    /// The number of lines, for scroll bars and page-down.
    public var lineCount: Int { lines.count }

    /// Draws lines `firstLine...` into `rect`, one per row, clipped to the rect.
    public func render(into canvas: inout Canvas, in rect: Rect, from firstLine: Int = 0) {
        let rect = rect.intersection(canvas.bounds)
        guard !rect.isEmpty else { return }
        let start = max(0, firstLine)
        for row in 0..<rect.height {
            let index = start + row
            guard index < lines.count else { break }
            var x = rect.x
            for run in lines[index].runs {
                x = canvas.write(run.text, x: x, y: rect.y + row, style: run.style, clip: rect)
                if x >= rect.maxX { break }
            }
        }
    }
}
