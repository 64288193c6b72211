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
        #expect(!canvas.text.contains("panels 1-"))                       // every panel fits
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
        for hasLab in [true, false] {
            let layout = ScreenLayout.compute(width: size.0, height: size.1, hasLab: hasLab, parameterCount: 4)
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
        }
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
}
