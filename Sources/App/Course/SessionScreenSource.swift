import Course
import Foundation
import TextPlot

/// The real course on the screen: adapts a Course `Session` (with its `CommandExecutor`,
/// progress store and glossary) to `CourseScreenSource`.
///
/// The session decides everything (pages, labs, hyperparameters, quizzes, progress); this type
/// only translates: lessons into the sidebar outline, pages into Markdown, the run state into
/// the status line, keys into session calls, and session notices into screen messages.
public final class SessionScreenSource: CourseScreenSource {
    public let session: Session
    public let executor: CommandExecutor
    public let courseTitle: String
    private var pace: TrainingPace
    /// Messages for the screen's message line, oldest first (taken by `takeMessages()`).
    private var pending: [CommandOutcome] = []

    /// - Parameters:
    ///   - stepsPerSecond: the most steps a second a lab trains on screen (nil: as fast as the
    ///     frame budget allows). Fast labs would otherwise finish before the learner sees them.
    ///   - startupNotice: said once on the first frame (e.g. that progress was unreadable).
    ///   - resumesAutosave: bring back the lab the learner left, from its autosave (see
    ///     `resumeAutosave()`); the course screen does, tests choose.
    public init(session: Session, checkpoints: any CheckpointLibrary = CheckpointFolder(),
                courseTitle: String = "mlcourse", stepsPerSecond: Double? = 240, startupNotice: String? = nil,
                resumesAutosave: Bool = false) {
        self.session = session
        self.executor = CommandExecutor(session: session, checkpoints: checkpoints)
        self.courseTitle = courseTitle
        self.pace = TrainingPace(limit: stepsPerSecond)
        if let startupNotice { pending.append(CommandOutcome(message: startupNotice, isError: true)) }
        collectNotices()
        if resumesAutosave { resumeAutosave() }
    }

    /// Quitting saved the open lab as "<lab>-autosave"; opening the course again on a page that
    /// runs the same lab block brings that run back, at its step, on the page the learner was
    /// reading. A run from another page or lesson is left alone (`:load` still opens it).
    func resumeAutosave() {
        guard let folder = executor.checkpoints as? CheckpointFolder, let lab = session.lab, session.stepCount == 0,
              let origin = session.labBlockOrigin else { return }
        let name = CheckpointFolder.autosaveName(lab: lab.id)
        guard folder.names().contains(name) else { return }
        do {
            let file = try folder.read(name)
            guard file.checkpoint.lessonID == origin.lessonID, file.checkpoint.page == origin.page, file.step > 0 else { return }
            let result = try session.open(file, page: session.pageIndex)
            say("resumed from \(name): \(result)")
        } catch {
            say("could not resume \(name) (\(error)); the lab starts afresh, ':load \(name)' tries again", isError: true)
        }
    }

    // MARK: What the screen shows

    /// Outline chapters say so in the header: their labs are not written yet.
    public var notice: String? {
        session.lesson?.status == .outline ? "labs coming" : nil
    }

    /// Two groups: the chapters with labs, then the outlines whose labs are still coming. Each
    /// lesson carries its chapter number ("1 One neuron").
    public var outline: [OutlineChapter] {
        var ready: [OutlineLesson] = [], coming: [OutlineLesson] = []
        for (index, lesson) in session.lessons.enumerated() {
            let entry = OutlineLesson(id: lesson.id, title: "\(lesson.chapter) \(lesson.title)", isComplete: isComplete(lesson),
                                      isCurrent: index == session.lessonIndex)
            if lesson.status == .outline { coming.append(entry) } else { ready.append(entry) }
        }
        var chapters: [OutlineChapter] = []
        if !ready.isEmpty { chapters.append(OutlineChapter(title: "Chapters", lessons: ready)) }
        if !coming.isEmpty { chapters.append(OutlineChapter(title: "Labs coming", lessons: coming)) }
        return chapters
    }

    /// Done when every page was seen and every quiz answered right.
    func isComplete(_ lesson: Lesson) -> Bool {
        let progress = session.progress
        return lesson.pages.indices.allSatisfy { progress.hasSeen(lesson: lesson.id, page: $0) }
            && lesson.pages.allSatisfy { $0.quizzes.allSatisfy { progress.isAnsweredRight($0.id) } }
    }

    public var page: PageContent {
        guard let lesson = session.lesson, let page = session.page else {
            return PageContent(lessonTitle: "No lessons", pageTitle: "", index: 0, count: 1,
                               markdown: "The Lessons folder holds no lessons.")
        }
        let markdown = PageMarkdown.render(page) { self.session.progress.isAnsweredRight($0) }
        return PageContent(lessonTitle: lesson.title, pageTitle: page.title ?? "Introduction", index: session.pageIndex,
                           count: lesson.pages.count, markdown: markdown)
    }

    /// The lab is shown from its page on, within its lesson (the text after a lab may talk
    /// about it); elsewhere the page has the whole width and the lab does not train.
    var isLabVisible: Bool {
        guard session.lab != nil else { return false }
        guard let origin = session.labBlockOrigin else { return true }
        return origin.lessonID == session.lesson?.id && session.pageIndex >= origin.page
    }

    public var lab: LabScreenState? {
        guard isLabVisible, let lab = session.lab else { return nil }
        let phase: LabScreenState.Phase
        switch session.runState {
        case .training: phase = .running
        case .paused, .noLab: phase = .paused
        case .diverged(_, let message): phase = .diverged(message)
        case .stopped(let message): phase = .finished(message)
        }
        return LabScreenState(title: lab.title, phase: phase, step: session.stepCount,
                              stepsPerSecond: phase == .running ? pace.measured : 0,
                              parameters: lab.parameters.map(Self.info),
                              readout: Self.readout(lab.metrics, completion: lab.completion, mentionedIn: session.page?.markdown ?? ""),
                              changedSettings: session.changesFromPageSettings.map { "\($0.name) \($0.current) (page \($0.page))" })
    }

    /// Every series' latest value and every scalar, the ones `pageText` names first, otherwise in
    /// the lab's order. Series named "..._step" only say when another series was measured, so
    /// they are left out.
    static func readout(_ metrics: Metrics, completion: CompletionCondition?, mentionedIn pageText: String = "") -> [MetricReading] {
        // Names in code spans (`ols_weight`) are the page asking to read that number; a plain
        // word ("the loss falls") counts next.
        let quoted = mentionedNames(in: codeSpans(in: pageText).joined(separator: " "))
        let mentioned = mentionedNames(in: pageText)
        var readings: [MetricReading] = []
        for series in metrics.series where !series.name.hasSuffix("_step") {
            if let last = series.values.last {
                readings.append(MetricReading(name: series.name, value: format(last)))
            } else if mentioned.contains(series.name) {
                // The page asks for a number the lab has not measured yet (a first evaluation
                // still running): its place is held, so the learner knows it is coming.
                readings.append(MetricReading(name: series.name, value: "-"))
            }
        }
        for scalar in metrics.scalars { readings.append(MetricReading(name: scalar.name, value: format(scalar.value))) }
        if let completion, let index = readings.firstIndex(where: { $0.name == completion.metric }) {
            readings[index].goal = (completion.direction == .atLeast ? ">= " : "<= ") + format(completion.target)
        } else if let completion {
            // Not measured yet: the goal is worth showing before the first number arrives.
            readings.append(MetricReading(name: completion.metric, value: "-",
                                          goal: (completion.direction == .atLeast ? ">= " : "<= ") + format(completion.target)))
        }
        for index in readings.indices where mentioned.contains(readings[index].name) { readings[index].named = true }
        func rank(_ reading: MetricReading) -> Int { quoted.contains(reading.name) ? 0 : mentioned.contains(reading.name) ? 1 : 2 }
        return (0...2).flatMap { level in readings.filter { rank($0) == level } }
    }

    /// The text inside single backticks.
    static func codeSpans(in text: String) -> [String] {
        text.split(separator: "`", omittingEmptySubsequences: false).enumerated().compactMap { $0.offset % 2 == 1 ? String($0.element) : nil }
    }

    /// The words of `text` that could be metric names (letters, digits and underscores).
    static func mentionedNames(in text: String) -> Set<String> {
        Set(text.split { !($0.isLetter || $0.isNumber || $0 == "_") }.map(String.init))
    }

    /// Four significant digits: enough to compare two runs "give or take a point".
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        if value == value.rounded(), abs(value) < 1e7 { return String(Int64(value)) }
        let magnitude = abs(value)
        if magnitude >= 1e-3 && magnitude < 1e6 { return String(format: "%.4g", value) }
        return String(format: "%.3g", value)
    }

    static func info(_ p: Hyperparameter) -> HyperparameterInfo {
        HyperparameterInfo(name: p.name, value: p.value.description, range: rangeText(p), help: p.help,
                           appliesLive: p.effect == .live)
    }

    /// "0.0001 ... 1 (log)", "1 ... 500 whole", "line | bend".
    static func rangeText(_ p: Hyperparameter) -> String {
        switch p.domain {
        case .numeric(let range, let scale, let integer):
            var text = "\(NumberText.format(range.lowerBound)) ... \(NumberText.format(range.upperBound))"
            if case .log = scale { text += " (log)" }
            if integer { text += " whole" }
            return text
        case .choices(let names):
            return names.joined(separator: " | ")
        }
    }

    public func labPanels() -> [Panel] {
        guard isLabVisible, let lab = session.lab else { return [] }
        return lab.panels(showing: session.labBlock?.show ?? [])
    }

    public var pendingQuestion: String? { session.pendingChange?.question }

    public func takeMessages() -> [CommandOutcome] {
        collectNotices()
        defer { pending = [] }
        return pending
    }

    private func collectNotices() {
        pending += session.takeNotices().map { CommandOutcome(message: $0, isError: $0.hasPrefix("diverged") || $0.contains("failed")) }
    }

    private func say(_ message: String, isError: Bool = false) {
        pending.append(CommandOutcome(message: message, isError: isError))
    }

    // MARK: Navigation

    public func nextPage() -> Bool { moved(session.next()) }
    public func previousPage() -> Bool { moved(session.prev()) }

    public func openLesson(id: String) -> Bool {
        guard let index = session.lessons.firstIndex(where: { $0.id == id }) else { return false }
        session.goto(lessonAt: index)
        return moved(true)
    }

    /// After moving: a lab left behind stops training, and progress is saved (a page seen).
    private func moved(_ didMove: Bool) -> Bool {
        if !isLabVisible, session.isTraining { session.pause() }
        if let failure = session.saveProgressIfNeeded() { say(failure, isError: true) }
        collectNotices()
        return didMove
    }

    // MARK: Training

    public func setTraining(_ running: Bool) {
        guard isLabVisible else { return say("this page has no lab", isError: true) }
        if running {
            do { try session.train() } catch { say(error.description, isError: true) }
        } else {
            session.pause()
        }
        pace.restart()
    }

    public func stepOnce() {
        guard isLabVisible else { return say("this page has no lab", isError: true) }
        do { try session.step(1) } catch { say(error.description, isError: true) }
        collectNotices()
    }

    public func resetLab() {
        guard isLabVisible else { return say("this page has no lab", isError: true) }
        do { try session.reset() } catch { say(error.description, isError: true) }
        pace.restart()
    }

    public func adjustParameter(named name: String, bySteps steps: Int) -> String? {
        var last: String?
        for _ in 0..<max(1, abs(steps)) {
            do {
                switch try session.nudge(name, up: steps > 0) {
                case .applied(let message): last = message
                case .needsConfirmation(let change): return change.question
                }
            } catch {
                return error.description
            }
        }
        return last
    }

    public func train(until deadline: ContinuousClock.Instant) {
        guard isLabVisible, session.isTraining else { return }
        let (budget, elapsed) = pace.budget(now: .now)
        let taken = budget > 0 ? session.advance(maxSteps: budget, until: deadline) : 0
        pace.record(taken: taken, elapsed: elapsed)
        if !session.isTraining { collectNotices() }
    }

    // MARK: Commands

    public func execute(command: String) -> CommandOutcome {
        let wasTraining = session.isTraining
        let result = executor.execute(command)
        if session.isTraining != wasTraining { pace.restart() }
        if !isLabVisible, session.isTraining { session.pause() }
        return CommandOutcome(message: result.message, isError: result.kind == .error, quits: result.quit)
    }

    public func completions(for partial: String) -> [String] {
        Completer.candidates(for: partial, session: session, checkpoints: executor.checkpoints)
    }

    public func saveProgress() {
        if let failure = session.saveProgressIfNeeded() { say(failure, isError: true) }
    }

    /// Quitting keeps the running lab as "<lab>-autosave", so `:load <lab>-autosave` (or
    /// `mlcourse replay <lab>-autosave`) continues where the learner stopped.
    public func willQuit() {
        guard let folder = executor.checkpoints as? CheckpointFolder else { return }
        do {
            if let message = try folder.autosave(session) { pending.append(CommandOutcome(message: message, isError: false)) }
        } catch {
            pending.append(CommandOutcome(message: "could not autosave the lab: \(error)", isError: true))
        }
    }
}
