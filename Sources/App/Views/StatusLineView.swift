import TextPlot

/// The last row: training or paused, step, steps per second, focus, and key hints.
enum StatusLineView {
    static func draw(into canvas: inout Canvas, in rect: Rect, lab: LabScreenState?, focus: CourseScreen.Focus,
                     capabilities: RenderCapabilities) {
        guard !rect.isEmpty else { return }
        let colors = capabilities.colors
        let bar = colors == .indexed256 ? CellStyle(foreground: .indexed(252), background: .indexed(236))
                                        : CellStyle(attributes: .reverse)
        canvas.fill(rect, with: Cell(" ", style: bar))
        var x = rect.x
        if let lab {
            let (word, color): (String, UInt8) = switch lab.phase {
            case .running: ("TRAINING", 34)
            case .paused: ("PAUSED", 214)
            case .diverged: ("DIVERGED", 196)
            case .finished: ("FINISHED", 75)
            }
            var badge = colors == .none ? CellStyle(attributes: [.bold]) : CellStyle(foreground: .indexed(16), background: .indexed(colors == .basic8 ? (color == 34 ? 2 : color == 196 ? 1 : color == 75 ? 4 : 3) : color))
            badge.attributes.insert(.bold)
            if colors == .none { badge.attributes.insert(.reverse) }
            x = canvas.write(" \(word) ", x: x, y: rect.y, style: badge, clip: rect)
            var detail = " step \(lab.step)  \(formatRate(lab.stepsPerSecond)) steps/s"
            if case .diverged(let why) = lab.phase { detail += "  \(why)" }
            if case .finished(let why) = lab.phase { detail += "  \(why)" }
            x = canvas.write(detail, x: x, y: rect.y, style: bar, clip: rect)
        } else {
            x = canvas.write(" no lab on this page", x: x, y: rect.y, style: bar, clip: rect)
        }
        let focusName = switch focus { case .sidebar: "sidebar"; case .lesson: "lesson"; case .lab: "lab" }
        x = canvas.write("  [\(focusName)]", x: x, y: rect.y, style: bar, clip: rect)
        let hints = lab == nil ? "n/p page  j/k scroll  Tab focus  : command  ? help  q quit "
                               : "space train/pause  s step  r reset  [ ] + - tune  n/p page  : cmd  ? help  q quit "
        let hintX = max(x + 2, rect.maxX - hints.count)
        canvas.write(hints, x: hintX, y: rect.y, maxWidth: rect.maxX - hintX, style: bar, glyphs: capabilities.glyphs, clip: rect)
    }

    static func formatRate(_ rate: Double) -> String {
        guard rate.isFinite, rate > 0 else { return "0" }
        if rate >= 10000 { return "\(Int((rate / 1000).rounded()))k" }
        if rate >= 100 { return "\(Int(rate.rounded()))" }
        return "\(Double(Int(rate * 10)) / 10)"
    }
}
