import Terminal
import TextPlot

/// What the frame loop needs from a terminal: input, a size, and a way to show a Canvas.
/// `TerminalScreen` is the real one; tests drive the loop with a scripted one.
public protocol ScreenDevice: AnyObject {
    /// The size in cells.
    var size: (width: Int, height: Int) { get }
    /// What the widgets may draw with.
    var renderCapabilities: RenderCapabilities { get }
    /// The next event, waiting at most `timeoutMilliseconds`.
    func readEvent(timeoutMilliseconds: Int) -> InputEvent?
    /// Shows a frame.
    func present(_ canvas: Canvas)
    /// Forgets the previous frame so the next one is drawn in full (after a resize).
    func invalidate()
}

extension TerminalScreen: ScreenDevice {
    public var renderCapabilities: RenderCapabilities { RenderCapabilities(capabilities) }
}
