import TextPlot

/// Everything the course screen needs from the course, and every action it may ask for.
///
/// The course session adopts this protocol; the App knows nothing else about lessons or labs
/// (it never imports Labs or MLEngine). All calls come from the one thread that runs the frame
/// loop, so a conforming class needs no locking. Reads (`outline`, `page`, `lab`, `labPanels()`)
/// happen every frame and should be cheap; heavy work belongs in `train(until:)`.
public protocol CourseScreenSource: AnyObject {
    /// Shown at the top of the sidebar, e.g. "mlcourse".
    var courseTitle: String { get }
    /// A line the screen always shows in its header, e.g. that this is a demo; nil for none.
    var notice: String? { get }
    /// Chapters and their lessons, with completion marks and which lesson is open.
    var outline: [OutlineChapter] { get }
    /// The page on screen: its Markdown and where it sits in its lesson.
    var page: PageContent { get }
    /// The lab of the current page; nil when the page has none (the screen then gives the
    /// lesson text the whole width).
    var lab: LabScreenState? { get }
    /// What the lab shows now. Called once per frame while a lab is present.
    func labPanels() -> [Panel]

    /// Turns to the next page (crossing into the next lesson at the end); false at the very end.
    @discardableResult func nextPage() -> Bool
    /// Turns to the previous page; false at the very start.
    @discardableResult func previousPage() -> Bool
    /// Opens a lesson (by `OutlineLesson.id`) at its first page; false if there is none.
    @discardableResult func openLesson(id: String) -> Bool

    /// Starts or pauses training of the current lab.
    func setTraining(_ running: Bool)
    /// Runs exactly one training step (only meaningful while paused).
    func stepOnce()
    /// Puts the lab back to its starting state with the current hyperparameters.
    func resetLab()
    /// Moves a hyperparameter by `steps` notches (its scale decides what a notch is: linear,
    /// logarithmic, next choice). Returns a message for the learner, e.g. an error or
    /// "hidden applies on reset (r)"; nil when there is nothing to say.
    func adjustParameter(named name: String, bySteps steps: Int) -> String?
    /// Trains while the clock is before `deadline`, when training is on. The frame loop calls
    /// this each frame with what is left of the frame's budget; it must return by the deadline
    /// (check the clock between steps) so keys are answered within a frame.
    func train(until deadline: ContinuousClock.Instant)

    /// Runs a command typed at the `:` prompt (without the colon), e.g. "set lr 0.1".
    func execute(command: String) -> CommandOutcome
    /// Ways to complete a partly typed command line; each is the whole completed line.
    func completions(for partial: String) -> [String]

    /// Saves progress. Called on quit, on SIGINT/SIGTERM, and (best effort, from a signal
    /// handler: keep it to one small file write) when the program crashes.
    func saveProgress()

    /// The learner is leaving (quit, SIGINT or SIGTERM; never called from a crash handler):
    /// the place for heavier saving, such as a checkpoint of the running lab.
    func willQuit()

    /// A yes/no question waiting for the learner (e.g. "changing hidden restarts the lab; go
    /// ahead? [y/n]"), or nil. While one is open the screen shows it on the message line and
    /// sends `y` or `n` (Esc too) to `execute(command:)`.
    var pendingQuestion: String? { get }
    /// Messages that arose on their own (the lab diverged, completed, a save failed) since the
    /// last call; the screen shows the latest on the message line. Called once a frame.
    func takeMessages() -> [CommandOutcome]
}

extension CourseScreenSource {
    public func willQuit() {}

    public var pendingQuestion: String? { nil }
    public func takeMessages() -> [CommandOutcome] { [] }
}

/// A chapter in the sidebar.
public struct OutlineChapter: Hashable, Sendable {
    public var title: String
    public var lessons: [OutlineLesson]
    public init(title: String, lessons: [OutlineLesson]) { self.title = title; self.lessons = lessons }
}

/// A lesson in the sidebar.
public struct OutlineLesson: Hashable, Sendable {
    public var id: String
    public var title: String
    public var isComplete: Bool
    /// The lesson whose page is on screen.
    public var isCurrent: Bool
    public init(id: String, title: String, isComplete: Bool = false, isCurrent: Bool = false) {
        self.id = id; self.title = title; self.isComplete = isComplete; self.isCurrent = isCurrent
    }
}

/// The page on screen.
public struct PageContent: Hashable, Sendable {
    public var lessonTitle: String
    /// The page's `##` heading.
    public var pageTitle: String
    /// 0-based page number within the lesson, and the lesson's page count.
    public var index: Int
    public var count: Int
    /// The page body as Markdown (headings, lists, code, tables).
    public var markdown: String
    public init(lessonTitle: String, pageTitle: String, index: Int, count: Int, markdown: String) {
        self.lessonTitle = lessonTitle; self.pageTitle = pageTitle
        self.index = index; self.count = count; self.markdown = markdown
    }
}

/// The lab's state as the status line and the hyperparameter panel show it.
public struct LabScreenState: Hashable, Sendable {
    public enum Phase: Hashable, Sendable {
        case paused
        case running
        /// Training stopped because the loss became NaN/inf or exploded; the message says what.
        case diverged(String)
        /// The lab reached its end (e.g. an episode budget); the message says what.
        case finished(String)
    }
    public var title: String
    public var phase: Phase
    public var step: Int
    public var stepsPerSecond: Double
    public var parameters: [HyperparameterInfo]
    /// The lab's current measurements by the names lessons use ("test_accuracy 0.962"), so every
    /// number a page asks the learner to read is on screen.
    public var readout: [MetricReading]
    /// Settings that differ from what the page set, as "lr 0.15 (page 0.05)"; empty when the lab
    /// runs with the page's settings.
    public var changedSettings: [String]
    public init(title: String, phase: Phase, step: Int, stepsPerSecond: Double, parameters: [HyperparameterInfo],
                readout: [MetricReading] = [], changedSettings: [String] = []) {
        self.title = title; self.phase = phase; self.step = step
        self.stepsPerSecond = stepsPerSecond; self.parameters = parameters
        self.readout = readout; self.changedSettings = changedSettings
    }
}

/// One measurement as the readout shows it.
public struct MetricReading: Hashable, Sendable {
    /// As lessons and `mlcourse run --json` name it: "test_accuracy".
    public var name: String
    /// Formatted for reading: "0.962", "1.2e-05".
    public var value: String
    /// The lab's target for this metric, if it has one: ">= 0.95".
    public var goal: String?
    /// The page being read talks about this number, so the readout keeps room for it.
    public var named: Bool
    public init(name: String, value: String, goal: String? = nil, named: Bool = false) {
        self.name = name; self.value = value; self.goal = goal; self.named = named
    }
}

/// One hyperparameter as the learner sees it.
public struct HyperparameterInfo: Hashable, Sendable {
    public var name: String
    /// The value as text, formatted by the lab ("0.01", "relu", "on").
    public var value: String
    /// The allowed range or choices as text ("0.0001 ... 1 (log)", "relu | tanh").
    public var range: String
    /// One line: what it does.
    public var help: String
    /// True when a change takes effect at the next step; false when it needs a reset.
    public var appliesLive: Bool
    public init(name: String, value: String, range: String, help: String, appliesLive: Bool) {
        self.name = name; self.value = value; self.range = range; self.help = help; self.appliesLive = appliesLive
    }
}

/// What a typed command did.
public struct CommandOutcome: Hashable, Sendable {
    public var message: String
    public var isError: Bool
    /// The command asked to leave the program (after saving).
    public var quits: Bool
    public init(message: String, isError: Bool = false, quits: Bool = false) {
        self.message = message; self.isError = isError; self.quits = quits
    }
    public static func error(_ message: String) -> CommandOutcome { CommandOutcome(message: message, isError: true) }
}
