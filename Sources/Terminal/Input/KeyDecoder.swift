import CNcursesw

/// Turns what `wget_wch` returns into `Key`s.
///
/// `wget_wch` gives either a character (`OK`) or a function-key code (`KEY_CODE_YES`). Both
/// tables live here as plain functions so they are tested without a terminal.
public enum KeyDecoder {
    /// A character `wget_wch` returned with `OK`. Control characters become their keys
    /// (Enter, Tab, Esc, Backspace, Ctrl-letter); others become `.character`.
    public static func decode(character value: UInt32) -> Key? {
        switch value {
        case 10, 13: return .enter
        case 9: return .tab
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .control(Character(UnicodeScalar(UInt8(value) + 96)))
        case 0, 28...31: return nil
        default:
            guard let scalar = UnicodeScalar(value) else { return nil }
            return .character(Character(scalar))
        }
    }

    /// A function-key code `wget_wch` returned with `KEY_CODE_YES`. `KEY_RESIZE` and
    /// `KEY_MOUSE` are not keys; the backend handles them before asking here.
    public static func decode(keyCode code: Int32) -> Key? {
        if let key = table[code] { return key }
        let f1 = mlc_key_f(1)
        if code >= f1 && code < f1 + 12 { return .function(Int(code - f1) + 1) }
        return nil
    }

    private static let table: [Int32: Key] = [
        KEY_UP: .up, KEY_DOWN: .down, KEY_LEFT: .left, KEY_RIGHT: .right,
        KEY_PPAGE: .pageUp, KEY_NPAGE: .pageDown, KEY_HOME: .home, KEY_END: .end,
        KEY_ENTER: .enter, KEY_BTAB: .backtab, KEY_BACKSPACE: .backspace, KEY_DC: .delete,
        // Keypad keys in application mode, as some terminals send them.
        KEY_A1: .home, KEY_C1: .end, KEY_A3: .pageUp, KEY_C3: .pageDown,
    ]
}
