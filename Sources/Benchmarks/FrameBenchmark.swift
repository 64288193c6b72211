import Foundation
import Terminal
import TextPlot

/// The median time, in milliseconds, to build and present one full screen with four busy
/// panels: a line chart of 5,000 points, a 64x64 heatmap, a scatter of 1,000 points and a bar
/// chart, laid out 2x2 under a header and above a status line.
///
/// "Present" here is everything the terminal backend does before it calls ncurses: the new
/// frame is drawn into a Canvas and diffed against the previous one (`FrameDiff`). The data
/// move a little every frame, as in training, so the diff has real work. The frame loop runs at
/// 30 fps (33 ms a frame); drawing should take a small part of that (target: under 4 ms).
public func measureFrameMilliseconds(width: Int = 200, height: Int = 60, frames: Int = 60,
                                     capabilities: RenderCapabilities = .full) -> Double {
    var previous: Canvas?
    var times: [Double] = []
    var changedCells = 0
    for frame in 0..<(frames + 3) {
        let start = DispatchTime.now().uptimeNanoseconds
        var canvas = Canvas(width: width, height: height)
        canvas.write(" mlcourse  frame benchmark  step \(frame)", x: 0, y: 0, style: CellStyle(attributes: .bold))
        let grid = Rect(x: 0, y: 1, width: width, height: height - 2)
        let panels = benchmarkPanels(frame: frame)
        let halfWidth = grid.width / 2, halfHeight = grid.height / 2
        for (index, panel) in panels.enumerated() {
            let cell = Rect(x: grid.x + (index % 2) * halfWidth, y: grid.y + (index / 2) * halfHeight,
                            width: index % 2 == 0 ? halfWidth : grid.width - halfWidth,
                            height: index / 2 == 0 ? halfHeight : grid.height - halfHeight)
            panel.render(into: &canvas, in: cell, capabilities: capabilities)
        }
        canvas.write(" TRAINING  step \(frame)  q quit", x: 0, y: height - 1, style: CellStyle(attributes: .reverse))
        let runs = FrameDiff.runs(from: previous, to: canvas)
        changedCells = FrameDiff.cellCount(runs)
        previous = canvas
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        if frame >= 3 { times.append(elapsed) }   // the first frames warm caches and allocators
    }
    _ = changedCells
    times.sort()
    return times[times.count / 2]
}

/// The four panels of frame `frame`: data shifted by the frame number so every frame differs.
func benchmarkPanels(frame: Int) -> [Panel] {
    let t = Double(frame)
    let loss = (0..<5000).map { step -> Double in
        let x = Double(step + frame * 10)
        return 2.3 * exp(-x / 1500) + 0.05 + 0.05 * sin(x * 0.37) * sin(x * 0.011)
    }
    var field = [Double](repeating: 0, count: 64 * 64)
    for row in 0..<64 {
        for column in 0..<64 {
            field[row * 64 + column] = sin(Double(column) * 0.2 + t * 0.1) * cos(Double(row) * 0.15 - t * 0.05)
        }
    }
    let points = (0..<1000).map { index -> ScatterPoint in
        let angle = Double(index) * 0.0314 + t * 0.01
        let radius = 0.5 + 0.5 * Double(index % 2) + 0.1 * sin(Double(index) * 12.9898)
        return ScatterPoint(x: radius * cos(angle), y: radius * sin(angle), label: index % 2)
    }
    let bars = (0..<10).map { Bar(label: "class \($0)", value: 0.5 + 0.5 * sin(t * 0.1 + Double($0))) }
    return [
        Panel(title: "loss", content: .lineChart(LineChartSpec(series: [LineSeries(name: "loss", values: loss)],
                                                               yScale: .logarithmic, smoothing: 0.9))),
        Panel(title: "weights", content: .heatmap(HeatmapSpec(rows: 64, columns: 64, values: field, palette: .diverging))),
        Panel(title: "data", content: .scatter(ScatterSpec(points: points, classNames: ["inner", "outer"]))),
        Panel(title: "class probabilities", content: .bars(BarChartSpec(bars: bars, maxValue: 1))),
    ]
}
