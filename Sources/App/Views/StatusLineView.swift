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
            if !lab.changedSettings.isEmpty { detail += "  changed here: " + lab.changedSettings.joined(separator: ", ") }
            if case .diverged(let why) = lab.phase { detail += "  \(why)" }
            if case .finished(let why) = lab.phase { detail += "  \(why)" }
            let room = rect.maxX - x - hints(lab: true, width: 0).count - 2
            x = canvas.write(detail, x: x, y: rect.y, maxWidth: max(0, room), style: bar, glyphs: capabilities.glyphs, clip: rect)
        } else {
            x = canvas.write(" no lab on this page", x: x, y: rect.y, style: bar, clip: rect)
        }
        let focusName = switch focus { case .sidebar: "sidebar"; case .lesson: "lesson"; case .lab: "lab" }
        if rect.maxX - x > 40 { x = canvas.write("  [\(focusName)]", x: x, y: rect.y, style: bar, clip: rect) }
        let text = hints(lab: lab != nil, width: rect.maxX - x - 2)
        canvas.write(text, x: max(x + 2, rect.maxX - text.count), y: rect.y, style: bar, clip: rect)
    }

    /// The key hints that fit in `width` cells, most needed first kept: "? help" and "q quit"
    /// always stay (a learner must always see how to get help and how to leave).
    static func hints(lab: Bool, width: Int) -> String {
        let always = ["? help", "q quit"]
        let optional = lab ? ["space train/pause", "n/p page", "r reset", "s step", "[ ] + - tune", ": cmd"]
                           : ["n/p page", "j/k scroll", "Tab focus", ": command"]
        var kept = optional
        func line(_ items: [String]) -> String { (items + always).joined(separator: "  ") + " " }
        while !kept.isEmpty && line(kept).count > width { kept.removeLast() }
        return line(kept)
    }

    static func formatRate(_ rate: Double) -> String {
        guard rate.isFinite, rate > 0 else { return "0" }
        if rate >= 10000 { return "\(Int((rate / 1000).rounded()))k" }
        if rate >= 100 { return "\(Int(rate.rounded()))" }
        return "\(Double(Int(rate * 10)) / 10)"
    }
}
