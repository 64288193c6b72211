/// One labelled point of a scatter plot; `label` is the class index (colour and marker).
public struct ScatterPoint: Sendable, Hashable {
    public var x: Double
    public var y: Double
    public var label: Int
    public init(x: Double, y: Double, label: Int = 0) {
        self.x = x
        self.y = y
        self.label = label
    }
}

/// Which class a classifier predicts over the plane, shaded behind the points.
public enum DecisionRegions: Sendable {
    /// `grid[row][column]` is the class over an even grid spanning the plot's x and y range;
    /// row 0 is the bottom (lowest y), column 0 the left (lowest x). Give the plot an explicit
    /// `xRange`/`yRange` so the grid and the axes agree.
    case grid([[Int]])
    /// The class at a point (x, y), evaluated once per cell centre.
    case function(@Sendable (Double, Double) -> Int)
}

/// A line or curve drawn over a scatter plot (a fitted line, a decision boundary).
public struct OverlayLine: Sendable {
    public enum Shape: Sendable {
        case points([PlotPoint])
        /// y = slope * x + intercept across the whole x range.
        case straight(slope: Double, intercept: Double)
    }
    public var name: String
    public var shape: Shape
    public var color: TerminalColor?

    /// A polyline through `points` (in data coordinates, in drawing order).
    public init(name: String, points: [PlotPoint], color: TerminalColor? = nil) {
        self.name = name
        shape = .points(points)
        self.color = color
    }

    /// The straight line y = slope * x + intercept.
    public init(name: String, slope: Double, intercept: Double, color: TerminalColor? = nil) {
        self.name = name
        shape = .straight(slope: slope, intercept: intercept)
        self.color = color
    }
}

/// A scatter plot: classes in colours (braille dots), or, without colour, in marker shapes
/// (`o x + *`); optional decision regions behind the points (shaded backgrounds with 256
/// colours, boundary dots otherwise) and overlaid lines such as a fitted regression line.
public struct ScatterSpec: Widget {
    public var points: [ScatterPoint]
    /// Names of the classes for the legend; empty hides class entries.
    public var classNames: [String]
    public var regions: DecisionRegions?
    public var lines: [OverlayLine]
    public var xRange: ClosedRange<Double>?
    public var yRange: ClosedRange<Double>?
    public var showLegend: Bool

    public init(points: [ScatterPoint], classNames: [String] = [], regions: DecisionRegions? = nil,
                lines: [OverlayLine] = [], xRange: ClosedRange<Double>? = nil, yRange: ClosedRange<Double>? = nil,
                showLegend: Bool = true) {
        self.points = points
        self.classNames = classNames
        self.regions = regions
        self.lines = lines
        self.xRange = xRange
        self.yRange = yRange
        self.showLegend = showLegend
    }

    /// A description of what is wrong with the spec, or nil when it can be drawn.
    public var problem: String? {
        if points.contains(where: { $0.label < 0 }) { return "class labels must be >= 0" }
        if case .grid(let grid)? = regions {
            if grid.isEmpty || grid[0].isEmpty { return "empty decision grid" }
            if grid.contains(where: { $0.count != grid[0].count }) { return "decision grid rows differ in length" }
        }
        if lines.count > 50 { return "at most 50 overlay lines" }
        return nil
    }

    public func render(into canvas: inout Canvas, in rect: Rect, capabilities: RenderCapabilities) {
        let rect = rect.intersection(canvas.bounds)
        guard !rect.isEmpty, !renderProblem(problem, of: "scatter", into: &canvas, in: rect, capabilities: capabilities) else { return }
        let glyphs = capabilities.glyphs
        var xLow = Double.infinity, xHigh = -Double.infinity, yLow = Double.infinity, yHigh = -Double.infinity
        for point in points where point.x.isFinite && point.y.isFinite {
            xLow = min(xLow, point.x); xHigh = max(xHigh, point.x)
            yLow = min(yLow, point.y); yHigh = max(yHigh, point.y)
        }
        for line in lines {
            if case .points(let polyline) = line.shape {
                for p in polyline where p.x.isFinite && p.y.isFinite {
                    xLow = min(xLow, p.x); xHigh = max(xHigh, p.x); yLow = min(yLow, p.y); yHigh = max(yHigh, p.y)
                }
            }
        }
        if xLow > xHigh { xLow = 0; xHigh = 1 }
        if yLow > yHigh { yLow = 0; yHigh = 1 }
        if let xRange { xLow = xRange.lowerBound; xHigh = xRange.upperBound }
        if let yRange { yLow = yRange.lowerBound; yHigh = yRange.upperBound }

        let colors = capabilities.colors
        let mono = colors == .none
        var legend: [LegendEntry] = []
        for (index, name) in classNames.enumerated() {
            let swatch = glyphs.classMarkers[index % glyphs.classMarkers.count]
            legend.append(LegendEntry(swatch: swatch, label: name, style: Theme.seriesStyle(index, colors: colors)))
        }
        let lineStyles = lines.indices.map { lineStyle($0, colors: colors) }
        // In ASCII or without colour each overlay line has its own mark, one no class uses.
        let classCount = max(classNames.count, (points.map(\.label).max() ?? -1) + 1)
        let usedByClasses = Set(glyphs.classMarkers.prefix(classCount))
        let lineMarks = glyphs.seriesMarks.filter { !usedByClasses.contains($0) }
        func lineMark(_ index: Int) -> Character? {
            capabilities.marksSeries && !lineMarks.isEmpty ? lineMarks[index % lineMarks.count] : nil
        }
        for (index, line) in lines.enumerated() {
            legend.append(LegendEntry(swatch: lineMark(index) ?? glyphs.legendLine, label: line.name, style: lineStyles[index]))
        }
        guard var frame = PlotFrame(rect: rect, xLow: xLow, xHigh: xHigh, widenX: xRange == nil, yLow: yLow, yHigh: yHigh,
                                    yScale: .linear, widenY: yRange == nil, hasLegend: showLegend && !legend.isEmpty,
                                    unicode: capabilities.unicode) else {
            renderMessage("(too small)", into: &canvas, in: rect, style: Theme.muted(colors), glyphs: glyphs)
            return
        }
        frame.drawDecorations(into: &canvas, rect: rect, legend: showLegend ? legend : [], capabilities: capabilities)
        if let regions { drawRegions(regions, into: &canvas, frame: frame, capabilities: capabilities) }

        // Layers: one per class (colour mode), then one per overlay line.
        var styles: [CellStyle] = []
        // A single braille dot is hard to see: when points are few for the area, and always
        // without colour, each point gets a whole cell with its class marker instead.
        let markers = mono || points.count * 8 <= frame.plot.width * frame.plot.height
        if !markers {
            for index in 0..<min(classCount, 200) { styles.append(Theme.seriesStyle(index, colors: colors)) }
            for point in points {
                guard point.label < 200, let (px, py) = frame.pixel(x: point.x, y: point.y) else { continue }
                frame.raster.set(px, py, layer: UInt8(point.label))
            }
        }
        let lineBase = styles.count
        styles.append(contentsOf: lineStyles)
        for (index, line) in lines.enumerated() {
            let layer = UInt8(lineBase + index)
            switch line.shape {
            case .straight(let slope, let intercept):
                // Sample along x so the clipped line ends where it leaves the plot.
                let samples = frame.raster.pixelWidth
                var previous: (Int, Int)? = nil
                for i in 0..<samples {
                    let x = frame.xAxis.lower + (frame.xAxis.upper - frame.xAxis.lower) * Double(i) / Double(max(1, samples - 1))
                    guard let p = frame.pixel(x: x, y: slope * x + intercept) else { previous = nil; continue }
                    if let previous { frame.raster.line(previous.0, previous.1, p.0, p.1, layer: layer) }
                    previous = p
                }
            case .points(let polyline):
                var previous: (Int, Int)? = nil
                for point in polyline {
                    guard let p = frame.pixel(x: point.x, y: point.y) else { previous = nil; continue }
                    if let previous { frame.raster.line(previous.0, previous.1, p.0, p.1, layer: layer) }
                    else { frame.raster.set(p.0, p.1, layer: layer) }
                    previous = p
                }
            }
        }
        // Marks also keep lines apart from the dots that outline regions without colour.
        let marks: [Character?] = Array(repeating: nil, count: lineBase) + lines.indices.map(lineMark)
        frame.raster.draw(into: &canvas, x: frame.plot.x, y: frame.plot.y, styles: styles, keepBackground: true, marks: marks)
        if markers {
            // Each class gets its own marker shape (and colour when there is colour), over the lines.
            let across = frame.raster.dotsAcross, down = frame.raster.dotsDown
            for point in points {
                guard let (px, py) = frame.pixel(x: point.x, y: point.y), px >= 0, py >= 0,
                      px < frame.raster.pixelWidth, py < frame.raster.pixelHeight else { continue }
                canvas.put(glyphs.classMarkers[point.label % glyphs.classMarkers.count], x: frame.plot.x + px / across,
                           y: frame.plot.y + py / down, style: markerStyle(point.label, colors: colors,
                                                                           under: canvas[frame.plot.x + px / across, frame.plot.y + py / down]),
                           clip: frame.plot)
            }
        }
    }

    private func markerStyle(_ label: Int, colors: ColorSupport, under: Cell) -> CellStyle {
        var style = Theme.seriesStyle(label, colors: colors)
        style.background = under.style.background  // keep the region shading
        if colors != .none { style.attributes.insert(.bold) }
        return style
    }

    private func lineStyle(_ index: Int, colors: ColorSupport) -> CellStyle {
        let line = lines[index]
        switch colors {
        case .none: return CellStyle(attributes: .bold)
        case .basic8: return CellStyle(foreground: line.color ?? .indexed(7), attributes: .bold)
        case .indexed256:
            // Lines take colours after the class colours' usual range, so they stand apart from points.
            let palette: [UInt8] = [231, 220, 201, 51]
            return CellStyle(foreground: line.color ?? .indexed(palette[index % palette.count]), attributes: .bold)
        }
    }

    private func drawRegions(_ regions: DecisionRegions, into canvas: inout Canvas, frame: PlotFrame,
                             capabilities: RenderCapabilities) {
        let plot = frame.plot
        // The class at each cell centre.
        var classes = [Int](repeating: 0, count: plot.width * plot.height)
        for row in 0..<plot.height {
            let v = 1 - (Double(row) + 0.5) / Double(plot.height)
            for column in 0..<plot.width {
                let u = (Double(column) + 0.5) / Double(plot.width)
                let label: Int
                switch regions {
                case .grid(let grid):
                    let gridRow = min(grid.count - 1, Int(v * Double(grid.count)))
                    let gridColumn = min(grid[0].count - 1, Int(u * Double(grid[0].count)))
                    label = grid[gridRow][gridColumn]
                case .function(let classify):
                    let x = frame.xAxis.lower + u * (frame.xAxis.upper - frame.xAxis.lower)
                    let y = frame.yAxis.lower + v * (frame.yAxis.upper - frame.yAxis.lower)
                    label = classify(x, y)
                }
                classes[row * plot.width + column] = max(0, label)
            }
        }
        if capabilities.colors == .indexed256 {
            for row in 0..<plot.height {
                for column in 0..<plot.width {
                    canvas.setStyle(CellStyle(background: Theme.regionBackground(classes[row * plot.width + column])),
                                    x: plot.x + column, y: plot.y + row)
                }
            }
            return
        }
        // Too few colours for quiet backgrounds: dot the boundary between regions instead.
        let dot: Character = capabilities.unicode ? "·" : "."
        let style = Theme.muted(capabilities.colors)
        for row in 0..<plot.height {
            for column in 0..<plot.width {
                let here = classes[row * plot.width + column]
                let right = column + 1 < plot.width ? classes[row * plot.width + column + 1] : here
                let below = row + 1 < plot.height ? classes[(row + 1) * plot.width + column] : here
                if here != right || here != below {
                    canvas.put(dot, x: plot.x + column, y: plot.y + row, style: style, clip: plot)
                }
            }
        }
    }
}
