import Foundation
import TextPlot

/// A fake course for `mlcourse demo`: two small lessons about the screen itself and a lab that
/// animates every widget with synthetic data. It adopts `CourseScreenSource` exactly as the real
/// course session does, so the whole screen can be tried (and tested) before real labs exist.
public final class DemoCourse: CourseScreenSource {
    private var lessonIndex = 0
    private var pageIndex = 0
    private var demoLab = DemoLab()
    private var running = false
    /// Lessons the learner finished (by reaching their last page).
    private var completed: Set<String> = []
    /// Step-rate bookkeeping: steps owed by the `speed` knob, and a smoothed measured rate.
    private var stepAllowance = 0.0
    private var lastTrain: ContinuousClock.Instant?
    private var measuredRate = 0.0
    private let clock = ContinuousClock()
    /// How many times progress was saved (the demo has nothing to save; tests read this).
    public private(set) var saveCount = 0

    public init() {}

    public var courseTitle: String { "mlcourse" }
    public var notice: String? { "DEMO of the screen, not a lesson" }

    public var outline: [OutlineChapter] {
        var chapters: [OutlineChapter] = []
        for (index, lesson) in DemoPages.lessons.enumerated() {
            let entry = OutlineLesson(id: lesson.id, title: lesson.title, isComplete: completed.contains(lesson.id),
                                      isCurrent: index == lessonIndex)
            if chapters.last?.title == lesson.chapter { chapters[chapters.count - 1].lessons.append(entry) }
            else { chapters.append(OutlineChapter(title: lesson.chapter, lessons: [entry])) }
        }
        chapters.append(OutlineChapter(title: "Real lessons", lessons: [
            OutlineLesson(id: "-", title: "(come with the labs)"),
        ]))
        return chapters
    }

    private var lesson: DemoPages.Lesson { DemoPages.lessons[lessonIndex] }

    public var page: PageContent {
        let current = lesson.pages[pageIndex]
        return PageContent(lessonTitle: lesson.title, pageTitle: current.title, index: pageIndex,
                           count: lesson.pages.count, markdown: current.markdown)
    }

    public var lab: LabScreenState? {
        guard lesson.pages[pageIndex].hasLab else { return nil }
        let phase: LabScreenState.Phase = if let why = demoLab.diverged { .diverged(why) } else { running ? .running : .paused }
        return LabScreenState(
            title: "Demo lab (synthetic data)", phase: phase, step: demoLab.step,
            stepsPerSecond: running ? measuredRate : 0,
            parameters: demoLab.knobs.map {
                HyperparameterInfo(name: $0.name, value: $0.text, range: $0.rangeText, help: $0.help, appliesLive: $0.appliesLive)
            })
    }

    public func labPanels() -> [Panel] { DemoPanels.panels(for: demoLab) }

    // MARK: Navigation

    public func nextPage() -> Bool {
        if pageIndex + 1 < lesson.pages.count {
            pageIndex += 1
        } else if lessonIndex + 1 < DemoPages.lessons.count {
            lessonIndex += 1; pageIndex = 0
        } else {
            return false
        }
        // A lesson counts as done once its last page has been reached.
        if pageIndex == lesson.pages.count - 1 { completed.insert(lesson.id) }
        return true
    }

    public func previousPage() -> Bool {
        if pageIndex > 0 { pageIndex -= 1; return true }
        guard lessonIndex > 0 else { return false }
        lessonIndex -= 1
        pageIndex = lesson.pages.count - 1
        return true
    }

    public func openLesson(id: String) -> Bool {
        guard let index = DemoPages.lessons.firstIndex(where: { $0.id == id }) else { return false }
        lessonIndex = index; pageIndex = 0
        return true
    }

    // MARK: Training

    public func setTraining(_ on: Bool) {
        running = on && demoLab.diverged == nil
        lastTrain = nil
        stepAllowance = 0
    }

    public func stepOnce() { demoLab.advance() }

    public func resetLab() {
        demoLab.reset()
        running = false
    }

    public func adjustParameter(named name: String, bySteps steps: Int) -> String? {
        guard let index = demoLab.knobs.firstIndex(where: { $0.name == name }) else { return "no hyperparameter \(name)" }
        demoLab.knobs[index].move(by: steps)
        let knob = demoLab.knobs[index]
        return knob.appliesLive ? "\(name) = \(knob.text)" : "\(name) = \(knob.text) (applies on reset: press r)"
    }

    public func train(until deadline: ContinuousClock.Instant) {
        guard running else { return }
        let now = clock.now
        let elapsed = lastTrain.map { Double(($0.duration(to: now)) / .microseconds(1)) / 1e6 } ?? (1.0 / 30)
        lastTrain = now
        // Steps owed at the chosen speed, capped to one frame's worth so a pause never bursts.
        stepAllowance = min(stepAllowance + demoLab.knob("speed") * elapsed, demoLab.knob("speed") / 10 + 1)
        var steps = 0
        while stepAllowance >= 1 && clock.now < deadline {
            demoLab.advance()
            stepAllowance -= 1
            steps += 1
            if demoLab.diverged != nil { running = false; break }
        }
        let rate = elapsed > 0 ? Double(steps) / elapsed : 0
        measuredRate = measuredRate == 0 ? rate : 0.9 * measuredRate + 0.1 * rate
    }

    // MARK: Commands

    static let commands = ["help", "set", "train", "pause", "step", "reset", "goto", "quit"]

    public func execute(command line: String) -> CommandOutcome {
        let words = line.split(separator: " ").map(String.init)
        guard let verb = words.first else { return CommandOutcome(message: "") }
        switch verb {
        case "help":
            return CommandOutcome(message: "commands: help, set NAME VALUE, train, pause, step [N], reset, goto LESSON, quit (keys: press ?)")
        case "set":
            guard words.count == 3, let value = Double(words[2]) else { return .error("usage: set NAME VALUE, e.g. set noise 0.5") }
            guard let index = demoLab.knobs.firstIndex(where: { $0.name == words[1] }) else {
                return .error("no hyperparameter \"\(words[1])\"; there are " + demoLab.knobs.map(\.name).joined(separator: ", "))
            }
            let range = demoLab.knobs[index].range
            guard range.contains(value) else {
                return .error("\(words[1]) must lie in \(DemoLab.format(range.lowerBound)) ... \(DemoLab.format(range.upperBound)), got \(words[2])")
            }
            demoLab.knobs[index].value = value
            return CommandOutcome(message: "\(words[1]) = \(demoLab.knobs[index].text)")
        case "train": setTraining(true); return CommandOutcome(message: "training")
        case "pause": setTraining(false); return CommandOutcome(message: "paused")
        case "step":
            let count = words.count > 1 ? Int(words[1]) : 1
            guard let count, (1...100_000).contains(count) else { return .error("usage: step [N], N from 1 to 100000") }
            for _ in 0..<count { demoLab.advance() }
            return CommandOutcome(message: "step \(demoLab.step)")
        case "reset": resetLab(); return CommandOutcome(message: "lab reset")
        case "goto":
            guard words.count == 2, openLesson(id: words[1]) else {
                return .error("usage: goto LESSON; lessons: " + DemoPages.lessons.map(\.id).joined(separator: ", "))
            }
            return CommandOutcome(message: "opened \(lesson.title)")
        case "quit": return CommandOutcome(message: "bye", quits: true)
        default:
            return .error("unknown command \"\(verb)\"; type help")
        }
    }

    public func completions(for partial: String) -> [String] {
        let words = partial.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        if words.count <= 1 {
            // Commands that need an argument complete with the space before it.
            return Self.commands.filter { $0.hasPrefix(partial) }.map { ["set", "goto"].contains($0) ? $0 + " " : $0 }
        }
        let argument = words.count == 2 ? words[1] : ""
        guard words.count == 2 else { return [] }
        switch words[0] {
        case "set": return demoLab.knobs.map(\.name).filter { $0.hasPrefix(argument) }.map { "set \($0) " }
        case "goto": return DemoPages.lessons.map(\.id).filter { $0.hasPrefix(argument) }.map { "goto \($0)" }
        default: return []
        }
    }

    public func saveProgress() { saveCount += 1 }
}
