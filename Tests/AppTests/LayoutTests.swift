import Testing
import TextPlot
@testable import App

@Suite("Layout")
struct LayoutTests {
    @Test("120x40: sidebar, lesson and lab side by side")
    func wide() {
        let screen = CourseScreen(source: DemoCourse())
        let canvas = screen.frame(120, 40)
        guard let sidebar = canvas.find("Lessons"), let lesson = canvas.find("What you are looking at ─"),
              let loss = canvas.find("Loss") else { Issue.record("missing a region:\n\(canvas.text)"); return }
        #expect(sidebar.y == 1 && lesson.y == 1 && loss.y == 1)          // all three start on the first body row
        #expect(sidebar.x < lesson.x && lesson.x < loss.x)                // left to right
        // Seven panels do not fit at a readable size beside the lesson: a page at a time.
        #expect(canvas.contains("panels 1-3 of 7"))
        #expect(canvas.contains("Widgets tour"))
        #expect(canvas.contains("DEMO of the screen, not a lesson"))
        #expect(canvas.contains("Hyperparameters"))
        #expect(canvas.lines[39].contains("PAUSED"))
    }

    @Test("70x24: lesson stacked above the lab, no sidebar unless focused")
    func narrow() {
        let screen = CourseScreen(source: DemoCourse())
        let canvas = screen.frame(70, 24)
        #expect(!canvas.contains("Lessons"))
        guard let lesson = canvas.find("What you are looking at"), let loss = canvas.find("Loss") else {
            Issue.record("missing a region:\n\(canvas.text)"); return
        }
        #expect(lesson.y == 1)
        #expect(loss.y > lesson.y + 3)                                     // below the lesson, not beside it
        #expect(canvas.contains("Hyperparameters"))
        // Not all seven panels fit: they come a page at a time.
        #expect(canvas.contains("panels 1-"))
        screen.press(.character(">"))
        let next = screen.frame(70, 24)
        #expect(!next.contains("Loss") && next.contains("of 7"))
        // Tab moves focus to the sidebar, which then appears over the lesson.
        screen.press(.backtab)
        #expect(screen.focus == .sidebar)
        #expect(screen.frame(70, 24).contains("Lessons"))
    }

    @Test("40x12: only the enlarge message")
    func tooSmall() {
        let screen = CourseScreen(source: DemoCourse())
        let canvas = screen.frame(40, 12)
        #expect(canvas.contains("enlarge"))
        #expect(canvas.contains("60 x 20"))
        #expect(!canvas.contains("Lessons") && !canvas.contains("Loss") && !canvas.contains("PAUSED"))
        #expect(screen.frame(60, 20).contains("PAUSED"))                  // the minimum itself is usable
        #expect(screen.frame(59, 20).contains("enlarge"))
    }

    @Test("ASCII mode draws no box-drawing, braille or block characters")
    func asciiFallback() {
        let screen = CourseScreen(source: DemoCourse())
        screen.source.setTraining(true)
        for _ in 0..<50 { screen.source.stepOnce() }
        let canvas = screen.frame(120, 40, .asciiMono)
        let nonASCII = canvas.text.unicodeScalars.filter { $0.value > 126 }
        #expect(nonASCII.isEmpty, "non-ASCII in ASCII mode: \(String(String.UnicodeScalarView(nonASCII.prefix(20))))")
    }

    @Test("layout regions stay inside the screen and do not overlap", arguments: [(60, 20), (70, 24), (109, 30), (110, 30), (120, 40), (200, 60)])
    func regionsDisjoint(size: (Int, Int)) {
        for hasLab in [true, false] { for labFocused in [false, true] {
            let layout = ScreenLayout.compute(width: size.0, height: size.1, hasLab: hasLab, parameterCount: 4, labFocused: labFocused)
            var regions = [layout.header, layout.lesson, layout.panels, layout.parameters, layout.message, layout.status]
            if layout.mode == .wide { regions.append(layout.sidebar) }
            regions = regions.filter { !$0.isEmpty }
            for region in regions {
                #expect(region.x >= 0 && region.y >= 0 && region.maxX <= size.0 && region.maxY <= size.1)
            }
            for (i, a) in regions.enumerated() {
                for b in regions[(i + 1)...] { #expect(a.intersection(b).isEmpty, "\(a) overlaps \(b) at \(size)") }
            }
            #expect(layout.mode == (size.0 >= ScreenLayout.wideWidth ? .wide : .narrow))
        } }
    }

    @Test("stacked, a focused lab takes the lesson's rows for its panels; side by side nothing moves",
          arguments: [(80, 24), (70, 30), (100, 40)])
    func focusedLabGrows(size: (Int, Int)) {
        let reading = ScreenLayout.compute(width: size.0, height: size.1, hasLab: true, parameterCount: 4)
        let focused = ScreenLayout.compute(width: size.0, height: size.1, hasLab: true, parameterCount: 4, labFocused: true)
        #expect(focused.lesson.height == ScreenLayout.focusedLessonHeight)
        #expect(focused.panels.height >= reading.panels.height + reading.lesson.height - focused.lesson.height - 1)
        #expect(focused.parameters.height >= 3)
        let wide = ScreenLayout.compute(width: 120, height: 40, hasLab: true, parameterCount: 4, labFocused: true)
        #expect(wide == ScreenLayout.compute(width: 120, height: 40, hasLab: true, parameterCount: 4))
    }

    @Test("panel grid: one cell per panel, inside the area, no overlaps, whole width used", arguments: 1...8)
    func panelGrid(count: Int) {
        let area = Rect(x: 10, y: 3, width: 90, height: 30)
        let cells = PanelGrid.cells(count: count, in: area)
        #expect(cells.count == count)
        var covered = 0
        for (i, cell) in cells.enumerated() {
            #expect(cell.intersection(area) == cell)
            for other in cells[(i + 1)...] { #expect(cell.intersection(other).isEmpty) }
            covered += cell.width * cell.height
        }
        #expect(covered == area.width * area.height)                      // short rows stretch, nothing left blank
    }

    @Test("a wide, short area puts panels side by side; a tall, narrow one stacks them")
    func panelGridAdapts() {
        let wide = PanelGrid.cells(count: 2, in: Rect(x: 0, y: 0, width: 120, height: 15))
        #expect(wide[0].y == wide[1].y)
        let tall = PanelGrid.cells(count: 2, in: Rect(x: 0, y: 0, width: 40, height: 40))
        #expect(tall[0].x == tall[1].x)
    }

    @Test("no panel is laid narrower or lower than the minimum when the area holds that many",
          arguments: [(57, 29), (70, 9), (70, 8), (94, 37), (200, 50)])
    func panelGridKeepsTheMinimum(size: (Int, Int)) {
        let area = Rect(x: 0, y: 0, width: size.0, height: size.1)
        for count in 1...PanelGrid.capacity(of: area) {
            for cell in PanelGrid.cells(count: count, in: area) {
                #expect(cell.width >= PanelGrid.minimumCell.width && cell.height >= PanelGrid.minimumCell.height,
                        "\(count) panels in \(size): \(cell)")
            }
        }
    }

    @Test("the 120x40 lab area takes three panels as one column of wide ones, not 28-cell pairs")
    func threePanelsAtOneTwentyByForty() {
        let cells = PanelGrid.cells(count: 3, in: Rect(x: 63, y: 1, width: 57, height: 29))
        #expect(cells.allSatisfy { $0.width == 57 })
        #expect(PanelGrid.capacity(of: Rect(x: 0, y: 0, width: 70, height: 9)) == 2)   // 70x24: two side by side
    }

    @Test("a panel with a natural height gets it; the others share the rest")
    func naturalHeights() {
        let area = Rect(x: 0, y: 0, width: 57, height: 29)
        // A table of 13 rows: header, rule, rows and the border need 17 rows, more than half.
        let cells = PanelGrid.cells(count: 2, in: area, naturalHeights: [17, nil])
        #expect(cells.map(\.height) == [17, 12])
        #expect(cells[1].y == 17)
        // A wish that would squeeze the other panel below the minimum is cut to leave it that.
        #expect(PanelGrid.cells(count: 2, in: area, naturalHeights: [40, nil]).map(\.height) == [21, 8])
        // A short table gives its spare rows to the other panel.
        #expect(PanelGrid.cells(count: 2, in: area, naturalHeights: [9, nil]).map(\.height) == [9, 20])
        // Only wishes: the spare rows are shared, and the heights still add up.
        #expect(PanelGrid.cells(count: 2, in: area, naturalHeights: [9, 10]).map(\.height).reduce(0, +) == 29)
        // Wishes that do not all fit: the small one is met in full, the large one takes the cut
        // (q-table's 8-row dose table above its 21-row heatmap and a chart, at 120x40).
        #expect(PanelGrid.cells(count: 3, in: Rect(x: 0, y: 0, width: 57, height: 28),
                                naturalHeights: [8, 21, nil]).map(\.height) == [8, 12, 8])
    }

    @Test("gradcheck's table is shown whole beside the lesson at 120x40")
    func tablePanelGetsItsRows() {
        let rows = (1...13).map { ["p\($0)", "0.1", "0.1", "1e-4", "ok"] }
        let table = Panel(title: "Gradients", content: .table(TableSpec(headers: ["parameter", "a", "b", "c", ""], rows: rows)))
        let text = Panel(title: "Chain", content: .text("some text"))
        var canvas = Canvas(width: 57, height: 29)
        LabView.draw(into: &canvas, in: canvas.bounds, title: "lab", panels: [table, text], page: 0, focused: false,
                     capabilities: .full)
        #expect(canvas.contains("p13"))
        #expect(!canvas.contains("more row"))
        #expect(canvas.contains("Chain"))
    }
}
