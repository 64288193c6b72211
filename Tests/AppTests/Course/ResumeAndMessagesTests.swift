import Course
import Foundation
import Labs
import Testing
import TextPlot
@testable import App

/// Issue 9, mechanisms 7 and 8: quitting and starting again brings the lab back; a message
/// belongs to its page and its moment, and long ones are read whole.
@Suite("Resume and messages")
struct ResumeAndMessagesTests {
    @Test("after quit and restart the page's lab is back at its step, from its autosave")
    func resumeBringsTheLabBack() throws {
        let home = SessionScreenSourceTests.temporaryHome()
        defer { try? FileManager.default.removeItem(at: home) }
        let folder = CheckpointFolder(folder: home.appendingPathComponent("checkpoints"))
        let neuronPage = try {
            let (session, _, _) = try SessionScreenSourceTests.course(home: home)
            return SessionScreenSourceTests.neuronPage(session, "Run it: both optimizers side by side")
        }()

        // First run: open the lab page, train 30 steps, change lr, quit.
        let (first, firstSource, _) = try SessionScreenSourceTests.course(home: home)
        try first.goto("neuron", page: neuronPage)
        try first.step(30)
        _ = try first.set("lr", "0.02")
        let trained = try #require(first.lab?.snapshot().tensors)
        let autosaver = SessionScreenSource(session: first, checkpoints: folder, stepsPerSecond: nil)
        autosaver.willQuit()
        autosaver.saveProgress()
        _ = firstSource

        // Second run, as `mlcourse` starts: same page, the lab at step 30 with the learner's lr.
        let (second, _, _) = try SessionScreenSourceTests.course(home: home)
        #expect(second.pageIndex == neuronPage - 1 && second.stepCount == 0)
        let source = SessionScreenSource(session: second, checkpoints: folder, stepsPerSecond: nil, resumesAutosave: true)
        #expect(second.stepCount == 30)
        #expect(second.pageIndex == neuronPage - 1)
        #expect(second.lab?.parameters[named: "lr"]?.value == .number(0.02))
        #expect(second.lab?.snapshot().tensors == trained)
        #expect(source.takeMessages().contains { $0.message.hasPrefix("resumed from neuron-autosave") })

        // An autosave from another lab's page is left alone.
        let (third, _, _) = try SessionScreenSourceTests.course(home: home)
        let prologue = third.lessons[0]
        third.goto(lessonAt: 0, page: try #require(prologue.pages.firstIndex { !$0.labBlocks.isEmpty }))
        _ = SessionScreenSource(session: third, checkpoints: folder, stepsPerSecond: nil, resumesAutosave: true)
        #expect(third.lab?.id == "knob" && third.stepCount == 0)
    }

    @Test("a quiz verdict stays on its page: the next page starts with a clean message line")
    func messagesBelongToTheirPage() throws {
        let (session, _, screen) = try SessionScreenSourceTests.course()
        let lesson = try #require(session.lessons.firstIndex { $0.pages.contains { !$0.quizzes.isEmpty } })
        let page = try #require(session.lessons[lesson].pages.firstIndex { !$0.quizzes.isEmpty })
        session.goto(lessonAt: lesson, page: page)
        _ = screen.frame(120, 40)
        screen.press(.character(":"))
        screen.type("answer certainly-not-this"); screen.press(.enter)
        _ = screen.frame(120, 40)
        #expect(screen.message?.text.hasPrefix("not quite") == true)
        screen.press(.character("n"))
        let next = screen.frame(120, 40)
        #expect(screen.message == nil, "\(next.lines[38])")
    }

    @Test("a long message wraps onto the rows above instead of being cut")
    func longMessagesWrap() {
        let text = "diverged at step 58 (the loss became NaN or infinite): learning rate 1.5 is too high for this problem; reset or lower it"
        var canvas = Canvas(width: 60, height: 10)
        MessageView.draw(into: &canvas, in: Rect(x: 0, y: 8, width: 60, height: 1), text: text, isError: true, capabilities: .asciiMono)
        let shown = canvas.lines.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
        #expect(shown == text)
        #expect(canvas.lines[8].contains("lower it"))                        // it ends on the message row
        #expect(MessageView.wrap("a bb ccc", width: 4) == ["a bb", "ccc"])
    }

    @Test("help and quit stay in the key hints at every width, while training too")
    func hintsKeepHelpAndQuit() {
        for width in [20, 40, 60, 80, 200] {
            for lab in [true, false] {
                let hints = StatusLineView.hints(lab: lab, width: width)
                #expect(hints.contains("? help") && hints.contains("q quit"))
                #expect(hints.count <= max(width, "? help  q quit ".count))
            }
        }
        var canvas = Canvas(width: 120, height: 1)
        let lab = LabScreenState(title: "t", phase: .diverged("learning rate 3 is too high for this problem; reset or lower it"),
                                 step: 12, stepsPerSecond: 240, parameters: [], changedSettings: ["lr 3 (page 0.01)"])
        StatusLineView.draw(into: &canvas, in: Rect(x: 0, y: 0, width: 120, height: 1), lab: lab, focus: .lab, capabilities: .asciiMono)
        #expect(canvas.text.contains("q quit") && canvas.text.contains("changed here: lr 3 (page 0.01)"))
    }
}
