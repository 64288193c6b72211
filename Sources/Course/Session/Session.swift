import Foundation

/// The learner's session: which lesson page is open, the lab that page runs, training state,
/// the log of hyperparameter changes, quiz answers and progress.
///
/// The App owns one session and calls it from its frame loop: commands and keys change it, and
/// `advance(maxSteps:until:)` lets the lab train for the rest of the frame. All changes happen
/// between steps, so every change lands on a step boundary and is logged with its step index.
public final class Session {
    /// What the running lab is doing.
    public enum RunState: Sendable, Equatable {
        /// No lab is open.
        case noLab
        case paused
        /// Training; `remaining` steps until it pauses by itself, or nil to run until paused.
        case training(remaining: Int?)
        /// The numbers became NaN or infinite; only a reset (or loading a checkpoint) goes on.
        case diverged(step: Int, message: String)
        /// The lab said it has nothing more to do, or a step failed.
        case stopped(message: String)
    }

    /// A change that restarts the lab, waiting for the learner's yes.
    public struct PendingChange: Sendable, Equatable {
        public var name: String
        public var value: HyperValue
        /// "changing curvature restarts the lab (you lose 120 steps of training); go ahead? [y/n]"
        public var question: String
    }

    /// What `set` did.
    public enum SetOutcome: Sendable, Equatable {
        case applied(String)
        /// Nothing changed yet: ask `PendingChange.question`, then `confirmPendingChange()`.
        case needsConfirmation(PendingChange)
    }

    public let lessons: [Lesson]
    public let catalogue: LabCatalogue
    public let glossary: Glossary
    /// Where progress is saved; nil keeps it in memory only (tests, headless runs).
    public var progressStore: ProgressStore?
    public private(set) var progress: CourseProgress
    /// True when progress changed since the last save.
    public private(set) var progressNeedsSaving = false

    /// Index into `lessons` (0 when there are none).
    public private(set) var lessonIndex = 0
    /// 0-based page of the current lesson.
    public private(set) var pageIndex = 0

    /// The open lab, if the learner has reached a page with a lab block.
    public private(set) var lab: (any Lab)?
    /// The block that opened `lab`.
    public private(set) var labBlock: LabBlock?
    /// Where that block is: lesson id and 0-based page.
    public private(set) var labBlockOrigin: (lessonID: String, page: Int)?
    /// Seed, starting values and live changes of the current run.
    public private(set) var run: RunRecord?
    /// Steps taken since the run started.
    public private(set) var stepCount = 0
    public private(set) var runState: RunState = .noLab
    public private(set) var pendingChange: PendingChange?
    /// Every hyperparameter's value as the open lab block set it (the lab's defaults and the
    /// block's `set:`): what the pages it governs promise.
    public private(set) var pageSettings: [String: HyperValue] = [:]
    /// The seed a newly opened lab starts with.
    public var defaultSeed: UInt64
    /// Messages from things that happened during `advance` (divergence, completion), for the
    /// status line; the App takes them with `takeNotices()`.
    public private(set) var notices: [String] = []
    private var completedThisRun = false

    /// Opens a session at the page `progress` remembers (or the first page).
    public init(lessons: [Lesson], catalogue: LabCatalogue, progress: CourseProgress = CourseProgress(), seed: UInt64 = 42) {
        self.lessons = lessons.sorted { $0.chapter < $1.chapter }
        self.catalogue = catalogue
        self.glossary = Glossary(lessons: lessons)
        self.progress = progress
        self.defaultSeed = seed
        if let id = progress.lessonID, let i = self.lessons.firstIndex(where: { $0.id == id }) {
            lessonIndex = i
            pageIndex = min(max(progress.page, 0), self.lessons[i].pages.count - 1)
        }
        arrive()
    }

    // MARK: - Where the learner is

    public var lesson: Lesson? { lessons.indices.contains(lessonIndex) ? lessons[lessonIndex] : nil }
    public var page: Page? { lesson.flatMap { $0.pages.indices.contains(pageIndex) ? $0.pages[pageIndex] : nil } }

    /// Opens page `page` (0-based) of lesson `index`.
    public func goto(lessonAt index: Int, page: Int = 0) {
        guard lessons.indices.contains(index) else { return }
        lessonIndex = index
        pageIndex = min(max(page, 0), lessons[index].pages.count - 1)
        arrive()
    }

    /// Opens a lesson named by id, chapter number or title prefix, at `page` (1-based).
    /// - Throws: `SessionError` when nothing matches, with a suggestion.
    public func goto(_ target: String, page: Int? = nil) throws(SessionError) {
        let wanted = target.trimmingCharacters(in: .whitespaces).lowercased()
        let index: Int?
        if let n = Int(wanted) {
            index = lessons.firstIndex { $0.chapter == n }
        } else {
            index = lessons.firstIndex { $0.id == wanted }
                ?? lessons.firstIndex { $0.title.lowercased().hasPrefix(wanted) }
                ?? lessons.firstIndex { $0.id.hasPrefix(wanted) }
        }
        guard let index else {
            throw SessionError("no lesson '\(target)'" + Suggestion.didYouMean(target, in: lessons.map(\.id))
                               + "; give a lesson id, chapter number or the start of a title")
        }
        if let page, !(1...lessons[index].pages.count).contains(page) {
            throw SessionError("lesson '\(lessons[index].id)' has pages 1 to \(lessons[index].pages.count); got \(page)")
        }
        goto(lessonAt: index, page: (page ?? 1) - 1)
    }

    /// The next page, continuing into the next lesson. Returns false at the very end.
    @discardableResult
    public func next() -> Bool {
        guard let lesson else { return false }
        if pageIndex + 1 < lesson.pages.count { goto(lessonAt: lessonIndex, page: pageIndex + 1); return true }
        if lessonIndex + 1 < lessons.count { goto(lessonAt: lessonIndex + 1, page: 0); return true }
        return false
    }

    /// The previous page, continuing into the end of the previous lesson. False at the start.
    @discardableResult
    public func prev() -> Bool {
        if pageIndex > 0 { goto(lessonAt: lessonIndex, page: pageIndex - 1); return true }
        if lessonIndex > 0 { goto(lessonAt: lessonIndex - 1, page: lessons[lessonIndex - 1].pages.count - 1); return true }
        return false
    }

    /// Records the page as seen and gives it the lab its settings promise.
    ///
    /// The rule (docs/lessons-format.md, "Page settings"): the lab block that governs a page is
    /// the page's own, else the nearest one before it in the same lesson. Arriving at a page
    /// whose block already runs keeps the training and puts back the block's settings (a live
    /// value is set at this step, a reset-only one restarts the lab), with a note of what
    /// changed; any other block opens its lab afresh. So a learner's own changes last only
    /// while they stay on the page.
    private func arrive() {
        guard let lesson, page != nil else { return }
        progress.lessonID = lesson.id
        progress.page = pageIndex
        progress.markSeen(lesson: lesson.id, page: pageIndex)
        progressNeedsSaving = true
        pendingChange = nil
        guard lesson.status == .ready, let (blockPage, block) = governingBlock(lesson: lesson, page: pageIndex) else { return }
        if block.isNone {
            // A page of its own between labs: the experiment before it ends here.
            closeLab(block: block, origin: (lesson.id, blockPage))
            return
        }
        if lab != nil, let origin = labBlockOrigin, origin.lessonID == lesson.id, origin.page == blockPage, labBlock == block {
            restorePageSettings()
            return
        }
        do {
            try open(block)
            labBlockOrigin = (lesson.id, blockPage)
        } catch {
            notices.append(error.description)
        }
    }

    /// Ends the running lab for a `lab: none` block.
    private func closeLab(block: LabBlock, origin: (lessonID: String, page: Int)) {
        lab = nil
        run = nil
        stepCount = 0
        runState = .noLab
        pendingChange = nil
        pageSettings = [:]
        labBlock = block
        labBlockOrigin = origin
    }

    /// The lab block governing `page` of `lesson`: its own first block, else the nearest earlier
    /// page's, with that block's 0-based page.
    public func governingBlock(lesson: Lesson, page: Int) -> (page: Int, block: LabBlock)? {
        guard lesson.pages.indices.contains(page) else { return nil }
        for index in stride(from: page, through: 0, by: -1) {
            if let block = lesson.pages[index].labBlocks.first { return (index, block) }
        }
        return nil
    }

    /// The settings the current page promises, as "name value" pairs that differ from the lab's
    /// current values: what the status line shows as changed on this page.
    public var changesFromPageSettings: [(name: String, current: HyperValue, page: HyperValue)] {
        guard let lab else { return [] }
        return lab.parameters.compactMap { parameter in
            guard let promised = pageSettings[parameter.name], promised != parameter.value else { return nil }
            return (parameter.name, parameter.value, promised)
        }
    }

    /// Puts the lab back to the page's settings after the learner's changes on another page.
    private func restorePageSettings() {
        let changes = changesFromPageSettings
        guard !changes.isEmpty, lab != nil else { return }
        let needsReset = changes.contains { change in lab!.parameters[named: change.name]?.effect == .reset }
        let listed = changes.map { "\($0.name) \($0.current) -> \($0.page)" }.joined(separator: ", ")
        do {
            if needsReset {
                for change in changes { try apply(change.name, change.page) }
                lab!.reset(seed: lab!.seed)
                install(lab!)
                notices.append("this page's settings: \(listed) (the lab restarted)")
            } else {
                for change in changes {
                    try apply(change.name, change.page)
                    run?.events.append(HyperparameterEvent(step: stepCount, name: change.name, value: change.page))
                }
                notices.append("this page's settings: \(listed) from step \(stepCount)")
            }
        } catch {
            notices.append(error.description)
        }
    }

    // MARK: - The lab

    /// Builds the block's lab with `defaultSeed`, applies its settings and resets it, paused.
    public func open(_ block: LabBlock) throws(SessionError) {
        var fresh: any Lab
        do { fresh = try catalogue.make(block.lab, seed: defaultSeed) } catch { throw SessionError(error.description) }
        for setting in block.settings {
            guard let parameter = fresh.parameters[named: setting.name] else {
                throw SessionError(HyperparameterError.unknown(name: setting.name, lab: block.lab,
                                                               known: fresh.parameters.map(\.name)).description)
            }
            do {
                try fresh.set(setting.name, to: try parameter.parse(setting.value))
            } catch {
                // A block from a lesson file says where it is; one built for `mlcourse run`
                // (line 0) has no place to point at.
                throw SessionError(block.line > 0 ? "lab block at line \(block.line): \(error)" : "\(error)")
            }
        }
        fresh.reset(seed: defaultSeed)
        install(fresh)
        labBlock = block
        labBlockOrigin = nil
        pageSettings = Self.values(of: fresh.parameters)
    }

    private static func values(of parameters: [Hyperparameter]) -> [String: HyperValue] {
        Dictionary(parameters.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    /// What `block` sets, over the catalogue's defaults, without building its lab.
    private func promisedSettings(of block: LabBlock) -> [String: HyperValue] {
        guard let defaults = catalogue.entry(block.lab)?.parameters else { return [:] }
        var values = Self.values(of: defaults)
        for setting in block.settings {
            if let parameter = defaults[named: setting.name], let value = try? parameter.parse(setting.value) {
                values[setting.name] = value
            }
        }
        return values
    }

    /// Makes `lab` the running lab, at step 0 and paused.
    private func install(_ fresh: any Lab) {
        lab = fresh
        run = RunRecord(startOf: fresh)
        stepCount = 0
        runState = .paused
        completedThisRun = false
        pendingChange = nil
    }

    private func requireLab() throws(SessionError) -> any Lab {
        guard let lab else { throw SessionError("no lab is open; lab pages open theirs when you reach them") }
        return lab
    }

    /// Changes a hyperparameter of the running lab from text as typed ("0.01", "relu").
    ///
    /// A live change applies now (a step boundary) and is logged. A reset-only change restarts
    /// the lab; unless `force` is set or the lab has not trained yet, it first asks.
    public func set(_ name: String, _ text: String, force: Bool = false) throws(SessionError) -> SetOutcome {
        let lab = try requireLab()
        guard let parameter = lab.parameters[named: name] else {
            throw SessionError(HyperparameterError.unknown(name: name, lab: lab.id, known: lab.parameters.map(\.name)).description)
        }
        let value: HyperValue
        do { value = try parameter.parse(text) } catch { throw SessionError(error.description) }
        return try set(parameter, to: value, force: force)
    }

    /// Steps a hyperparameter one notch up or down (the + and - keys).
    public func nudge(_ name: String, up: Bool, force: Bool = false) throws(SessionError) -> SetOutcome {
        let lab = try requireLab()
        guard let parameter = lab.parameters[named: name] else {
            throw SessionError(HyperparameterError.unknown(name: name, lab: lab.id, known: lab.parameters.map(\.name)).description)
        }
        return try set(parameter, to: parameter.stepped(up: up), force: force)
    }

    private func set(_ parameter: Hyperparameter, to value: HyperValue, force: Bool) throws(SessionError) -> SetOutcome {
        if value == parameter.value { return .applied("\(parameter.name) is already \(value)") }
        switch parameter.effect {
        case .live:
            try apply(parameter.name, value)
            run?.events.append(HyperparameterEvent(step: stepCount, name: parameter.name, value: value))
            return .applied("\(parameter.name) = \(value) from step \(stepCount)")
        case .reset:
            if force || stepCount == 0 {
                try applyWithReset(parameter.name, value)
                return .applied("\(parameter.name) = \(value); the lab restarted")
            }
            let pending = PendingChange(
                name: parameter.name, value: value,
                question: "changing \(parameter.name) restarts the lab (you lose \(stepCount) steps of training); go ahead? [y/n]")
            pendingChange = pending
            return .needsConfirmation(pending)
        }
    }

    /// Applies the change waiting for confirmation (and restarts the lab).
    public func confirmPendingChange() throws(SessionError) -> String {
        guard let pending = pendingChange else { throw SessionError("there is no change waiting for a yes") }
        pendingChange = nil
        try applyWithReset(pending.name, pending.value)
        return "\(pending.name) = \(pending.value); the lab restarted"
    }

    /// Drops the change waiting for confirmation.
    public func cancelPendingChange() -> String {
        guard let pending = pendingChange else { return "nothing to cancel" }
        pendingChange = nil
        let current = lab?.parameters[named: pending.name]?.value.description ?? "?"
        return "kept \(pending.name) = \(current)"
    }

    private func apply(_ name: String, _ value: HyperValue) throws(SessionError) {
        guard lab != nil else { throw SessionError("no lab is open") }
        do { try lab!.set(name, to: value) } catch { throw SessionError("\(error)") }
    }

    private func applyWithReset(_ name: String, _ value: HyperValue) throws(SessionError) {
        try apply(name, value)
        let seed = lab!.seed
        lab!.reset(seed: seed)
        install(lab!)
    }

    /// Restarts the lab from scratch with `seed` (default: the current run's seed), keeping the
    /// current hyperparameter values.
    public func reset(seed: UInt64? = nil) throws(SessionError) {
        var current = try requireLab()
        current.reset(seed: seed ?? current.seed)
        install(current)
    }

    /// Starts training: `steps` more steps, or until paused when nil.
    public func train(steps: Int? = nil) throws(SessionError) {
        _ = try requireLab()
        if case .diverged(let step, _) = runState {
            throw SessionError("the lab diverged at step \(step); reset it first (reset), or change what made it diverge and reset")
        }
        if let steps, steps < 1 { throw SessionError("train needs a positive number of steps; got \(steps)") }
        runState = .training(remaining: steps)
    }

    /// Stops training (a no-op when not training).
    public func pause() {
        if case .training = runState { runState = .paused }
    }

    public var isTraining: Bool { if case .training = runState { true } else { false } }

    /// Runs exactly `count` steps now, then stays paused.
    /// - Returns: the number of steps taken (fewer if the lab diverged or stopped).
    /// `:data NAME`: hands the learner's data set to the open lab (see `Lab.useData`).
    public func useData(_ name: String) throws(SessionError) -> String {
        guard lab != nil else { throw SessionError("no lab on this page: :data works on a lab page (mlp-ecg, cnn-ecg)") }
        do { return try lab!.useData(name) } catch { throw SessionError("\(error)") }
    }

    @discardableResult
    public func step(_ count: Int = 1) throws(SessionError) -> Int {
        try train(steps: count)
        return advance(maxSteps: count, until: .now + .seconds(365 * 24 * 3600))
    }

    /// Lets a training lab take up to `maxSteps` steps, stopping early at `deadline` (checked
    /// between steps), when its step budget is spent, or when it diverges or stops. Called by
    /// the App once a frame. Returns the number of steps taken.
    @discardableResult
    public func advance(maxSteps: Int, until deadline: ContinuousClock.Instant) -> Int {
        var taken = 0
        while taken < maxSteps, case .training(let remaining) = runState, lab != nil {
            if taken > 0 && ContinuousClock.now >= deadline { break }
            let report: StepReport
            do {
                report = try lab!.step()
            } catch {
                stepCount += 1
                taken += 1
                runState = .stopped(message: "the lab failed at step \(stepCount): \(error)")
                notices.append("the lab failed at step \(stepCount): \(error)")
                break
            }
            stepCount += 1
            taken += 1
            let lossFinite = report.loss.map(\.isFinite) ?? true
            if !lossFinite || !lab!.isFinite {
                let message = Divergence.message(step: stepCount, lab: lab!, events: run?.events ?? [], lossWasFinite: lossFinite)
                runState = .diverged(step: stepCount, message: message)
                notices.append(message)
                break
            }
            checkCompletion()
            if report.finished {
                let message = report.note ?? "the lab finished at step \(stepCount)"
                runState = .stopped(message: message)
                notices.append(message)
                break
            }
            if let note = report.note { notices.append(note) }
            if report.pausesOpenEndedTraining, remaining == nil {
                runState = .paused
                break
            }
            if let remaining {
                runState = remaining > 1 ? .training(remaining: remaining - 1) : .paused
            }
        }
        return taken
    }

    private func checkCompletion() {
        guard !completedThisRun, let lab, let condition = lab.completion, condition.isMet(by: lab.metrics) else { return }
        completedThisRun = true
        if progress.markCompleted(lab: lab.id) { progressNeedsSaving = true }
        notices.append("lab complete at step \(stepCount): \(condition.description)")
    }

    /// Returns and clears the messages collected since the last call.
    public func takeNotices() -> [String] {
        defer { notices = [] }
        return notices
    }

    // MARK: - Quizzes

    /// The quiz `answer` goes to: the first on this page not yet answered right.
    public var activeQuiz: Quiz? {
        page?.quizzes.first { !progress.isAnsweredRight($0.id) }
    }

    /// What an answer earned.
    public enum QuizOutcome: Sendable, Equatable {
        case right(explain: String?)
        case wrong(hint: String?)
    }

    /// Checks `text` against the active quiz and records the attempt.
    public func answer(_ text: String) throws(SessionError) -> QuizOutcome {
        guard let quizzes = page?.quizzes, !quizzes.isEmpty else { throw SessionError("there is no quiz on this page") }
        guard let quiz = activeQuiz else { throw SessionError("every quiz on this page is answered; press n for the next page") }
        let right = QuizChecker.check(quiz, text) == .right
        progress.recordAnswer(quiz: quiz.id, right: right)
        progressNeedsSaving = true
        return right ? .right(explain: quiz.explain) : .wrong(hint: quiz.hint)
    }

    // MARK: - Progress

    /// Saves progress if it changed. Failing to save is reported, never fatal.
    /// - Returns: an error message, or nil.
    @discardableResult
    public func saveProgressIfNeeded() -> String? {
        guard progressNeedsSaving, let progressStore else { return nil }
        do {
            try progressStore.save(progress)
            progressNeedsSaving = false
            return nil
        } catch {
            return error.description
        }
    }

    // MARK: - Checkpoints and replay (in memory; the safetensors codec writes these to disk)

    /// Everything a checkpoint file holds, in memory.
    public struct Checkpoint: Sendable {
        public var lessonID: String?
        /// The 0-based page of `lessonID` whose lab block opened the lab, if known.
        public var page: Int?
        public var run: RunRecord
        public var step: Int
        public var metrics: Metrics
        public var state: LabState

        public init(lessonID: String?, page: Int? = nil, run: RunRecord, step: Int, metrics: Metrics, state: LabState) {
            self.lessonID = lessonID
            self.page = page
            self.run = run
            self.step = step
            self.metrics = metrics
            self.state = state
        }
    }

    /// The running lab's checkpoint, or nil when no lab is open.
    public func checkpoint() -> Checkpoint? {
        guard let lab, let run else { return nil }
        return Checkpoint(lessonID: labBlockOrigin?.lessonID ?? lesson?.id, page: labBlockOrigin?.page,
                          run: run, step: stepCount, metrics: lab.metrics, state: lab.snapshot())
    }

    /// Continues from a checkpoint: rebuilds its lab, restores its state and event log, paused.
    public func restore(_ checkpoint: Checkpoint) throws(SessionError) {
        do {
            var fresh = try catalogue.make(checkpoint.run.labID, seed: checkpoint.run.seed)
            let events = checkpoint.run.events.filter { $0.step <= checkpoint.step }
            let current = checkpoint.run.initial.map { s in events.last { $0.name == s.name }?.value ?? s.value }
            for (setting, value) in zip(checkpoint.run.initial, current) { try fresh.set(setting.name, to: value) }
            fresh.reset(seed: checkpoint.run.seed)
            try fresh.restore(checkpoint.state)
            install(fresh)
            run = checkpoint.run
            stepCount = checkpoint.step
        } catch {
            throw SessionError("cannot restore the checkpoint: \(error)")
        }
    }

    /// Makes `lab`, already brought to the state `checkpoint` describes (restored or replayed),
    /// the running lab, paused at `checkpoint.step`, and opens the lesson page the checkpoint
    /// came from when that page still exists. Cannot fail, so a caller that checks everything
    /// first leaves the session untouched when something is wrong.
    /// `page` (0-based) opens that page of the checkpoint's lesson instead of the saved one (a
    /// resumed autosave stays on the page the learner was reading).
    public func resume(_ lab: any Lab, at checkpoint: Checkpoint, page shownPage: Int? = nil) {
        var resumedSettings: [String: HyperValue] = [:]
        if let id = checkpoint.lessonID, let index = lessons.firstIndex(where: { $0.id == id }), !lessons[index].pages.isEmpty {
            let pages = lessons[index].pages
            // Without a saved page: the lesson's first page that runs this lab, else its first page.
            let wanted = shownPage ?? checkpoint.page ?? pages.firstIndex { $0.labBlocks.first?.lab == lab.id } ?? 0
            let page = min(max(wanted, 0), pages.count - 1)
            lessonIndex = index
            pageIndex = page
            progress.lessonID = id
            progress.page = page
            progress.markSeen(lesson: id, page: page)
            progressNeedsSaving = true
            // Claim the block that governs the page, so turning pages keeps the resumed lab.
            if let (blockPage, block) = governingBlock(lesson: lessons[index], page: page), block.lab == lab.id {
                labBlock = block
                labBlockOrigin = (id, blockPage)
                resumedSettings = promisedSettings(of: block)
            } else {
                labBlockOrigin = nil
            }
        } else {
            // The lesson is gone (or there are no lessons, headless): the lab belongs to no page.
            labBlockOrigin = nil
        }
        install(lab)
        pageSettings = labBlockOrigin == nil ? Self.values(of: lab.parameters) : resumedSettings
        run = RunRecord(labID: checkpoint.run.labID, seed: checkpoint.run.seed, initial: checkpoint.run.initial,
                        events: checkpoint.run.events.filter { $0.step <= checkpoint.step })
        stepCount = checkpoint.step
    }

    /// Replays a run from its record for `steps` steps (exactly reproducing it) and makes it the
    /// running lab, paused.
    public func replay(_ record: RunRecord, steps: Int) throws(SessionError) {
        do {
            let replayed = try record.replay(using: catalogue, steps: steps)
            install(replayed)
            run = RunRecord(labID: record.labID, seed: record.seed, initial: record.initial,
                            events: record.events.filter { $0.step <= steps })
            stepCount = steps
        } catch {
            throw SessionError("cannot replay: \(error)")
        }
    }
}

/// A refused session action, with the reason in words.
public struct SessionError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
