import Course
import Foundation
import Labs
import Terminal
import Testing
import TextPlot
@testable import App

/// The real lessons (Lessons/) with the real labs (`CourseCatalogue`), driven through the screen.
@Suite("Course on the screen")
struct SessionScreenSourceTests {
    static let lessonsFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Lessons")

    /// A fresh course (progress kept in `home` when given), its adapter and a screen.
    /// The course's lessons and labs; the map lab keeps no results (not the learner's folder).
    static func course(home: URL? = nil, catalogue: LabCatalogue = CourseCatalogue.labs(mapCache: nil)) throws
        -> (session: Session, source: SessionScreenSource, screen: CourseScreen) {
        let lessons = try LessonLoader.load(from: lessonsFolder, checking: .against(catalogue))
        var progress = CourseProgress()
        var store: ProgressStore?
        if let home {
            store = ProgressStore(url: home.appendingPathComponent("progress.json"))
            progress = store!.load().progress
        }
        let session = Session(lessons: lessons, catalogue: catalogue, progress: progress, seed: 7)
        session.progressStore = store
        let source = SessionScreenSource(session: session, stepsPerSecond: nil)
        return (session, source, CourseScreen(source: source))
    }

    static func temporaryHome() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mlcourse-app-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// 1-based page of the neuron lesson titled `title`.
    static func neuronPage(_ session: Session, _ title: String) -> Int {
        let lesson = session.lessons.first { $0.id == "neuron" }!
        return lesson.pages.firstIndex { $0.title == title }! + 1
    }

    /// Lets the lab train for a few frames' worth of real time.
    static func trainFrames(_ source: SessionScreenSource, _ frames: Int = 3) {
        for _ in 0..<frames { source.train(until: .now + .milliseconds(5)) }
    }

    @Test("n and p turn pages and mark them seen; the sidebar marks the open chapter")
    func pages() throws {
        let (session, source, screen) = try Self.course()
        #expect(session.lesson?.id == "prologue" && session.pageIndex == 0)
        screen.press(.character("n"))
        #expect(session.pageIndex == 1 && session.progress.hasSeen(lesson: "prologue", page: 1))
        #expect(!session.progress.hasSeen(lesson: "prologue", page: 2))
        screen.press(.character("n"), .character("p"))
        #expect(session.pageIndex == 1 && session.progress.hasSeen(lesson: "prologue", page: 2))
        #expect(source.page.index == 1 && source.page.lessonTitle == session.lesson!.title)
        #expect(source.outline.first?.lessons.first?.isCurrent == true)
    }

    @Test("a chapter whose labs are not written says so in the sidebar and the header")
    func outlineChapters() throws {
        // Every real chapter is ready now, so the course here is the prologue and chapter 1
        // beside an outline chapter written for the test.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mlcourse-outline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in ["00-prologue.md", "01-neuron.md"] {
            try FileManager.default.copyItem(at: Self.lessonsFolder.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        try """
        ---
        id: later
        title: A chapter still being written
        chapter: 2
        labs: []
        status: outline
        ---

        # A chapter still being written

        Its labs are coming.
        """.write(to: folder.appendingPathComponent("02-later.md"), atomically: true, encoding: .utf8)
        let lessons = try LessonLoader.load(from: folder, checking: .against(CourseCatalogue.labs))
        let session = Session(lessons: lessons, catalogue: CourseCatalogue.labs, seed: 7)
        let source = SessionScreenSource(session: session, stepsPerSecond: nil)
        let screen = CourseScreen(source: source)
        let coming = try #require(source.outline.first { $0.title == "Labs coming" })
        #expect(coming.lessons.map(\.id) == ["later"])
        #expect(source.outline.first?.lessons.map(\.id) == ["prologue", "neuron"])
        #expect(source.openLesson(id: "later"))
        #expect(source.notice == "labs coming")
        #expect(screen.frame(120, 40).lines[0].hasSuffix(" labs coming "))
        #expect(source.lab == nil)
    }

    @Test("a quiz reads as question and how to answer; :answer checks it and it stays answered")
    func quiz() throws {
        let (session, source, screen) = try Self.course()
        screen.run(command: "goto neuron/\(Self.neuronPage(session, "Scoring a line: mean squared error"))")
        #expect(source.page.markdown.contains("**Quiz:** The model predicts 75"))
        #expect(source.page.markdown.contains("Answer with `:answer TEXT`"))
        screen.run(command: "answer 50")
        #expect(screen.message?.isError == true && screen.message?.text.contains("hint") == true)
        screen.run(command: "answer 25")
        #expect(screen.message?.isError == false && screen.message?.text.hasPrefix("right") == true)
        #expect(source.page.markdown.contains("Answered right: 25"))
        #expect(screen.frame(120, 40).contains("Answered right: 25"))
    }

    @Test(":help lists every command in a box over the screen; a key closes it")
    func help() throws {
        let (_, _, screen) = try Self.course()
        screen.press(.character(":")); screen.type("help"); screen.press(.enter)
        let frame = screen.frame(120, 40)
        for spec in CommandSpec.all { #expect(frame.contains(spec.usage), "help box misses \(spec.name)") }
        #expect(frame.contains(LongMessageView.title))
        screen.press(.escape)
        #expect(!screen.frame(120, 40).contains(LongMessageView.title))
        // At 60x20 the list is cut with a count of what is left, never drawn over the status line.
        screen.run(command: "help")
        let small = screen.frame(60, 20)
        #expect(small.contains("more lines)") && small.lines[19].contains("no lab on this page"))
    }

    @Test("a multiple-choice quiz lists lettered choices")
    func choices() throws {
        let (session, source, screen) = try Self.course()
        screen.run(command: "goto neuron/\(Self.neuronPage(session, "More data will not help"))")
        #expect(source.page.markdown.contains("- c) a model that can bend"))
        screen.run(command: "answer c")
        #expect(screen.message?.text.hasPrefix("right") == true)
    }

    @Test("the lab page shows its note; space trains and the step count grows; space pauses")
    func training() throws {
        let (session, source, screen) = try Self.course()
        screen.run(command: "goto neuron/\(Self.neuronPage(session, "Run it: both optimizers side by side"))")
        #expect(source.page.markdown.contains("**Lab: neuron** - press space to train"))
        #expect(source.page.markdown.contains("Watch weight and bias approach"))
        let lab = try #require(source.lab)
        #expect(lab.phase == .paused && lab.step == 0)
        #expect(lab.title == session.lab?.title && lab.parameters.map(\.name) == session.lab?.parameters.map(\.name))
        #expect(lab.parameters.first { $0.name == "lr" }?.range == "0.0001 ... 1 (log)")   // NeuronLab's lr range
        #expect(lab.parameters.first { $0.name == "lr" }?.value == "0.01")                // the block's set: lr 0.01
        screen.press(.character(" "))
        #expect(source.lab?.phase == .running)
        Self.trainFrames(source)
        let trained = source.lab?.step ?? 0
        #expect(trained > 0)
        #expect(source.lab!.stepsPerSecond > 0)
        Self.trainFrames(source)
        #expect(source.lab!.step > trained)
        #expect(screen.frame(120, 40).contains("TRAINING"))
        screen.press(.character(" "))
        let paused = source.lab!.step
        Self.trainFrames(source)
        #expect(source.lab?.phase == .paused && source.lab?.step == paused)
        // The panels are the ones the lab block asked for, in its order.
        let expected = ["scatter", "loss", "params"].compactMap { session.lab?.panel($0)?.title }
        #expect(expected.count == 3 && source.labPanels().map(\.title) == expected)
    }

    @Test("+ raises lr while training; the event log records it at the step it happened")
    func liveChange() throws {
        let (session, source, screen) = try Self.course()
        screen.run(command: "goto neuron/\(Self.neuronPage(session, "Run it: both optimizers side by side"))")
        screen.press(.character(" "))
        Self.trainFrames(source)
        let before = session.stepCount
        #expect(before > 0)
        #expect(screen.selectedParameter == 0)                       // lr
        screen.press(.character("+"))
        #expect(source.lab?.parameters.first?.value == "0.02")
        #expect(session.run?.events.last == HyperparameterEvent(step: before, name: "lr", value: .number(0.02)))
        #expect(screen.message?.text == "lr = 0.02 from step \(before)")
        Self.trainFrames(source)
        #expect(session.stepCount > before && source.lab?.phase == .running)    // still training, not restarted
        #expect(screen.frame(120, 40).contains(" 0.02 "))
    }

    @Test("a reset-only change asks first: n keeps the run, y restarts it")
    func resetOnlyChange() throws {
        let (session, source, screen) = try Self.course()
        screen.run(command: "goto neuron/\(Self.neuronPage(session, "Run it: both optimizers side by side"))")
        screen.press(.character("s"), .character("s"), .character("s"))
        #expect(session.stepCount == 3)
        screen.press(.character("]"), .character("]"))              // data, noise
        #expect(source.lab?.parameters[screen.selectedParameter].name == "noise")
        screen.press(.character("+"))
        let question = try #require(source.pendingQuestion)
        #expect(question.contains("restarts the lab") && question.contains("[y/n]"))
        #expect(screen.frame(120, 40).lines[38].contains("go ahead? [y/n]"))
        let noise = { source.lab?.parameters.first { $0.name == "noise" }?.value }
        let before = noise()
        screen.press(.character("n"))
        #expect(source.pendingQuestion == nil && session.stepCount == 3 && noise() == before)
        screen.press(.character("+"), .character("y"))
        #expect(source.pendingQuestion == nil && session.stepCount == 0)
        #expect(noise() != before && noise().flatMap(Double.init)! > Double(before!)!)
        // The same question from the command line.
        screen.press(.character("s"))
        screen.run(command: "set points 100")
        #expect(source.pendingQuestion != nil)
        screen.press(.character("y"))
        #expect(source.lab?.parameters.first { $0.name == "points" }?.value == "100" && session.stepCount == 0)
    }

    @Test("a run that blows up to NaN stops with the diverged message; space does not restart it")
    func divergence() throws {
        let (session, source, screen) = try Self.course()
        screen.run(command: "goto neuron/\(Self.neuronPage(session, "Run it: both optimizers side by side"))")
        screen.run(command: "set lr 1")
        screen.press(.character(" "))
        for _ in 0..<50 where source.lab?.phase == .running { Self.trainFrames(source, 1) }
        guard case .diverged(let why)? = source.lab?.phase else { Issue.record("did not diverge"); return }
        #expect(why.contains("diverged at step") && why.contains("learning rate 1 is too high"))
        let frame = screen.frame(120, 40)
        #expect(frame.contains("DIVERGED"))
        #expect(screen.message?.isError == true && screen.message?.text.hasPrefix("diverged") == true)
        screen.press(.character(" "))
        let frame2 = screen.frame(120, 40)
        #expect(frame2.contains("reset it first"))
        screen.press(.character("r"))
        #expect(source.lab?.phase == .paused && session.stepCount == 0)
    }

    @Test("quitting saves progress; a new start resumes at the same page")
    func resume() throws {
        let home = Self.temporaryHome()
        defer { try? FileManager.default.removeItem(at: home) }
        let first = try Self.course(home: home)
        first.screen.run(command: "goto neuron/5")
        first.screen.press(.character("n"))
        let device = ScriptedDevice(width: 120, height: 40, script: [0: [.key(.character("q"))]])
        FrameLoop().run(first.screen, on: device)
        #expect(first.screen.wantsToQuit)
        let second = try Self.course(home: home)
        #expect(second.session.lesson?.id == "neuron" && second.session.pageIndex == 5)
        #expect(second.source.page.index == 5)
        #expect(second.session.progress.hasSeen(lesson: "neuron", page: 4))
    }

    @Test("the lab stays on screen after its page within its lesson, and stops training elsewhere")
    func labVisibility() throws {
        let (session, source, screen) = try Self.course()
        let runPage = Self.neuronPage(session, "Run it: both optimizers side by side")
        screen.run(command: "goto neuron/\(runPage - 1)")
        #expect(source.lab == nil)
        screen.press(.character("n"), .character(" "))
        #expect(source.lab?.phase == .running)
        screen.run(command: "goto 2")
        #expect(source.lab == nil && !session.isTraining)
    }
}
