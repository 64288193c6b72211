import Testing
@testable import App

@Suite("Command line editor")
struct CommandLineEditorTests {
    @Test("typing, cursor moves and backspace edit the line")
    func editing() {
        var editor = CommandLineEditor()
        for c in "stp" { editor.insert(c) }
        editor.moveLeft()
        editor.insert("e")
        #expect(editor.text == "step" && editor.cursor == 3)
        editor.moveEnd()
        let deleted = editor.backspace()
        #expect(deleted && editor.text == "ste")
        editor.moveHome()
        let atStart = editor.backspace()
        #expect(atStart && editor.text == "ste")                      // nothing before the cursor
        var empty = CommandLineEditor()
        let closes = !empty.backspace()
        #expect(closes)                                               // tells the screen to close the prompt
    }

    @Test("history keeps non-blank, non-repeated lines and browses back to the draft")
    func history() {
        var editor = CommandLineEditor(historyLimit: 3)
        for line in ["a", "b", "b", "  ", "c", "d"] {
            for ch in line { editor.insert(ch) }
            _ = editor.submit()
        }
        #expect(editor.history == ["b", "c", "d"])                    // repeat and blank skipped, limit 3
        editor.insert("x")
        editor.historyUp(); #expect(editor.text == "d")
        editor.historyUp(); editor.historyUp(); editor.historyUp()
        #expect(editor.text == "b")                                   // stops at the oldest
        editor.historyDown(); #expect(editor.text == "c")
        editor.historyDown(); editor.historyDown()
        #expect(editor.text == "x")                                   // the draft comes back
    }

    @Test("Tab: a single match completes, several extend to their common prefix, then cycle")
    func completion() {
        let words = ["step", "set", "stop", "reset"]
        let complete: (String) -> [String] = { partial in words.filter { $0.hasPrefix(partial) } }
        var editor = CommandLineEditor()
        editor.insert("r")
        #expect(editor.complete(using: complete) == ["reset"])
        #expect(editor.text == "reset")

        var several = CommandLineEditor()
        several.insert("s"); several.insert("t")
        #expect(several.complete(using: complete).count == 2)
        // "step" and "stop" share only the typed "st": nothing to extend, so Tab shows the first.
        #expect(several.text == "step")
        var cycling = CommandLineEditor()
        cycling.insert("s")
        _ = cycling.complete(using: complete)                         // "step", "set", "stop": prefix "s" -> cycle
        let first = cycling.text
        _ = cycling.complete(using: complete)
        #expect(first == "step" && cycling.text == "set")
        _ = cycling.complete(using: complete); _ = cycling.complete(using: complete)
        #expect(cycling.text == "step")                               // wrapped round
        var none = CommandLineEditor()
        none.insert("z")
        #expect(none.complete(using: complete).isEmpty && none.text == "z")
    }

    @Test("common prefix")
    func prefix() {
        #expect(CommandLineEditor.commonPrefix(["goto demo-a", "goto demo-b"]) == "goto demo-")
        #expect(CommandLineEditor.commonPrefix(["abc"]) == "abc")
        #expect(CommandLineEditor.commonPrefix([]) == "")
    }
}
