import TextPlot

/// Rows above the panels: the lab's measurements right now, by the names lessons use
/// ("test_accuracy 0.962 (goal >= 0.95)"), so a page can ask the learner to read a number.
/// Readings come in the source's order (the ones the page talks about first); those that do not
/// fit are counted ("+2 more").
enum ReadoutView {
    static let separator = "  "

    /// The readings packed into at most `maxRows` rows of `width` cells.
    static func rows(_ readings: [MetricReading], width: Int, maxRows: Int) -> (rows: [[MetricReading]], leftOut: Int) {
        var rows: [[MetricReading]] = [], current: [MetricReading] = [], used = 0
        for (index, reading) in readings.enumerated() {
            let cost = text(reading).count + (current.isEmpty ? 0 : separator.count)
            if used + cost <= width {
                current.append(reading); used += cost; continue
            }
            if !current.isEmpty { rows.append(current) }
            if rows.count == maxRows { return (rows, readings.count - index) }
            current = [reading]; used = text(reading).count
        }
        if !current.isEmpty { rows.append(current) }
        guard rows.count > maxRows else { return (rows, 0) }
        let leftOut = rows[maxRows...].reduce(0) { $0 + $1.count }
        return (Array(rows.prefix(maxRows)), leftOut)
    }

    /// How many rows `readings` take at `width`, at most `maxRows` (0 when there are none).
    static func height(of readings: [MetricReading], width: Int, maxRows: Int) -> Int {
        readings.isEmpty ? 0 : max(1, rows(readings, width: width - 2, maxRows: maxRows).rows.count)
    }

    static func draw(into canvas: inout Canvas, in rect: Rect, readings: [MetricReading], capabilities: RenderCapabilities) {
        guard !rect.isEmpty, !readings.isEmpty else { return }
        let colors = capabilities.colors
        var valueStyle = CellStyle(attributes: [.bold])
        if colors != .none { valueStyle.foreground = .indexed(colors == .basic8 ? 6 : 117) }
        let more = " +99 more".count
        var (rows, leftOut) = rows(readings, width: rect.width - 2, maxRows: rect.height)
        if leftOut > 0, var last = rows.popLast() {
            // Room on the last row for the count of what is left out.
            var used = last.map { text($0).count }.reduce(0, +) + separator.count * max(0, last.count - 1)
            while !last.isEmpty && used + more > rect.width - 2 {
                used -= text(last.removeLast()).count + separator.count
                leftOut += 1
            }
            rows.append(last)
        }
        for (offset, row) in rows.enumerated() {
            let y = rect.y + offset
            var x = rect.x + 1
            for (index, reading) in row.enumerated() {
                if index > 0 { x = canvas.write(separator, x: x, y: y, clip: rect) }
                x = canvas.write(reading.name + " ", x: x, y: y, style: Theme.muted(colors), clip: rect)
                x = canvas.write(reading.value, x: x, y: y, style: valueStyle, clip: rect)
                if let goal = reading.goal { x = canvas.write(" (goal \(goal))", x: x, y: y, style: Theme.muted(colors), clip: rect) }
            }
            if offset == rows.count - 1 && leftOut > 0 {
                canvas.write("\(row.isEmpty ? "" : " ")+\(leftOut) more", x: x, y: y, style: Theme.muted(colors), clip: rect)
            }
        }
    }

    static func text(_ reading: MetricReading) -> String {
        "\(reading.name) \(reading.value)" + (reading.goal.map { " (goal \($0))" } ?? "")
    }
}
