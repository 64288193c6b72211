/// A key the learner pressed, decoded from ncurses' key codes.
public enum Key: Hashable, Sendable {
    /// A printable character (letters, digits, punctuation, space, any Unicode).
    case character(Character)
    /// Ctrl plus a letter, given as the lowercase letter (Ctrl-A is `.control("a")`).
    case control(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, escape, tab, backtab, backspace, delete
    /// F1...F12.
    case function(Int)
}

/// A mouse action: where (column, row) and what.
public struct MouseEvent: Hashable, Sendable {
    public enum Kind: Hashable, Sendable { case press, wheelUp, wheelDown }
    public var x: Int, y: Int
    public var kind: Kind
    public init(x: Int, y: Int, kind: Kind) { self.x = x; self.y = y; self.kind = kind }
}

/// Everything the frame loop may receive from the terminal.
public enum InputEvent: Hashable, Sendable {
    case key(Key)
    case mouse(MouseEvent)
    /// The terminal changed size; lay out again at once.
    case resize(width: Int, height: Int)
    /// SIGINT or SIGTERM arrived: save and leave.
    case interrupt
}
