import Foundation
import TextPlot

/// Arranges a lab's panels in a grid that suits their number and the space.
///
/// Tries every column count and keeps the one whose cells come closest to a good plot shape
/// (about 2.5 columns per row, since a cell is roughly twice as tall as wide), and that wastes
/// the fewest slots. Rows left short stretch their panels across the width.
public enum PanelGrid {
    /// Preferred cell shape in columns per row.
    static let idealAspect = 2.5

    /// The smallest cell a panel is still readable in.
    public static let minimumCell = (width: 22, height: 6)

    /// How many panels fit in `area` at the minimum cell size (at least 1). A lab with more
    /// panels than this shows them a page at a time.
    public static func capacity(of area: Rect) -> Int {
        max(1, (area.width / minimumCell.width) * (area.height / minimumCell.height))
    }

    public static func cells(count: Int, in area: Rect) -> [Rect] {
        guard count > 0, !area.isEmpty else { return [] }
        var bestColumns = 1, bestScore = -Double.infinity
        for columns in 1...count {
            let rows = (count + columns - 1) / columns
            let width = Double(area.width) / Double(columns), height = Double(area.height) / Double(rows)
            guard width >= 1, height >= 1 else { continue }
            let shape = -abs(log((width / height) / idealAspect))
            let waste = Double(columns * rows - count) * 0.3
            let tooSmall = (width < 16 ? 2.0 : 0) + (height < 5 ? 2.0 : 0)
            let score = shape - waste - tooSmall
            if score > bestScore { bestScore = score; bestColumns = columns }
        }
        let rows = (count + bestColumns - 1) / bestColumns
        var result: [Rect] = []
        for row in 0..<rows {
            let top = area.y + area.height * row / rows, bottom = area.y + area.height * (row + 1) / rows
            let inRow = min(bestColumns, count - row * bestColumns)
            for column in 0..<inRow {
                let left = area.x + area.width * column / inRow, right = area.x + area.width * (column + 1) / inRow
                result.append(Rect(x: left, y: top, width: right - left, height: bottom - top))
            }
        }
        return result
    }
}
