import Course
import Labs
import Testing
import TextPlot
@testable import App

/// Issue 9: every number a page asks the learner to read is on screen. Each metric a lesson
/// names on a lab page is in the readout above the panels, with its value, at 120x40 and 80x24.
@Suite("Readout")
struct ReadoutTests {
    /// The ready lessons by id: one test case each, so the cases (each trains every lab page of
    /// its lesson two steps) run side by side instead of as one long serial test.
    static let readyLessonIDs: [String] = {
        guard let lessons = try? LessonLoader.load(from: SessionScreenSourceTests.lessonsFolder,
                                                   checking: .against(CourseCatalogue.labs)) else { return [] }
        return lessons.filter { $0.status == .ready }.map(\.id)
    }()

    @Test("the course has ready lessons to check")
    func readyLessonsAreFound() {
        #expect(Self.readyLessonIDs.count >= 10)
    }

    @Test("each metric a page names is on screen on that page", arguments: readyLessonIDs)
    func namedMetricsAreOnScreen(_ lessonID: String) throws {
        let (session, source, screen) = try SessionScreenSourceTests.course()
        let lessonIndex = try #require(session.lessons.firstIndex { $0.id == lessonID })
        let lesson = session.lessons[lessonIndex]
        for pageIndex in lesson.pages.indices {
            guard session.governingBlock(lesson: lesson, page: pageIndex) != nil else { continue }
            session.goto(lessonAt: lessonIndex, page: pageIndex)
            guard let lab = session.lab else { continue }
            if session.stepCount == 0 { try session.step(2) }
            let names = Set(lab.metrics.series.map(\.name).filter { !$0.hasSuffix("_step") } + lab.metrics.scalars.map(\.name))
            let named = names.intersection(SessionScreenSource.mentionedNames(in: lesson.pages[pageIndex].markdown))
            guard !named.isEmpty else { continue }
            for (width, height) in [(120, 40), (80, 24)] {
                let canvas = screen.frame(width, height)
                for name in named.sorted() {
                    #expect(canvas.contains(name + " "), "\(lesson.id) page \(pageIndex + 1) names \(name), not on screen at \(width)x\(height):\n\(canvas.text)")
                }
            }
        }
        _ = source
    }

    @Test("the readout puts what the page names first and counts what does not fit")
    func orderAndOverflow() {
        let metrics = Metrics(series: [.init(name: "loss", values: [2, 1.5]), .init(name: "test_step", values: [1])],
                              scalars: [.init(name: "ols_weight", value: 0.4859), .init(name: "ols_bias", value: -9.1865)])
        let readings = SessionScreenSource.readout(metrics, completion: nil, mentionedIn: "compare with `ols_bias`")
        #expect(readings.map(\.name) == ["ols_bias", "loss", "ols_weight"])   // test_step only dates another series
        #expect(readings.map(\.value) == ["-9.187", "1.5", "0.4859"])
        let packed = ReadoutView.rows(readings, width: 30, maxRows: 1)
        #expect(packed.rows.count == 1 && packed.rows[0].map(\.name) == ["ols_bias", "loss"] && packed.leftOut == 1)
        var canvas = Canvas(width: 30, height: 1)
        ReadoutView.draw(into: &canvas, in: Rect(x: 0, y: 0, width: 30, height: 1), readings: readings, capabilities: .asciiMono)
        #expect(canvas.text.contains("ols_bias -9.187") && canvas.text.contains("+2 more"))
    }

    @Test("a number the page asks for keeps its place before it is measured")
    func unmeasuredNamedSeries() {
        let metrics = Metrics(series: [.init(name: "loss", values: [2]), .init(name: "probe_accuracy", values: []),
                                       .init(name: "kmeans_purity", values: [])])
        let readings = SessionScreenSource.readout(metrics, completion: nil, mentionedIn: "read `probe_accuracy` once it lands")
        #expect(readings.map(\.name) == ["probe_accuracy", "loss"])   // kmeans_purity is not asked for: no empty slot
        #expect(readings.map(\.value) == ["-", "2"])
        #expect(readings.map(\.named) == [true, false])
    }

    @Test("a lab's target shows as its goal")
    func goal() {
        let metrics = Metrics(series: [.init(name: "test_accuracy", values: [0.962])])
        let condition = CompletionCondition(metric: "test_accuracy", .atLeast, 0.95, description: "")
        #expect(SessionScreenSource.readout(metrics, completion: condition).first?.goal == ">= 0.95")
        #expect(ReadoutView.text(SessionScreenSource.readout(metrics, completion: condition)[0]) == "test_accuracy 0.962 (goal >= 0.95)")
    }
}
