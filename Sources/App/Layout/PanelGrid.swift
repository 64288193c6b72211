import Foundation
import TextPlot

/// Arranges a lab's panels in a grid that suits their number and the space.
///
/// Fewer, wider panels beat many cramped ones: no panel is laid narrower or lower than
/// `minimumCell` when any arrangement avoids it (a lab with more panels than fit shows them a
/// page at a time, see `capacity(of:)`). Among the arrangements that keep that minimum, it takes
/// the one whose cells come closest to a good plot shape (about 2.5 columns per row, since a
/// cell is roughly twice as tall as wide) and that wastes the fewest slots. Rows left short
/// stretch their panels across the width. A panel with a natural height (a table's rows) gets
/// it when the others keep their minimum; the rest of the height is shared evenly.
public enum PanelGrid {
    /// Preferred cell shape in columns per row.
    static let idealAspect = 2.5

    /// The smallest panel still worth reading: narrower, and titles, legends and a confusion
    /// matrix's counts are cut; lower, and a chart has no room left for its curve.
    public static let minimumCell = (width: 34, height: 8)

    /// How many panels fit in `area` at the minimum cell size (at least 1). A lab with more
    /// panels than this shows them a page at a time.
    public static func capacity(of area: Rect) -> Int {
        max(1, (area.width / minimumCell.width) * (area.height / minimumCell.height))
    }

    /// The cell of each of `count` panels in `area`. `naturalHeights` (optional, one per panel)
    /// gives the rows a panel needs to show all it holds; nil means any height suits it.
    public static func cells(count: Int, in area: Rect, naturalHeights: [Int?] = []) -> [Rect] {
        guard count > 0, !area.isEmpty else { return [] }
        var bestColumns = 1, bestScore = -Double.infinity
        for columns in 1...count {
            let rows = (count + columns - 1) / columns
            let width = Double(area.width) / Double(columns), height = Double(area.height) / Double(rows)
            guard width >= 1, height >= 1 else { continue }
            let shape = -abs(log((width / height) / idealAspect))
            let waste = Double(columns * rows - count) * 0.3
            // Below the minimum outweighs any shape: it only wins when nothing else fits.
            let tooSmall = (width < Double(minimumCell.width) ? 10.0 : 0) + (height < Double(minimumCell.height) ? 10.0 : 0)
            let score = shape - waste - tooSmall
            if score > bestScore { bestScore = score; bestColumns = columns }
        }
        let rows = (count + bestColumns - 1) / bestColumns
        let wants: [Int?] = (0..<rows).map { row in
            let members = (row * bestColumns)..<min(count, (row + 1) * bestColumns)
            return members.compactMap { $0 < naturalHeights.count ? naturalHeights[$0] : nil }.max()
        }
        let heights = rowHeights(wants, total: area.height)
        var result: [Rect] = []
        var top = area.y
        for row in 0..<rows {
            let inRow = min(bestColumns, count - row * bestColumns)
            for column in 0..<inRow {
                let left = area.x + area.width * column / inRow, right = area.x + area.width * (column + 1) / inRow
                result.append(Rect(x: left, y: top, width: right - left, height: heights[row]))
            }
            top += heights[row]
        }
        return result
    }

    /// Shares `total` rows among grid rows. A row that wants a height (nil: no wish) gets it
    /// when the other rows can keep the minimum height; flexible rows share what is left
    /// evenly. Without flexible rows the spare rows go to all rows evenly. The heights add up
    /// to `total`.
    static func rowHeights(_ wants: [Int?], total: Int) -> [Int] {
        let count = wants.count
        guard count > 0 else { return [] }
        func even(_ amount: Int, among rows: [Int]) -> [Int: Int] {
            var share: [Int: Int] = [:]
            for (i, row) in rows.enumerated() { share[row] = amount * (i + 1) / rows.count - amount * i / rows.count }
            return share
        }
        let flexible = wants.indices.filter { wants[$0] == nil }
        let fixed = wants.indices.filter { wants[$0] != nil }
        let wanted = fixed.map { max(1, wants[$0] ?? 1) }.reduce(0, +)
        let budget = total - flexible.count * minimumCell.height
        // Too little room for the wishes: plain even rows, as if nobody asked.
        guard !fixed.isEmpty, budget >= fixed.count * minimumCell.height || budget >= wanted else {
            let share = even(total, among: Array(0..<count))
            return (0..<count).map { share[$0] ?? 0 }
        }
        var heights = [Int](repeating: 0, count: count)
        if wanted <= budget {
            for row in fixed { heights[row] = max(1, wants[row] ?? 1) }
        } else {
            // Smallest wishes first, each given in full while it is no more than an even share of
            // what is left: a short table beside a tall heatmap shows all its rows, and only the
            // large wishes are cut (evenly among themselves).
            var left = budget
            let byWish = fixed.sorted { (wants[$0] ?? 1, $0) < (wants[$1] ?? 1, $1) }
            for (i, row) in byWish.enumerated() {
                let fair = left / (byWish.count - i)
                heights[row] = min(max(1, wants[row] ?? 1), fair)
                left -= heights[row]
            }
        }
        let spare = total - heights.reduce(0, +)
        let share = even(spare, among: flexible.isEmpty ? Array(0..<count) : flexible)
        for (row, extra) in share { heights[row] += extra }
        return heights
    }
}
