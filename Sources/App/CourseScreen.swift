import Terminal
import TextPlot

/// The course screen: what has focus, where the lesson is scrolled, which hyperparameter is
/// selected, the command line and the help overlay, on top of a `CourseScreenSource`.
///
/// It turns input events into actions on the source and draws the whole screen into a Canvas
/// (`render`). It never touches the terminal, so tests drive it with scripted keys and read the
/// Canvas back; `FrameLoop` connects it to the real terminal.
public final class CourseScreen {
    /// Which part of the screen the scroll keys move.
    public enum Focus: CaseIterable, Sendable { case sidebar, lesson, lab }

    public let source: CourseScreenSource
    public private(set) var focus: Focus = .lesson
    /// First visible line of the lesson text.
    public private(set) var lessonScroll = 0
    /// The lesson under the cursor in the sidebar (index into the flattened outline).
    public private(set) var sidebarCursor = 0
    /// Index of the selected hyperparameter.
    public private(set) var selectedParameter = 0
    public private(set) var showsHelp = false
    /// Which page of panels is shown when not all fit.
    public private(set) var panelPage = 0
    private var panelPageCount = 1
    /// The `:` prompt; `isEditingCommand` says whether it is open.
    public private(set) var commandLine = CommandLineEditor()
    public private(set) var isEditingCommand = false
    /// The last message (command result, hyperparameter note), shown above the status line.
    public private(set) var message: (text: String, isError: Bool)? {
        didSet { messageShownAt = .now; messageFrame = renderedFrames }
    }
    /// Frames drawn so far, and the frame in which the message was set: a page turn clears only a
    /// message from an earlier frame, not the one the turning command itself just gave.
    private var renderedFrames = 0
    private var messageFrame = 0
    private var messageShownAt = ContinuousClock.now
    /// How long a note (not an error) stays on the message line.
    static let noteLifetime = Duration.seconds(20)
    /// Set when the learner asked to leave; the frame loop saves and stops.
    public private(set) var wantsToQuit = false

    /// Lesson line count and visible height from the last render, for scrolling limits.
    private var lessonLineCount = 0
    private var lessonViewHeight = 10
    /// The page the scroll position belongs to; a new page starts at the top.
    private var scrolledPage: PageContent?
    /// Where the last render put things, for mouse clicks.
    private var lastLayout: ScreenLayout?
    private var sidebarRows: [(y: Int, lessonID: String)] = []
    /// The wrapped lesson page, kept between frames.
    private let lessonCache = LessonView.Cache()

    public init(source: CourseScreenSource) {
        self.source = source
        sidebarCursor = Self.flatLessons(source.outline).firstIndex { $0.isCurrent } ?? 0
    }

    /// Which page is open (lesson title and 0-based page), to notice a page turn.
    public var pagePosition: [String] {
        let page = source.page
        return [page.lessonTitle, String(page.index)]
    }

    // MARK: Input

    /// Applies one input event.
    public func handle(_ event: InputEvent) {
        switch event {
        case .key(let key): handle(key)
        case .mouse(let mouse): handle(mouse)
        case .resize: break  // the next render lays out for the new size
        case .interrupt: wantsToQuit = true
        }
    }

    private func handle(_ key: Key) {
        if isEditingCommand { return editCommand(key) }
        if let open = message, open.text.contains("\n") {
            // A long message (`:help`) is a box; a key closes it, and Esc does nothing more.
            message = nil
            if key == .escape { return }
        }
        if source.pendingQuestion != nil, !showsHelp {
            // y answers yes; n or Esc answers no; any other key answers no and does its job.
            switch key {
            case .character("y"), .character("Y"): return run(command: "y")
            case .character("n"), .character("N"), .escape: return run(command: "n")
            default: _ = source.execute(command: "n")
            }
        }
        if showsHelp {
            // Any key closes the help; keys other than Esc, ? and F1 then also do their usual job.
            showsHelp = false
            if key == .escape || key == .character("?") || key == .function(1) { return }
        }
        guard let action = KeyBindings.action(for: key) else {
            if case .character(let c) = key { message = ("no key \"\(c)\" here; press ? for the keys", true) }
            return
        }
        perform(action)
    }

    /// Does what a key binding asks.
    public func perform(_ action: ScreenAction) {
        let parameters = source.lab?.parameters ?? []
        switch action {
        case .nextPage:
            if !source.nextPage() { message = ("this is the last page", false) }
        case .previousPage:
            if !source.previousPage() { message = ("this is the first page", false) }
        case .scrollDown: focus == .sidebar ? moveSidebar(1) : (focus == .lab ? selectParameter(1) : scroll(by: 1))
        case .scrollUp: focus == .sidebar ? moveSidebar(-1) : (focus == .lab ? selectParameter(-1) : scroll(by: -1))
        case .pageDown: scroll(by: max(1, lessonViewHeight - 2))
        case .pageUp: scroll(by: -max(1, lessonViewHeight - 2))
        case .scrollTop: lessonScroll = 0
        case .scrollBottom: lessonScroll = maxScroll
        case .focusNext: moveFocus(1)
        case .focusPrevious: moveFocus(-1)
        case .activate:
            if focus == .sidebar { openLessonUnderCursor() }
        case .toggleTraining:
            guard let lab = source.lab else { return noLab() }
            source.setTraining(lab.phase != .running)
        case .stepOnce:
            guard let lab = source.lab else { return noLab() }
            if lab.phase == .running { source.setTraining(false) }
            source.stepOnce()
        case .resetLab:
            guard source.lab != nil else { return noLab() }
            source.resetLab()
            message = ("lab reset", false)
        case .previousParameter: selectParameter(-1)
        case .nextParameter: selectParameter(1)
        case .increaseParameter, .decreaseParameter:
            guard !parameters.isEmpty else { return noLab() }
            let name = parameters[min(selectedParameter, parameters.count - 1)].name
            let note = source.adjustParameter(named: name, bySteps: action == .increaseParameter ? 1 : -1)
            message = note.map { ($0, false) }
        case .nextPanels: panelPage = min(panelPage + 1, panelPageCount - 1)
        case .previousPanels: panelPage = max(0, panelPage - 1)
        case .openCommandLine:
            isEditingCommand = true
            commandLine.begin()
        case .toggleHelp: showsHelp.toggle()
        case .closeOverlay:
            showsHelp = false
            message = nil
        case .quit: wantsToQuit = true
        }
    }

    private func noLab() { message = ("this page has no lab", false) }

    private func editCommand(_ key: Key) {
        switch key {
        case .character(let c): commandLine.insert(c)
        case .backspace:
            if !commandLine.backspace() { isEditingCommand = false }
        case .left: commandLine.moveLeft()
        case .right: commandLine.moveRight()
        case .home, .control("a"): commandLine.moveHome()
        case .end, .control("e"): commandLine.moveEnd()
        case .up: commandLine.historyUp()
        case .down: commandLine.historyDown()
        case .tab:
            let found = commandLine.complete(using: source.completions(for:))
            if found.isEmpty { message = ("no completion", true) }
            else if found.count > 1 { message = (found.joined(separator: "  "), false) }
        case .escape, .control("c"):
            isEditingCommand = false
            commandLine.begin()
        case .enter:
            isEditingCommand = false
            run(command: commandLine.submit())
        default: break
        }
    }

    /// Runs a command line (as if typed after `:`).
    public func run(command: String) {
        guard !command.isEmpty else { return }
        if command == "q" || command == "quit" {
            wantsToQuit = true
            return
        }
        let outcome = source.execute(command: command)
        message = outcome.message.isEmpty ? nil : (outcome.message, outcome.isError)
        if outcome.quits { wantsToQuit = true }
    }

    private func handle(_ mouse: MouseEvent) {
        switch mouse.kind {
        case .wheelUp: scroll(by: -3)
        case .wheelDown: scroll(by: 3)
        case .press:
            guard let layout = lastLayout else { return }
            if contains(layout.parameters, mouse.x, mouse.y) {
                let row = mouse.y - layout.parameters.y - 1
                let count = source.lab?.parameters.count ?? 0
                if row >= 0 && row < count { selectedParameter = row }
                focus = .lab
            } else if let hit = sidebarRows.first(where: { $0.y == mouse.y }), isSidebarVisible(layout),
                      contains(layout.sidebar, mouse.x, mouse.y) {
                source.openLesson(id: hit.lessonID)
                sidebarCursor = Self.flatLessons(source.outline).firstIndex { $0.id == hit.lessonID } ?? sidebarCursor
            } else if contains(layout.lesson, mouse.x, mouse.y) {
                focus = .lesson
            }
        }
    }

    private func contains(_ rect: Rect, _ x: Int, _ y: Int) -> Bool {
        x >= rect.x && x < rect.maxX && y >= rect.y && y < rect.maxY
    }

    private func moveFocus(_ delta: Int) {
        var order = Focus.allCases
        if source.lab == nil { order.removeAll { $0 == .lab } }
        let index = order.firstIndex(of: focus) ?? 0
        focus = order[(index + delta + order.count) % order.count]
        if focus == .sidebar {
            sidebarCursor = Self.flatLessons(source.outline).firstIndex { $0.isCurrent } ?? sidebarCursor
        }
    }

    private func moveSidebar(_ delta: Int) {
        let count = Self.flatLessons(source.outline).count
        guard count > 0 else { return }
        sidebarCursor = min(count - 1, max(0, sidebarCursor + delta))
    }

    private func openLessonUnderCursor() {
        let lessons = Self.flatLessons(source.outline)
        guard lessons.indices.contains(sidebarCursor) else { return }
        source.openLesson(id: lessons[sidebarCursor].id)
        focus = .lesson
    }

    private func selectParameter(_ delta: Int) {
        let count = source.lab?.parameters.count ?? 0
        guard count > 0 else { return noLab() }
        selectedParameter = (selectedParameter + delta + count) % count
    }

    private var maxScroll: Int { max(0, lessonLineCount - lessonViewHeight) }

    private func scroll(by delta: Int) {
        lessonScroll = min(maxScroll, max(0, lessonScroll + delta))
    }

    static func flatLessons(_ outline: [OutlineChapter]) -> [OutlineLesson] { outline.flatMap(\.lessons) }

    func isSidebarVisible(_ layout: ScreenLayout) -> Bool { layout.mode == .wide || focus == .sidebar }

    // MARK: Rendering

    /// Draws the whole screen into a new Canvas of the given size.
    public func render(width: Int, height: Int, capabilities: RenderCapabilities) -> Canvas {
        var canvas = Canvas(width: width, height: height)
        render(into: &canvas, capabilities: capabilities)
        return canvas
    }

    /// Draws the whole screen into `canvas` (which it first clears).
    public func render(into canvas: inout Canvas, capabilities: RenderCapabilities) {
        defer { renderedFrames += 1 }
        canvas.fill(canvas.bounds)
        let lab = source.lab
        let outline = source.outline
        let longestTitle = Self.flatLessons(outline).map(\.title.count).max() ?? 0
        var layout = ScreenLayout.compute(width: canvas.width, height: canvas.height, hasLab: lab != nil,
                                          parameterCount: lab?.parameters.count ?? 0, longestTitle: longestTitle,
                                          labFocused: focus == .lab)
        if !layout.readout.isEmpty {
            // The readout takes the rows its numbers need (two at most, three when the numbers
            // the page names need them), the panels the rest; nothing measured yet gives the
            // panels its row. Stacked, extra rows come from the lesson, since the panels are at
            // their smallest readable height already.
            let readout = lab?.readout ?? []
            let namedThrough = readout.lastIndex(where: \.named).map { readout[...$0] } ?? []
            // Measured with room for the "+N more" count that may follow the last of them.
            let namedRows = namedThrough.isEmpty ? 0 : ReadoutView.height(of: namedThrough + [MetricReading(name: "+99", value: "more")],
                                                                            width: layout.readout.width, maxRows: 3)
            let rows = ReadoutView.height(of: readout, width: layout.readout.width, maxRows: max(2, namedRows))
            var top = layout.readout.y
            if layout.mode == .narrow && rows > 1 {
                top -= rows - 1
                layout.lesson = Rect(x: layout.lesson.x, y: layout.lesson.y, width: layout.lesson.width,
                                     height: layout.lesson.height - (rows - 1))
            }
            layout.readout = Rect(x: layout.readout.x, y: top, width: layout.readout.width, height: rows)
            layout.panels = Rect(x: layout.panels.x, y: top + rows, width: layout.panels.width,
                                 height: layout.panels.maxY - top - rows)
        }
        lastLayout = layout
        guard layout.mode != .tooSmall else {
            TooSmallView.draw(into: &canvas, capabilities: capabilities)
            return
        }
        let page = source.page
        if page != scrolledPage {
            if scrolledPage?.lessonTitle != page.lessonTitle || scrolledPage?.index != page.index {
                // A new page starts at its top, with its first panels, and the last page's
                // message (a quiz verdict, "lab complete") stays behind with it.
                lessonScroll = 0
                panelPage = 0
                if scrolledPage != nil, messageFrame < renderedFrames { message = nil }
            }
            scrolledPage = page
        }
        if let lab, !lab.parameters.isEmpty { selectedParameter = min(selectedParameter, lab.parameters.count - 1) }

        HeaderView.draw(into: &canvas, in: layout.header, title: source.courseTitle, page: page,
                        notice: source.notice, capabilities: capabilities)
        let lessonResult = LessonView.draw(into: &canvas, in: layout.lesson, page: page, scroll: lessonScroll,
                                           focused: focus == .lesson, capabilities: capabilities, cache: lessonCache)
        lessonLineCount = lessonResult.lineCount
        lessonViewHeight = lessonResult.visibleHeight
        lessonScroll = min(lessonScroll, maxScroll)
        if let lab {
            panelPageCount = LabView.draw(into: &canvas, in: layout.panels, title: lab.title, panels: source.labPanels(),
                                          page: panelPage, focused: focus == .lab, capabilities: capabilities)
            panelPage = min(panelPage, panelPageCount - 1)
            ReadoutView.draw(into: &canvas, in: layout.readout, readings: lab.readout, capabilities: capabilities)
            ParameterView.draw(into: &canvas, in: layout.parameters, parameters: lab.parameters,
                               selected: selectedParameter, focused: focus == .lab, capabilities: capabilities)
        }
        if isSidebarVisible(layout) {
            sidebarRows = SidebarView.draw(into: &canvas, in: layout.sidebar, outline: outline,
                                           cursor: focus == .sidebar ? sidebarCursor : nil,
                                           focused: focus == .sidebar, capabilities: capabilities)
        } else {
            sidebarRows = []
        }
        if let latest = source.takeMessages().last {
            message = (latest.message, latest.isError)
            messageShownAt = .now
        }
        // A note belongs to its moment: after a while it gives its row back (errors stay until
        // the next key, so none is missed).
        if let shown = message, !shown.isError, !shown.text.contains("\n"), ContinuousClock.now - messageShownAt > Self.noteLifetime {
            message = nil
        }
        if isEditingCommand {
            CommandLineView.draw(into: &canvas, in: layout.message, editor: commandLine, capabilities: capabilities)
        } else if let question = source.pendingQuestion {
            MessageView.draw(into: &canvas, in: layout.message, text: question, isError: false, capabilities: capabilities)
        } else if let message, !message.text.contains("\n") {
            MessageView.draw(into: &canvas, in: layout.message, text: message.text, isError: message.isError,
                             capabilities: capabilities)
        }
        StatusLineView.draw(into: &canvas, in: layout.status, lab: lab, focus: focus,
                            capabilities: capabilities)
        if let message, message.text.contains("\n"), !isEditingCommand {
            LongMessageView.draw(into: &canvas, text: message.text, capabilities: capabilities)
        }
        if showsHelp { HelpOverlay.draw(into: &canvas, capabilities: capabilities) }
    }
}
