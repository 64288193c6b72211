import Course
import Labs
import Testing
import TextPlot
@testable import App

/// Every page of every lesson, as a learner on a plain terminal sees it.
@Suite("Lesson pages")
struct LessonPagesTests {
    /// Every lesson by id: one test case each, so the lessons' pages (each lab page builds its
    /// lab) are rendered side by side rather than in one long serial test.
    static let lessonIDs: [String] = {
        (try? LessonLoader.load(from: SessionScreenSourceTests.lessonsFolder, checking: .against(CourseCatalogue.labs)))?
            .map(\.id) ?? []
    }()

    @Test("every lesson of the course is checked")
    func lessonsAreFound() {
        #expect(Self.lessonIDs.count >= 11)
    }

    @Test("every page renders in pure ASCII with TERM=vt100 LANG=C, at 80x24 and 120x40", arguments: lessonIDs)
    func asciiPages(_ lessonID: String) throws {
        let (session, _, screen) = try SessionScreenSourceTests.course()
        let lessonIndex = try #require(session.lessons.firstIndex { $0.id == lessonID })
        let lesson = session.lessons[lessonIndex]
        for page in lesson.pages.indices {
            session.goto(lessonAt: lessonIndex, page: page)
            for (width, height) in [(80, 24), (120, 40)] {
                let text = screen.frame(width, height, .asciiMono).text
                let foreign = text.unicodeScalars.filter { $0.value > 126 && $0 != "\n" }
                #expect(foreign.isEmpty, "\(lesson.id) page \(page + 1) at \(width)x\(height): \(String(String.UnicodeScalarView(foreign.prefix(10))))")
            }
        }
    }

    @Test("the text names panels by their on-screen titles, not by their ids")
    func panelsByTitle() throws {
        let (session, _, _) = try SessionScreenSourceTests.course()
        for (lessonIndex, lesson) in session.lessons.enumerated() where lesson.status == .ready {
            for page in lesson.pages.indices {
                guard let (_, block) = session.governingBlock(lesson: lesson, page: page), !block.isNone,
                      let entry = session.catalogue.entry(block.lab) else { continue }
                session.goto(lessonAt: lessonIndex, page: page)
                guard let lab = session.lab else { continue }
                let text = lesson.pages[page].markdown.lowercased()
                for id in entry.panelIDs {
                    let title = lab.panel(id)?.title.lowercased() ?? ""
                    for phrase in ["`\(id)` panel", "the \(id) panel", "in `\(id)`"] where text.contains(phrase) {
                        #expect(title.hasPrefix(id), "\(lesson.id) page \(page + 1) says '\(phrase)'; the screen calls that panel '\(title)'")
                    }
                }
            }
        }
    }

    @Test("multiplication is written ×, never the letter x (which is a variable)")
    func timesSign() throws {
        let (session, _, _) = try SessionScreenSourceTests.course()
        let pattern = try Regex(#"[0-9)] x [0-9(]"#)
        for lesson in session.lessons {
            for (page, content) in lesson.pages.enumerated() {
                let text = content.markdown + content.quizzes.map { "\($0.ask) \($0.explain ?? "") \($0.hint ?? "")" }.joined()
                #expect(text.firstMatch(of: pattern) == nil, "\(lesson.id) page \(page + 1): \(text.firstMatch(of: pattern).map { String(text[$0.range]) } ?? "")")
            }
        }
    }
}
