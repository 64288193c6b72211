import Foundation
import TextPlot

/// The map the race is drawn on: which part of the plane, sampled how finely.
public enum RaceMap {
    public static let xRange = -1.5...4.5
    public static let yRange = -0.6...1.6
    /// Samples 0.1 apart, so whole and half numbers fall on grid lines.
    public static let columns = 61
    public static let rows = 23

    static var dx: Double { (xRange.upperBound - xRange.lowerBound) / Double(columns - 1) }
    static var dy: Double { (yRange.upperBound - yRange.lowerBound) / Double(rows - 1) }

    /// Grid coordinates of (x, y): row 0 is the top (largest y). Points off the map are pulled
    /// onto its edge, so a trail that flies off ends at the border instead of nowhere.
    static func gridPoint(x: Double, y: Double) -> PlotPoint {
        let column = (x - xRange.lowerBound) / dx, row = (yRange.upperBound - y) / dy
        func clamp(_ v: Double, _ count: Int) -> Double { v.isFinite ? Swift.min(Swift.max(v, -0.5), Double(count) - 0.5) : -0.5 }
        return PlotPoint(x: clamp(column, columns), y: clamp(row, rows))
    }

    /// log10(loss + 0.001) over the grid, row-major from the top: logs show the valley's floor
    /// and walls together (the loss spans four decades); the 0.001 keeps the lowest point finite.
    static func logLoss(_ surface: ValleySurface) -> [Double] {
        (0..<rows).flatMap { r in
            (0..<columns).map { c in
                let x = xRange.lowerBound + Double(c) * dx, y = yRange.upperBound - Double(r) * dy
                return Foundation.log10(surface.value(x: x, y: y) + 1e-3)
            }
        }
    }

    static func rowLabels() -> [String] {
        (0..<rows).map { r in
            let y = ((yRange.upperBound - Double(r) * dy) * 10).rounded() / 10
            return y == (y * 2).rounded() / 2 ? NumberFormat.compact(y) : ""
        }
    }

    static func columnLabels() -> [String] {
        (0..<columns).map { c in
            let x = ((xRange.lowerBound + Double(c) * dx) * 10).rounded() / 10
            // Whole numbers from 0 up: a label one cell wide would show "-1" as a bare "-".
            return x == x.rounded() && x >= 0 ? NumberFormat.compact(x) : ""
        }
    }
}

extension OptimizerRaceLab {
    func surfacePanel() -> Panel {
        // Trails first, in racer order (so each takes the series colour the loss chart gives
        // it); then the markers, which are drawn over every trail: the start, the lowest point,
        // and each racer's head as its letter, so no trail can hide where a racer is.
        let paths = OptimizerKind.allCases.map { kind in
            HeatmapPath(name: kind.rawValue,
                        points: trail(of: kind).map { RaceMap.gridPoint(x: Double($0.x), y: Double($0.y)) },
                        head: "•")
        }
        let start = RaceMap.gridPoint(x: ValleySurface.start.x, y: ValleySurface.start.y)
        let lowest = RaceMap.gridPoint(x: surface.lowestPoint.x, y: surface.lowestPoint.y)
        var markers = [HeatmapMarker(column: start.x, row: start.y, glyph: ">"),
                       HeatmapMarker(column: lowest.x, row: lowest.y, glyph: "*")]
        for kind in OptimizerKind.allCases {
            let head = position(of: kind)
            let point = RaceMap.gridPoint(x: Double(head.x), y: Double(head.y))
            markers.append(HeatmapMarker(column: point.x, row: point.y, glyph: kind.head))
        }
        // No colour bar: its numbers would be log10 losses, which only puzzle; the map's width
        // goes to the valley instead. The title is the map's legend, so it leads with the
        // letters and stays within a half-width panel (about 50 cells at 120 columns).
        let spec = HeatmapSpec(rows: RaceMap.rows, columns: RaceMap.columns, values: Self.logLossGrid,
                               rowLabels: RaceMap.rowLabels(), columnLabels: RaceMap.columnLabels(),
                               showColorBar: false, markers: markers, paths: paths)
        return Panel(title: "S sgd M momentum A adam W adamw, > start * lowest", content: .heatmap(spec))
    }

    func lossPanel() -> Panel {
        // Two significant digits keep the four jitter numbers inside a half-width title.
        let jitterText = noisy ? "; jitter " + OptimizerKind.allCases.map { "\($0.head) " + String(format: "%.2g", jitter(of: $0)) }
            .joined(separator: " ") : ""
        // A racer that flew off ends its loss with infinity; its curve stops there.
        return MetricChart.panel(title: (noisy ? "Loss (log)" : "Loss per step (log scale)") + jitterText, metrics: metrics,
                                 series: OptimizerKind.allCases.map(\.lossMetric), labels: OptimizerKind.allCases.map(\.rawValue),
                                 yScale: .logarithmic, finiteOnly: true)
    }

    /// The surface never changes, so its picture is computed once.
    static let logLossGrid = RaceMap.logLoss(ValleySurface())
}
