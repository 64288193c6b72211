/// A point drawn on top of a heatmap, in grid coordinates: `column` and `row` may be
/// fractional (0 is the centre of the first cell), so an optimizer position between grid
/// samples lands in the right place.
public struct HeatmapMarker: Sendable, Hashable {
    public var column: Double
    public var row: Double
    public var glyph: Character
    public var color: TerminalColor?
    public init(column: Double, row: Double, glyph: Character = "●", color: TerminalColor? = nil) {
        self.column = column
        self.row = row
        self.glyph = glyph
        self.color = color
    }
}

/// A path over a heatmap (an optimizer's trajectory on a loss surface): joined by dots, with
/// its last point drawn as `head`. Points are (column, row) in grid coordinates.
public struct HeatmapPath: Sendable, Hashable {
    public var name: String
    public var points: [PlotPoint]
    public var head: Character
    public var color: TerminalColor?
    public init(name: String, points: [PlotPoint], head: Character = "●", color: TerminalColor? = nil) {
        self.name = name
        self.points = points
        self.head = head
        self.color = color
    }
}

/// A heatmap of a matrix: half blocks (two pixels a cell, top in the foreground colour, bottom
/// in the background colour) with a sequential or diverging palette, a colour bar, row and
/// column labels, numbers in the cells when they fit (confusion matrices), and markers and
/// paths drawn on top (optimizer races on a loss surface). Row 0 is drawn at the top.
public struct HeatmapSpec: Widget {
    public var rows: Int
    public var columns: Int
    /// Row-major values, `rows * columns` of them.
    public var values: [Double]
    public var palette: ColorPalette
    /// A fixed value range; nil uses the data's min...max.
    public var range: ClosedRange<Double>?
    public var rowLabels: [String]
    public var columnLabels: [String]
    /// Print each value in its cell when the cell is wide enough.
    public var showValues: Bool
    public var showColorBar: Bool
    public var markers: [HeatmapMarker]
    public var paths: [HeatmapPath]
    /// Keep each matrix cell square on screen (a surface, an attention map). Off for a wide,
    /// labelled strip of a few rows (rounds × leads), where square cells would leave each
    /// column too narrow for its label.
    public var squareCells = true

    public init(rows: Int, columns: Int, values: [Double], palette: ColorPalette = .sequential,
                range: ClosedRange<Double>? = nil, rowLabels: [String] = [], columnLabels: [String] = [],
                showValues: Bool = false, showColorBar: Bool = true, markers: [HeatmapMarker] = [],
                paths: [HeatmapPath] = []) {
        self.rows = rows
        self.columns = columns
        self.values = values
        self.palette = palette
        self.range = range
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.showValues = showValues
        self.showColorBar = showColorBar
        self.markers = markers
        self.paths = paths
    }

    /// A heatmap of a nested array (each inner array one row).
    public init(matrix: [[Double]], palette: ColorPalette = .sequential) {
        self.init(rows: matrix.count, columns: matrix.first?.count ?? 0, values: matrix.flatMap { $0 }, palette: palette)
    }

    /// A description of what is wrong with the spec, or nil when it can be drawn.
    public var problem: String? {
        if rows <= 0 || columns <= 0 { return "empty matrix (\(rows)x\(columns))" }
        if values.count != rows * columns { return "\(values.count) values for a \(rows)x\(columns) matrix" }
        if !rowLabels.isEmpty && rowLabels.count != rows { return "\(rowLabels.count) row labels for \(rows) rows" }
        if !columnLabels.isEmpty && columnLabels.count != columns {
            return "\(columnLabels.count) column labels for \(columns) columns"
        }
        return nil
    }

    public func render(into canvas: inout Canvas, in rect: Rect, capabilities: RenderCapabilities) {
        let rect = rect.intersection(canvas.bounds)
        guard !rect.isEmpty, !renderProblem(problem, of: "heatmap", into: &canvas, in: rect, capabilities: capabilities) else { return }
        let glyphs = capabilities.glyphs
        var low = Double.infinity, high = -Double.infinity
        for value in values where value.isFinite { low = min(low, value); high = max(high, value) }
        if low > high { low = 0; high = 1 }
        let scale = ColorScale(palette: palette, range: range ?? low...high)

        // Layout: row labels | grid | colour bar; column labels under the grid.
        let rowLabelWidth = rowLabels.isEmpty ? 0 : min(rowLabels.map(\.count).max() ?? 0, rect.width / 4) + 1
        let barLabels = [scale.upper, (scale.lower + scale.upper) / 2, scale.lower].map { NumberFormat.compact($0) }
        let barWidth = showColorBar ? 3 + (barLabels.map(\.count).max() ?? 0) : 0
        let columnLabelRows = columnLabels.isEmpty ? 0 : 1
        var grid = Rect(x: rect.x + rowLabelWidth, y: rect.y, width: rect.width - rowLabelWidth - barWidth,
                        height: rect.height - columnLabelRows)
        guard grid.width >= 2, grid.height >= 1 else {
            renderMessage("(too small)", into: &canvas, in: rect, style: Theme.muted(capabilities.colors), glyphs: glyphs)
            return
        }

        // Numbers in cells when each matrix cell gets a block wide enough for its number.
        let texts = showValues ? values.map { NumberFormat.compact($0) } : []
        let textWidth = texts.map(\.count).max() ?? 0
        let cellWidth = grid.width / columns, cellHeight = grid.height / rows
        let geometry: Geometry
        if showValues && cellWidth >= textWidth + 1 && cellHeight >= 1 {
            geometry = Geometry(cellWidth: cellWidth, cellHeight: cellHeight, halfBlocks: false)
            grid.width = cellWidth * columns
            grid.height = cellHeight * rows
            drawBlocks(into: &canvas, grid: grid, geometry: geometry, scale: scale, texts: texts, capabilities: capabilities)
        } else {
            let halfBlocks = capabilities.unicode && capabilities.hasColor
            let pixelRows = halfBlocks ? 2 : 1
            // Scale up by whole cells when the matrix is small so every entry is the same size.
            var across = max(1, grid.width / columns), down = max(1, grid.height * pixelRows / rows)
            // A half block is about square, so equal scales keep matrix cells square.
            if halfBlocks && squareCells { across = min(across, down); down = across }
            let imageWidth = columns <= grid.width ? columns * across : grid.width
            let imagePixels = rows <= grid.height * pixelRows ? rows * down : grid.height * pixelRows
            grid.width = imageWidth
            grid.height = (imagePixels + pixelRows - 1) / pixelRows
            geometry = Geometry(cellWidth: Double(imageWidth) / Double(columns),
                                cellHeight: Double(imagePixels) / Double(pixelRows) / Double(rows), halfBlocks: halfBlocks)
            drawPixels(into: &canvas, grid: grid, pixelRows: imagePixels, halfBlocks: halfBlocks, scale: scale,
                       capabilities: capabilities)
        }
        drawLabels(into: &canvas, rect: rect, grid: grid, geometry: geometry, capabilities: capabilities)
        if showColorBar {
            drawColorBar(into: &canvas, x: grid.maxX + 1, top: grid.y, height: max(grid.height, min(rect.height, 3)), rect: rect,
                         scale: scale, labels: barLabels, capabilities: capabilities)
        }
        drawOverlays(into: &canvas, grid: grid, geometry: geometry, capabilities: capabilities)
    }

    /// Screen cells per matrix cell.
    struct Geometry {
        var cellWidth: Double, cellHeight: Double, halfBlocks: Bool
        /// Whether each matrix cell is a block with its number in it.
        var numbered = false
        init(cellWidth: Int, cellHeight: Int, halfBlocks: Bool) {
            self.cellWidth = Double(cellWidth); self.cellHeight = Double(cellHeight); self.halfBlocks = halfBlocks
            numbered = true
        }
        init(cellWidth: Double, cellHeight: Double, halfBlocks: Bool) {
            self.cellWidth = cellWidth; self.cellHeight = cellHeight; self.halfBlocks = halfBlocks
        }
    }

    /// The mono glyph for a value: density for sequential; for diverging, positive values use
    /// `+ * #`-like marks and negative ones `- = %`-like marks so the sign survives.
    private func monoGlyph(_ value: Double, scale: ColorScale, glyphs: Glyphs) -> Character {
        if scale.palette == .sequential {
            return glyphs.densityRamp[scale.level(for: value, levels: glyphs.densityRamp.count)]
        }
        let level = scale.level(for: value, levels: 4)
        if level == 0 || !value.isFinite { return " " }
        return value > 0 ? HeatmapSpec.positiveMarks[level] : HeatmapSpec.negativeMarks[level]
    }
    static let positiveMarks: [Character] = [" ", "+", "*", "#"]
    static let negativeMarks: [Character] = [" ", "-", "=", "%"]

    private func drawPixels(into canvas: inout Canvas, grid: Rect, pixelRows: Int, halfBlocks: Bool, scale: ColorScale,
                            capabilities: RenderCapabilities) {
        let glyphs = capabilities.glyphs
        let colors = capabilities.colors
        var columnIndex = [Int](repeating: 0, count: grid.width)
        for px in 0..<grid.width { columnIndex[px] = min(columns - 1, px * columns / grid.width) }
        func value(_ pixelRow: Int, _ px: Int) -> Double {
            values[min(rows - 1, pixelRow * rows / pixelRows) * columns + columnIndex[px]]
        }
        for cy in 0..<grid.height {
            let y = grid.y + cy
            guard y >= 0, y < canvas.height else { continue }
            for px in 0..<grid.width {
                let x = grid.x + px
                guard x >= 0, x < canvas.width else { continue }
                let cell: Cell
                if halfBlocks {
                    let top = scale.color(for: value(2 * cy, px), colors: colors).color
                    let bottomRow = 2 * cy + 1
                    let bottom = bottomRow < pixelRows ? scale.color(for: value(bottomRow, px), colors: colors).color : .default
                    cell = Cell("▀", style: CellStyle(foreground: top, background: bottom))
                } else if colors != .none {
                    cell = Cell(" ", style: CellStyle(background: scale.color(for: value(cy, px), colors: colors).color))
                } else {
                    cell = Cell(monoGlyph(value(cy, px), scale: scale, glyphs: glyphs))
                }
                canvas.cells[y * canvas.width + x] = cell
            }
        }
    }

    private func drawBlocks(into canvas: inout Canvas, grid: Rect, geometry: Geometry, scale: ColorScale, texts: [String],
                            capabilities: RenderCapabilities) {
        let glyphs = capabilities.glyphs
        let cw = Int(geometry.cellWidth), ch = Int(geometry.cellHeight)
        for row in 0..<rows {
            for column in 0..<columns {
                let value = values[row * columns + column]
                let block = Rect(x: grid.x + column * cw, y: grid.y + row * ch, width: cw, height: ch)
                var style = CellStyle()
                if capabilities.hasColor {
                    let color = scale.color(for: value, colors: capabilities.colors)
                    style.background = color.color
                    // Bright white exists only among 256 colours; 7 is white in the basic eight.
                    style.foreground = .indexed(color.isLight ? 0 : (capabilities.colors == .indexed256 ? 15 : 7))
                } else {
                    // Without colour, emphasis grows with the value's strength.
                    let level = scale.level(for: value, levels: 3)
                    style.attributes = level == 2 ? .reverse : (level == 1 ? .bold : [])
                }
                canvas.fill(block.intersection(canvas.bounds), with: Cell(" ", style: style))
                let text = texts[row * columns + column]
                // Right-aligned numbers read as a column.
                canvas.write(text, x: block.maxX - 1 - text.count, y: block.y + (ch - 1) / 2, maxWidth: cw - 1,
                             style: style, glyphs: glyphs, clip: block)
            }
        }
    }

    /// Row labels left of the grid, column labels under it. Empty labels take no room. When
    /// labels would collide, the first and the last of each axis are placed before the others,
    /// so an axis always shows where it starts and where it ends.
    private func drawLabels(into canvas: inout Canvas, rect: Rect, grid: Rect, geometry: Geometry,
                            capabilities: RenderCapabilities) {
        let glyphs = capabilities.glyphs
        let style = Theme.axis(capabilities.colors)
        if !rowLabels.isEmpty {
            let width = grid.x - rect.x - 1
            var used = Set<Int>()
            for row in Self.placementOrder(rowLabels) {
                // The label sits on the row where a number in that block would be (on the cell
                // row holding the matrix row, when several matrix rows share a cell row).
                let centre = geometry.cellHeight >= 1 ? (geometry.cellHeight - 1) / 2 : 0
                let y = grid.y + Int((Double(row) * geometry.cellHeight + centre).rounded(.down))
                guard y >= grid.y, y < grid.maxY, !used.contains(y) else { continue }
                used.insert(y)
                let label = rowLabels[row]
                let shown = label.count > width ? String(label.prefix(width)) : label
                canvas.write(shown, x: grid.x - 1 - shown.count, y: y, style: style, clip: rect)
            }
        }
        if !columnLabels.isEmpty, grid.maxY < rect.maxY {
            var taken: [ClosedRange<Int>] = []
            let width = max(1, Int(geometry.cellWidth))
            for column in Self.placementOrder(columnLabels) {
                let label = columnLabels[column]
                let shown = label.count > width && width < 3 ? String(label.prefix(width)) : label
                var start: Int
                if geometry.numbered {
                    // Right-aligned like the numbers in the blocks above.
                    start = grid.x + Int(Double(column + 1) * geometry.cellWidth) - 1 - shown.count
                } else {
                    start = grid.x + Int((Double(column) + 0.5) * geometry.cellWidth) - shown.count / 2
                }
                start = max(rect.x, min(start, rect.maxX - shown.count))
                // One free cell on each side keeps neighbours apart.
                let span = (start - 1)...(start + shown.count)
                guard !taken.contains(where: { $0.overlaps(span) }) else { continue }
                taken.append(start...(start + shown.count - 1))
                canvas.write(shown, x: start, y: grid.maxY, maxWidth: rect.maxX - start, style: style, glyphs: glyphs, clip: rect)
            }
        }
    }

    /// Indices of the non-empty labels: the first, the last, then the rest in order.
    static func placementOrder(_ labels: [String]) -> [Int] {
        let present = labels.indices.filter { !labels[$0].isEmpty }
        guard let first = present.first, let last = present.last, first != last else { return present }
        return [first, last] + present.dropFirst().dropLast()
    }

    /// A vertical gradient beside the grid, as tall as the grid (at least 3 rows when there is
    /// room), labelled with the top, middle and bottom values.
    private func drawColorBar(into canvas: inout Canvas, x: Int, top: Int, height: Int, rect: Rect, scale: ColorScale,
                              labels: [String], capabilities: RenderCapabilities) {
        guard height >= 1 else { return }
        let glyphs = capabilities.glyphs
        for row in 0..<height {
            let t = height == 1 ? 1 : 1 - Double(row) / Double(height - 1)
            let value = scale.lower + t * (scale.upper - scale.lower)
            let y = top + row
            if capabilities.hasColor {
                let color = scale.color(for: value, colors: capabilities.colors).color
                canvas.put(" ", x: x, y: y, style: CellStyle(background: color), clip: rect)
            } else {
                canvas.put(monoGlyph(value, scale: scale, glyphs: glyphs), x: x, y: y, style: .plain, clip: rect)
            }
        }
        let style = Theme.axis(capabilities.colors)
        canvas.write(labels[0], x: x + 2, y: top, style: style, clip: rect)
        if height >= 5 { canvas.write(labels[1], x: x + 2, y: top + (height - 1) / 2, style: style, clip: rect) }
        if height >= 2 { canvas.write(labels[2], x: x + 2, y: top + height - 1, style: style, clip: rect) }
    }

    private func drawOverlays(into canvas: inout Canvas, grid: Rect, geometry: Geometry, capabilities: RenderCapabilities) {
        let glyphs = capabilities.glyphs
        func cell(_ column: Double, _ row: Double) -> (Int, Int) {
            (grid.x + Int(((column + 0.5) * geometry.cellWidth).rounded(.down)),
             grid.y + Int(((row + 0.5) * geometry.cellHeight).rounded(.down)))
        }
        func mark(_ glyph: Character, at point: (Int, Int), color: TerminalColor, index: Int) {
            let (x, y) = point
            guard x >= grid.x, x < grid.maxX, y >= grid.y, y < grid.maxY else { return }
            var style: CellStyle
            if capabilities.hasColor {
                // Keep the surface colour under the marker so the path reads as sitting on it.
                let under = canvas[x, y].style
                style = CellStyle(foreground: color, background: geometry.halfBlocks ? under.foreground : under.background,
                                  attributes: .bold)
            } else {
                style = CellStyle(attributes: [.bold, .reverse])
            }
            canvas.put(glyph, x: x, y: y, style: style, clip: grid)
        }
        // ASCII terminals cannot show a glyph like "●": fall back to a class marker.
        let useUnicodeGlyph = { (glyph: Character, index: Int) -> Character in
            capabilities.unicode || glyph.isASCII ? glyph : glyphs.classMarkers[index % glyphs.classMarkers.count]
        }
        for (index, path) in paths.enumerated() {
            let color = path.color ?? Theme.seriesColor(index, colors: capabilities.colors)
            var previous: (Int, Int)? = nil
            for point in path.points {
                let current = cell(point.x, point.y)
                if let previous {
                    // Dots along the segment between consecutive positions.
                    let steps = max(abs(current.0 - previous.0), abs(current.1 - previous.1))
                    for step in 0..<steps where steps > 0 {
                        let t = Double(step) / Double(steps)
                        let p = (previous.0 + Int((Double(current.0 - previous.0) * t).rounded()),
                                 previous.1 + Int((Double(current.1 - previous.1) * t).rounded()))
                        // In ASCII each trail has its own mark, the one its curve has in a line
                        // chart. Not without colour: the marks would be lost among the density
                        // characters that draw the surface there.
                        let dot = capabilities.marksSeries && capabilities.hasColor
                            ? glyphs.seriesMarks[index % glyphs.seriesMarks.count] : glyphs.pathDot
                        mark(dot, at: p, color: color, index: index)
                    }
                }
                previous = current
            }
            if let previous { mark(useUnicodeGlyph(path.head, index), at: previous, color: color, index: index) }
        }
        for (index, marker) in markers.enumerated() {
            let color = marker.color ?? Theme.highlight(capabilities.colors).foreground
            mark(useUnicodeGlyph(marker.glyph, index), at: cell(marker.column, marker.row), color: color, index: index)
        }
    }
}
