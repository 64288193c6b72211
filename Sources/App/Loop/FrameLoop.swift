import Terminal
import TextPlot

/// Runs the course screen on the real terminal at about 30 frames a second.
///
/// Each frame: read input (waiting only while nothing trains), apply it, let the lab train until
/// the frame's budget is spent, ask for panels, lay out, present (only changed cells reach the
/// terminal). A key is therefore acted on within one frame even while a lab trains.
public struct FrameLoop {
    public var framesPerSecond: Int

    public init(framesPerSecond: Int = 30) { self.framesPerSecond = framesPerSecond }

    /// Opens the terminal, runs until the learner quits (or SIGINT/SIGTERM), saves progress,
    /// and restores the terminal. Throws `TerminalError` when there is no usable terminal.
    public func run(_ source: CourseScreenSource) throws {
        let terminal = TerminalScreen()
        try terminal.start(onFatal: { source.saveProgress() })
        defer { terminal.stop() }
        run(CourseScreen(source: source), on: terminal)
    }

    /// Runs `screen` on `device` until it wants to quit, then saves progress. The device must be
    /// open already; tests pass a scripted one.
    public func run(_ screen: CourseScreen, on terminal: ScreenDevice, maxFrames: Int? = nil) {
        let source = screen.source
        let clock = ContinuousClock()
        let frame = Duration.milliseconds(1000 / max(1, framesPerSecond))
        var canvas = Canvas(width: 0, height: 0)
        var renderCost = Duration.milliseconds(2)

        var frames = 0
        var slotEnd = clock.now
        while !screen.wantsToQuit {
            if let maxFrames, frames >= maxFrames { break }
            frames += 1
            // Input: drain what is waiting. Not training: wait up to a frame for a key. Training:
            // wait only for what is left of the last frame's slot, so a lab that took its steps
            // early (a paced lab) does not spin the CPU, and a key still ends the wait at once.
            let training = source.lab?.phase == .running
            let waitUntil = training ? slotEnd : clock.now + frame
            var wait = max(training ? 0 : 1, Int((waitUntil - clock.now) / .milliseconds(1)))
            while let event = terminal.readEvent(timeoutMilliseconds: wait) {
                if case .resize = event { terminal.invalidate() }
                let before = screen.pagePosition
                screen.handle(event)
                wait = 0
                if screen.wantsToQuit { break }
                // A page turn is drawn before the next key is read: keys typed ahead wait in the
                // terminal's queue (none is lost) and each page shows as it is reached.
                if screen.pagePosition != before { break }
            }
            if screen.wantsToQuit { break }
            let deadline = clock.now + frame
            slotEnd = deadline
            // Train with what is left of the frame, keeping room for drawing it.
            if source.lab?.phase == .running {
                source.train(until: deadline - renderCost)
            }
            let renderStart = clock.now
            let (width, height) = terminal.size
            if canvas.width != width || canvas.height != height { canvas = Canvas(width: width, height: height) }
            screen.render(into: &canvas, capabilities: terminal.renderCapabilities)
            terminal.present(canvas)
            renderCost = clock.now - renderStart
        }
        source.willQuit()
        source.saveProgress()
    }
}

extension RenderCapabilities {
    /// What the widgets may use, from what the terminal reported.
    public init(_ terminal: TerminalCapabilities) {
        let colors: ColorSupport = switch terminal.colorDepth {
        case .full256: .indexed256
        case .basic8, .basic16: .basic8
        case .none: .none
        }
        self.init(unicode: terminal.unicode, colors: colors)
    }
}
