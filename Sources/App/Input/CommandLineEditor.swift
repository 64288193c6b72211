import Foundation

/// The `:` prompt: an editable line with history (up/down) and tab completion.
///
/// Plain state, no terminal: the screen feeds it keys and draws `text` and `cursor`.
public struct CommandLineEditor: Sendable {
    public private(set) var text = ""
    /// Cursor position in characters, 0...text.count.
    public private(set) var cursor = 0
    /// Earlier commands, oldest first.
    public private(set) var history: [String] = []
    /// Which history entry is shown while browsing; nil when editing a new line.
    private var historyIndex: Int?
    /// The line being typed before browsing started, restored when browsing passes the newest.
    private var draft = ""
    /// Completions cycling on repeated Tab: the candidates and which one is shown.
    private var cycle: (candidates: [String], index: Int)?
    public let historyLimit: Int

    public init(historyLimit: Int = 100) { self.historyLimit = historyLimit }

    /// Starts a fresh line (history is kept).
    public mutating func begin() {
        text = ""; cursor = 0; historyIndex = nil; draft = ""; cycle = nil
    }

    public mutating func insert(_ character: Character) {
        var characters = Array(text)
        characters.insert(character, at: cursor)
        text = String(characters)
        cursor += 1
        historyIndex = nil; cycle = nil
    }

    /// Deletes the character before the cursor; returns false when the line was already empty
    /// (the screen then closes the prompt, as vim does).
    @discardableResult
    public mutating func backspace() -> Bool {
        guard !text.isEmpty else { return false }
        guard cursor > 0 else { return true }
        var characters = Array(text)
        characters.remove(at: cursor - 1)
        text = String(characters)
        cursor -= 1
        cycle = nil
        return true
    }

    public mutating func moveLeft() { cursor = max(0, cursor - 1) }
    public mutating func moveRight() { cursor = min(text.count, cursor + 1) }
    public mutating func moveHome() { cursor = 0 }
    public mutating func moveEnd() { cursor = text.count }

    /// Shows the previous (older) history entry.
    public mutating func historyUp() {
        guard !history.isEmpty else { return }
        let next: Int
        if let index = historyIndex { next = max(0, index - 1) } else { draft = text; next = history.count - 1 }
        historyIndex = next
        setText(history[next])
    }

    /// Shows the next (newer) history entry, or the draft after the newest.
    public mutating func historyDown() {
        guard let index = historyIndex else { return }
        if index + 1 < history.count {
            historyIndex = index + 1
            setText(history[index + 1])
        } else {
            historyIndex = nil
            setText(draft)
        }
    }

    /// Tab: with one candidate, takes it; with several, first extends the line to their common
    /// prefix, and once nothing is left to extend, cycles through them. Returns the candidates
    /// (for the screen to list), empty when nothing matches.
    @discardableResult
    public mutating func complete(using candidates: (String) -> [String]) -> [String] {
        if var active = cycle {
            active.index = (active.index + 1) % active.candidates.count
            cycle = active
            setText(active.candidates[active.index], keepCycle: true)
            return active.candidates
        }
        let found = candidates(text)
        guard !found.isEmpty else { return [] }
        if found.count == 1 {
            setText(found[0])
            return found
        }
        let prefix = Self.commonPrefix(found)
        if prefix.count > text.count {
            setText(prefix)
        } else {
            cycle = (found, 0)
            setText(found[0], keepCycle: true)
        }
        return found
    }

    /// Enter: returns the line (trimmed) and records it in history, unless blank or a repeat
    /// of the newest entry.
    public mutating func submit() -> String {
        let line = text.trimmingCharacters(in: .whitespaces)
        if !line.isEmpty && history.last != line {
            history.append(line)
            if history.count > historyLimit { history.removeFirst(history.count - historyLimit) }
        }
        begin()
        return line
    }

    private mutating func setText(_ new: String, keepCycle: Bool = false) {
        text = new
        cursor = new.count
        if !keepCycle { cycle = nil }
    }

    static func commonPrefix(_ strings: [String]) -> String {
        guard var prefix = strings.first.map(Array.init) else { return "" }
        for string in strings.dropFirst() {
            let characters = Array(string)
            var length = 0
            while length < prefix.count && length < characters.count && prefix[length] == characters[length] { length += 1 }
            prefix = Array(prefix[..<length])
        }
        return String(prefix)
    }
}
