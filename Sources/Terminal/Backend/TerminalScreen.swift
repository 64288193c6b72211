#if canImport(Glibc)
import Glibc
#endif
import CNcursesw
import TextPlot

/// Why the screen could not open.
public enum TerminalError: Error, CustomStringConvertible, Equatable {
    case notATerminal
    case cannotOpen(term: String)

    public var description: String {
        switch self {
        case .notATerminal:
            return "mlcourse needs an interactive terminal (stdin and stdout must be a tty); use `mlcourse run` for headless training."
        case .cannotOpen(let term):
            return "cannot draw a screen on this terminal (TERM=\(term)); try TERM=xterm-256color."
        }
    }
}

/// The ncurses backend: it presents Canvases and reads input. Nothing else in the program
/// touches ncurses, and only the thread that called `start()` may use it.
///
/// Presenting writes only the cells that changed since the last frame (`FrameDiff`), then
/// `wnoutrefresh` + one `doupdate`; the screen is erased only when the size changes.
public final class TerminalScreen {
    public private(set) var capabilities = TerminalCapabilities.plain
    private var previous: Canvas?
    private var pairs = ColorPairCache(capacity: 1)
    private var screen: OpaquePointer?
    private var window: UnsafeMutablePointer<WINDOW>? { mlc_stdscr() }
    /// Cells written by the last `present`, for the status line's curiosity and for tests.
    public private(set) var lastWrittenCells = 0

    public init() {}

    /// True when both stdin and stdout are terminals.
    public static var isInteractive: Bool { isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 }

    /// The terminal's size in cells.
    public var size: (width: Int, height: Int) { (Int(mlc_cols()), Int(mlc_lines())) }

    /// Opens the screen: locale, raw-ish input, keypad, mouse, colours, signal handlers.
    /// `onFatal` is the app's best-effort save for a crash (see `SignalGuard`).
    public func start(onFatal: (() -> Void)? = nil) throws {
        guard Self.isInteractive else { throw TerminalError.notATerminal }
        setlocale(LC_ALL, "")
        // A short Esc delay: Esc alone must feel instant, yet arrow sequences still decode.
        setenv("ESCDELAY", "25", 0)
        guard let opened = mlc_newterm() else {
            throw TerminalError.cannotOpen(term: getenv("TERM").map { String(cString: $0) } ?? "unset")
        }
        screen = opened
        guard mlc_can_address_cursor() != 0 else {
            stop()
            throw TerminalError.cannotOpen(term: getenv("TERM").map { String(cString: $0) } ?? "unset")
        }
        set_escdelay(25)
        cbreak()
        noecho()
        nonl()
        keypad(window, true)
        curs_set(0)
        leaveok(window, true)
        mousemask(mlc_button1_pressed() | mlc_wheel_up() | mlc_wheel_down(), nil)
        mouseinterval(0)
        var environment: [String: String] = [:]
        if let value = getenv("NO_COLOR") { environment["NO_COLOR"] = String(cString: value) }
        let hasColors = has_colors()
        if hasColors {
            start_color()
            use_default_colors()
        }
        capabilities = TerminalCapabilities.detect(localeIsUTF8: mlc_locale_is_utf8() != 0, hasColors: hasColors,
                                                   colors: Int(mlc_colors()), environment: environment)
        pairs = ColorPairCache(capacity: hasColors ? Int(mlc_color_pairs()) : 1)
        previous = nil
        SignalGuard.install(onFatal: onFatal)
    }

    /// Restores the terminal as it was. Safe to call twice.
    public func stop() {
        guard let opened = screen else { return }
        endwin()
        delscreen(opened)
        screen = nil
        SignalGuard.uninstall()
    }

    deinit { stop() }

    /// The next input event, waiting at most `timeoutMilliseconds` (0: do not wait).
    public func readEvent(timeoutMilliseconds: Int) -> InputEvent? {
        if SignalGuard.takeInterrupt() != nil { return .interrupt }
        wtimeout(window, Int32(timeoutMilliseconds))
        var value: wint_t = 0
        let status = wget_wch(window, &value)
        if SignalGuard.takeInterrupt() != nil { return .interrupt }
        switch status {
        case OK:
            return KeyDecoder.decode(character: UInt32(value)).map { .key($0) }
        case KEY_CODE_YES:
            let code = Int32(value)
            if code == KEY_RESIZE {
                previous = nil
                return .resize(width: size.width, height: size.height)
            }
            if code == KEY_MOUSE { return readMouse() }
            return KeyDecoder.decode(keyCode: code).map { .key($0) }
        default:
            return nil
        }
    }

    private func readMouse() -> InputEvent? {
        var event = MEVENT()
        guard getmouse(&event) == OK else { return nil }
        let kind: MouseEvent.Kind
        if event.bstate & mlc_wheel_up() != 0 { kind = .wheelUp }
        else if mlc_wheel_down() != 0 && event.bstate & mlc_wheel_down() != 0 { kind = .wheelDown }
        else if event.bstate & mlc_button1_pressed() != 0 { kind = .press }
        else { return nil }
        return .mouse(MouseEvent(x: Int(event.x), y: Int(event.y), kind: kind))
    }

    /// Forgets the previous frame, so the next `present` redraws everything.
    public func invalidate() { previous = nil }

    /// Shows `canvas`, writing only what changed since the previous frame.
    public func present(_ canvas: Canvas) {
        guard screen != nil else { return }
        if previous == nil || previous?.width != canvas.width || previous?.height != canvas.height {
            werase(window)
            previous = nil
        }
        if !write(FrameDiff.runs(from: previous, to: canvas), allowPairReset: true) {
            // Colour pairs ran out mid-frame: start afresh with an empty pair table.
            pairs.removeAll()
            werase(window)
            _ = write(FrameDiff.runs(from: nil, to: canvas), allowPairReset: false)
        }
        previous = canvas
        wnoutrefresh(window)
        doupdate()
    }

    /// Writes the runs; returns false (having stopped) when pairs ran out and a reset is allowed.
    private func write(_ runs: [CellRun], allowPairReset: Bool) -> Bool {
        var buffer: [cchar_t] = []
        var written = 0
        let maxX = Int(mlc_cols()), maxY = Int(mlc_lines())
        for run in runs where run.y < maxY && run.x < maxX {
            buffer.removeAll(keepingCapacity: true)
            for cell in run.cells.prefix(maxX - run.x) {
                guard let pair = pairNumber(for: cell.style) else {
                    if allowPairReset { return false }
                    buffer.append(makeCell(cell, pair: 0))
                    continue
                }
                buffer.append(makeCell(cell, pair: pair))
            }
            written += buffer.count
            buffer.withUnsafeBufferPointer { cells in
                _ = mvwadd_wchnstr(window, Int32(run.y), Int32(run.x), cells.baseAddress, Int32(cells.count))
            }
        }
        lastWrittenCells = written
        return true
    }

    private func makeCell(_ cell: Cell, pair: Int) -> cchar_t {
        var result = cchar_t()
        var scalar = cell.character.unicodeScalars.first?.value ?? 32
        if !capabilities.unicode && scalar > 126 { scalar = 63 }  // '?' rather than mojibake
        _ = mlc_set_cell(&result, wchar_t(bitPattern: scalar), attributes(cell.style.attributes), Int32(pair))
        return result
    }

    /// The pair for a style, defining it on first use; nil when the table is full.
    private func pairNumber(for style: CellStyle) -> Int? {
        let depth = capabilities.colorDepth
        guard depth != .none else { return 0 }
        let key = ColorPairKey(foreground: depth.reduce(style.foreground), background: depth.reduce(style.background))
        switch pairs.lookup(key) {
        case .existing(let number): return number
        case .new(let number):
            init_extended_pair(Int32(number), colorNumber(key.foreground), colorNumber(key.background))
            return number
        case .full: return nil
        }
    }

    private func colorNumber(_ color: TerminalColor) -> Int32 {
        switch color {
        case .default: return -1
        case .indexed(let index): return Int32(index)
        }
    }

    private func attributes(_ attributes: CellAttributes) -> attr_t {
        var result: attr_t = 0
        if attributes.contains(.bold) { result |= mlc_attr_bold() }
        if attributes.contains(.dim) { result |= mlc_attr_dim() }
        if attributes.contains(.italic) { result |= mlc_attr_italic() }
        if attributes.contains(.underline) { result |= mlc_attr_underline() }
        if attributes.contains(.reverse) { result |= mlc_attr_reverse() }
        return result
    }
}
