import Course
import Labs
import Testing
import TextPlot
@testable import App

/// Every page of every lesson, as a learner on a plain terminal sees it.
@Suite("Lesson pages")
struct LessonPagesTests {
    @Test("every page renders in pure ASCII with TERM=vt100 LANG=C, at 80x24 and 120x40")
    func asciiPages() throws {
        let (session, _, screen) = try SessionScreenSourceTests.course()
        for (lessonIndex, lesson) in session.lessons.enumerated() {
            for page in lesson.pages.indices {
                session.goto(lessonAt: lessonIndex, page: page)
                for (width, height) in [(80, 24), (120, 40)] {
                    let text = screen.frame(width, height, .asciiMono).text
                    let foreign = text.unicodeScalars.filter { $0.value > 126 && $0 != "\n" }
                    #expect(foreign.isEmpty, "\(lesson.id) page \(page + 1) at \(width)x\(height): \(String(String.UnicodeScalarView(foreign.prefix(10))))")
                }
            }
        }
    }
}
