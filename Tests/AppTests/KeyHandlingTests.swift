import Foundation
import Terminal
import Testing
import TextPlot
@testable import App

@Suite("Key handling")
struct KeyHandlingTests {
    let demo = DemoCourse()
    var screen: CourseScreen { CourseScreen(source: demo) }

    func parameter(_ name: String) -> String? { demo.lab?.parameters.first { $0.name == name }?.value }

    @Test("n and p turn pages, across lessons")
    func pages() {
        let screen = self.screen
        #expect(demo.page.index == 0)
        screen.press(.character("n"))
        #expect(demo.page.index == 1 && demo.page.pageTitle == "Hyperparameters")
        screen.press(.character("n"), .character("n"))
        #expect(demo.page.lessonTitle == "Keys and commands" && demo.page.index == 0)
        #expect(demo.outline[0].lessons[0].isComplete)                    // finishing a lesson marks it
        screen.press(.character("p"))
        #expect(demo.page.lessonTitle == "Widgets tour" && demo.page.index == 2)
        #expect(screen.frame(120, 40).contains("Code blocks"))
    }

    @Test("] selects the next hyperparameter, + raises it, - lowers it, within its range")
    func hyperparameters() {
        let screen = self.screen
        #expect(screen.selectedParameter == 0)
        screen.press(.character("]"))
        #expect(screen.selectedParameter == 1)                            // noise
        #expect(parameter("noise") == "0.2")
        screen.press(.character("+"))
        #expect(parameter("noise") == "0.25")
        screen.press(.character("-"), .character("-"))
        #expect(parameter("noise") == "0.15")
        for _ in 0..<40 { screen.press(.character("+")) }
        #expect(parameter("noise") == "1")                                // clamped at the top of 0 ... 1
        screen.press(.character("["), .character("["))
        #expect(screen.selectedParameter == 3)                            // wraps round to the last
        // The selected one is highlighted with its value, range and help.
        let canvas = screen.frame(120, 40)
        #expect(canvas.contains("▶ points"))
        #expect(canvas.contains("50 ... 2000"))
        #expect(canvas.contains("points: how many scatter points"))
    }

    @Test("space trains and pauses, s steps once, r resets")
    func training() {
        let screen = self.screen
        screen.press(.character(" "))
        #expect(demo.lab?.phase == .running)
        demo.train(until: ContinuousClock.now + .milliseconds(20))
        let trained = demo.lab?.step ?? 0
        #expect(trained > 0)
        #expect(screen.frame(120, 40).contains("TRAINING"))
        screen.press(.character("s"))                                     // pauses, then one step
        #expect(demo.lab?.phase == .paused && demo.lab?.step == trained + 1)
        screen.press(.character("r"))
        #expect(demo.lab?.step == 0)
    }

    @Test("too large a learning rate diverges and the status line says so")
    func divergence() {
        let screen = self.screen
        #expect(demo.execute(command: "set lr 2.5").isError == false)
        for _ in 0..<400 { demo.stepOnce() }
        guard case .diverged(let why)? = demo.lab?.phase else { Issue.record("did not diverge"); return }
        #expect(why.contains("lr"))
        #expect(screen.frame(120, 40).contains("DIVERGED"))
    }

    @Test(": help Enter runs the command and shows its result")
    func commandLine() {
        let screen = self.screen
        screen.press(.character(":"))
        #expect(screen.isEditingCommand)
        screen.type("help")
        #expect(screen.frame(120, 40).lines[38].hasPrefix(":help"))
        screen.press(.enter)
        #expect(!screen.isEditingCommand)
        #expect(screen.message?.text.hasPrefix("commands:") == true)
        #expect(screen.frame(120, 40).contains("commands: help, set"))
        // A bad command gives a readable error, not a crash.
        screen.press(.character(":")); screen.type("set noise 7"); screen.press(.enter)
        #expect(screen.message?.isError == true)
        #expect(screen.message?.text.contains("0 ... 1") == true)
        // Typed keys go to the prompt, not to the key bindings: q here does not quit.
        screen.press(.character(":")); screen.type("q"); screen.press(.escape)
        #expect(!screen.wantsToQuit && !screen.isEditingCommand)
    }

    @Test("the prompt recalls history and completes with Tab")
    func historyAndCompletion() {
        let screen = self.screen
        screen.press(.character(":")); screen.type("set noise 0.5"); screen.press(.enter)
        screen.press(.character(":")); screen.type("step 3"); screen.press(.enter)
        #expect(parameter("noise") == "0.5" && demo.lab?.step == 3)
        screen.press(.character(":"), .up)
        #expect(screen.commandLine.text == "step 3")
        screen.press(.up)
        #expect(screen.commandLine.text == "set noise 0.5")
        screen.press(.down, .down)
        #expect(screen.commandLine.text == "")
        screen.type("se"); screen.press(.tab)
        #expect(screen.commandLine.text == "set ")
        screen.type("sp"); screen.press(.tab)
        #expect(screen.commandLine.text == "set speed ")
    }

    @Test("? shows the help overlay listing every key; any key closes it")
    func help() {
        let screen = self.screen
        screen.press(.character("?"))
        #expect(screen.showsHelp)
        let canvas = screen.frame(120, 40)
        #expect(canvas.contains("Keys (any key closes)"))
        for binding in KeyBindings.all { #expect(canvas.contains(binding.help), "help misses \(binding.label)") }
        // At the minimum size the list flows into two columns: every key is still there.
        var small = Canvas(width: 60, height: 20)
        HelpOverlay.draw(into: &small, capabilities: .full)
        for binding in KeyBindings.all {
            #expect(small.lines.contains { $0.contains(" " + binding.label + " ") }, "small help misses \(binding.label)")
        }
        screen.press(.escape)
        #expect(!screen.showsHelp && !screen.frame(120, 40).contains("Keys (any key closes)"))
    }

    @Test("q, :quit and SIGINT all ask to quit")
    func quitting() {
        let a = CourseScreen(source: DemoCourse()); a.press(.character("q")); #expect(a.wantsToQuit)
        let b = CourseScreen(source: DemoCourse()); b.press(.character(":")); b.type("quit"); b.press(.enter); #expect(b.wantsToQuit)
        let c = CourseScreen(source: DemoCourse()); c.handle(.interrupt); #expect(c.wantsToQuit)
    }

    @Test("Tab cycles focus; in the sidebar j and Enter open the next lesson")
    func sidebar() {
        let screen = self.screen
        #expect(screen.focus == .lesson)
        screen.press(.tab)
        #expect(screen.focus == .lab)
        screen.press(.tab)
        #expect(screen.focus == .sidebar)
        screen.press(.character("j"), .enter)
        #expect(demo.page.lessonTitle == "Keys and commands")
        #expect(screen.focus == .lesson)
    }

    @Test("j scrolls the lesson, and a new page starts at the top")
    func scrolling() {
        let screen = self.screen
        screen.press(.character("n"), .character("n"))                    // the long page
        _ = screen.frame(70, 24)                                          // learn the page height
        screen.press(.character("j"), .character("j"), .character("j"))
        #expect(screen.lessonScroll == 3)
        screen.press(.end)
        let bottom = screen.lessonScroll
        #expect(bottom > 3)
        #expect(screen.frame(70, 24).contains("The end of the page."))
        screen.press(.character("n"))
        _ = screen.frame(70, 24)
        #expect(screen.lessonScroll == 0)
    }

    @Test("clicking a hyperparameter row selects it")
    func mouse() {
        let screen = self.screen
        let canvas = screen.frame(120, 40)
        guard let row = canvas.find("speed") else { Issue.record("no speed row"); return }
        screen.handle(.mouse(MouseEvent(x: row.x, y: row.y, kind: .press)))
        #expect(screen.selectedParameter == 2)
    }

    @Test("docs/keys.md names every key the screen binds")
    func keysDocumented() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/keys.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        for binding in KeyBindings.all { #expect(text.contains("| \(binding.label) |"), "docs/keys.md misses \(binding.label)") }
    }
}
