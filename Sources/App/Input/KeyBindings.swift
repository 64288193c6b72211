import Terminal

/// What a key asks the screen to do.
public enum ScreenAction: Hashable, Sendable {
    case nextPage, previousPage
    case scrollDown, scrollUp, pageDown, pageUp, scrollTop, scrollBottom
    case focusNext, focusPrevious
    case activate
    case toggleTraining, stepOnce, resetLab
    case previousParameter, nextParameter, increaseParameter, decreaseParameter
    case nextPanels, previousPanels
    case openCommandLine, toggleHelp, closeOverlay, quit
}

/// One line of the key map: the keys, what they do, and how the help overlay names them.
public struct KeyBinding: Sendable {
    public var keys: [Key]
    public var action: ScreenAction
    /// The keys as the help overlay and docs/keys.md write them ("j / Down").
    public var label: String
    public var help: String
}

/// The screen's keys, in one table: the help overlay is drawn from it, so it cannot drift from
/// what the keys do. docs/keys.md mirrors it (a test checks every label appears there).
public enum KeyBindings {
    public static let all: [KeyBinding] = [
        KeyBinding(keys: [.character("n")], action: .nextPage, label: "n", help: "next page"),
        KeyBinding(keys: [.character("p")], action: .previousPage, label: "p", help: "previous page"),
        KeyBinding(keys: [.character("j"), .down], action: .scrollDown, label: "j / Down", help: "scroll down (sidebar: next lesson)"),
        KeyBinding(keys: [.character("k"), .up], action: .scrollUp, label: "k / Up", help: "scroll up (sidebar: previous lesson)"),
        KeyBinding(keys: [.pageDown, .control("d")], action: .pageDown, label: "PgDn / Ctrl-D", help: "scroll a screenful down"),
        KeyBinding(keys: [.pageUp, .control("u")], action: .pageUp, label: "PgUp / Ctrl-U", help: "scroll a screenful up"),
        KeyBinding(keys: [.home, .character("g")], action: .scrollTop, label: "Home / g", help: "top of the page"),
        KeyBinding(keys: [.end, .character("G")], action: .scrollBottom, label: "End / G", help: "bottom of the page"),
        KeyBinding(keys: [.tab], action: .focusNext, label: "Tab", help: "focus: sidebar, lesson, lab"),
        KeyBinding(keys: [.backtab], action: .focusPrevious, label: "Shift-Tab", help: "focus backwards"),
        KeyBinding(keys: [.enter], action: .activate, label: "Enter", help: "open the lesson under the cursor (sidebar)"),
        KeyBinding(keys: [.character(" ")], action: .toggleTraining, label: "Space", help: "train / pause"),
        KeyBinding(keys: [.character("s")], action: .stepOnce, label: "s", help: "one training step (pauses first)"),
        KeyBinding(keys: [.character("r")], action: .resetLab, label: "r", help: "reset the lab"),
        KeyBinding(keys: [.character("[")], action: .previousParameter, label: "[", help: "select the previous hyperparameter"),
        KeyBinding(keys: [.character("]")], action: .nextParameter, label: "]", help: "select the next hyperparameter"),
        KeyBinding(keys: [.character("+"), .character("=")], action: .increaseParameter, label: "+", help: "raise the selected hyperparameter"),
        KeyBinding(keys: [.character("-"), .character("_")], action: .decreaseParameter, label: "-", help: "lower the selected hyperparameter"),
        KeyBinding(keys: [.character(">")], action: .nextPanels, label: ">", help: "more panels (when not all fit)"),
        KeyBinding(keys: [.character("<")], action: .previousPanels, label: "<", help: "earlier panels"),
        KeyBinding(keys: [.character(":")], action: .openCommandLine, label: ":", help: "command line (Tab completes, Up/Down history)"),
        KeyBinding(keys: [.character("?"), .function(1)], action: .toggleHelp, label: "? / F1", help: "this help"),
        KeyBinding(keys: [.escape], action: .closeOverlay, label: "Esc", help: "close help / command line"),
        KeyBinding(keys: [.character("q"), .control("c")], action: .quit, label: "q", help: "save and quit"),
    ]

    private static let byKey: [Key: ScreenAction] = {
        var table: [Key: ScreenAction] = [:]
        for binding in all { for key in binding.keys { table[key] = binding.action } }
        return table
    }()

    /// The action bound to `key`, if any.
    public static func action(for key: Key) -> ScreenAction? { byKey[key] }
}
