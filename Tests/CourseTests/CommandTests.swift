import Foundation
import Testing
@testable import Course

@Suite struct CommandParserTests {

    @Test func parsesEveryCommand() throws {
        #expect(try CommandParser.parse("help") == .help(command: nil))
        #expect(try CommandParser.parse("? set") == .help(command: "set"))
        #expect(try CommandParser.parse(":set lr 0.01") == .set(name: "lr", value: "0.01", force: false))
        #expect(try CommandParser.parse("set lr=0.01") == .set(name: "lr", value: "0.01", force: false))
        #expect(try CommandParser.parse("set lr = 0.01 --force") == .set(name: "lr", value: "0.01", force: true))
        #expect(try CommandParser.parse("train") == .train(steps: nil))
        #expect(try CommandParser.parse("  train 500 ") == .train(steps: 500))
        #expect(try CommandParser.parse("pause") == .pause)
        #expect(try CommandParser.parse("step") == .step(count: 1))
        #expect(try CommandParser.parse("step 10") == .step(count: 10))
        #expect(try CommandParser.parse("reset") == .reset(seed: nil))
        #expect(try CommandParser.parse("reset 7") == .reset(seed: 7))
        #expect(try CommandParser.parse("save") == .save(name: nil))
        #expect(try CommandParser.parse("save warm") == .save(name: "warm"))
        #expect(try CommandParser.parse("load warm") == .load(name: "warm"))
        #expect(try CommandParser.parse("checkpoints") == .checkpoints)
        #expect(try CommandParser.parse("replay warm") == .replay(name: "warm"))
        #expect(try CommandParser.parse("goto neuron") == .goto(lesson: "neuron", page: nil))
        #expect(try CommandParser.parse("goto 2/3") == .goto(lesson: "2", page: 3))
        #expect(try CommandParser.parse("goto one neuron/2") == .goto(lesson: "one neuron", page: 2))
        #expect(try CommandParser.parse("next") == .next)
        #expect(try CommandParser.parse("p") == .prev)
        #expect(try CommandParser.parse("answer  mean squared error ") == .answer("mean squared error"))
        #expect(try CommandParser.parse("glossary learning rate") == .glossary(term: "learning rate"))
        #expect(try CommandParser.parse("QUIT") == .quit)
    }

    @Test func errorsSayWhatIsWrong() {
        func message(_ line: String) -> String {
            do { _ = try CommandParser.parse(line); return "parsed" } catch { return error.description }
        }
        #expect(message("tarin") == "unknown command 'tarin'; did you mean 'train'?")
        #expect(message("xyzzy") == "unknown command 'xyzzy'; 'help' lists the commands")
        #expect(message("") == "type a command; 'help' lists them")
        #expect(message("set lr") == "give a name and a value; usage: set NAME VALUE [--force]")
        #expect(message("train fast") == "N must be a whole number above 0; got 'fast'; usage: train [N]")
        #expect(message("train 0") == "N must be a whole number above 0; got '0'; usage: train [N]")
        #expect(message("step 5000") == "step takes at most 1000 steps at once; use 'train 5000' for more; usage: step [N]")
        #expect(message("reset -1") == "SEED must be a whole number 0 or above; got '-1'; usage: reset [SEED]")
        #expect(message("goto neuron/x") == "PAGE must be a whole number above 0; got 'x'; usage: goto LESSON[/PAGE]")
        #expect(message("load") == "give a checkpoint name; usage: load NAME")
        #expect(message("pause now") == "'pause' takes no arguments; usage: pause")
    }
}

@Suite struct CommandExecutorTests {
    @Test func setReportsRangesAndConfirmsRestarts() throws {
        let session = try makeSession()
        let executor = CommandExecutor(session: session)
        #expect(executor.execute("set lr 1").kind == .error)      // no lab on the title page
        _ = executor.execute("next")
        let bad = executor.execute("set lr 50")
        #expect(bad == .init("lr must be between 0.001 and 10 (log scale); got 50", kind: .error))
        #expect(executor.execute("set lr 0.1").message == "lr = 0.1 from step 0")
        #expect(executor.execute("step 4").message == "took 4 steps; now at step 4")
        let question = executor.execute("set curvature 4")
        #expect(question.kind == .question)
        #expect(executor.execute("no").message == "kept curvature = 2")
        _ = executor.execute("set curvature 4")
        #expect(executor.execute("y").message == "curvature = 4; the lab restarted")
        #expect(session.stepCount == 0)
        // Any other line cancels the question and runs as a command.
        _ = executor.execute("step")
        _ = executor.execute("set curvature 8")
        #expect(executor.execute("pause").message == "kept curvature = 4; paused at step 1")
        #expect(executor.execute("set curvature 8 --force").message == "curvature = 8; the lab restarted")
    }

    @Test func trainingAndNavigationMessages() throws {
        let session = try makeSession()
        let executor = CommandExecutor(session: session)
        #expect(executor.execute("next").message == "chapter 1, Rolling downhill: page 2 of 3, The bowl")
        #expect(executor.execute("train 3").message == "training for 3 steps")
        session.advance(maxSteps: 10, until: .now + .seconds(10))
        #expect(session.stepCount == 3)
        #expect(executor.execute("reset 9").message == "the lab restarted at step 0 with seed 9")
        #expect(executor.execute("goto 2").message == "chapter 2, Later things: page 1 of 1, Coming soon")
        #expect(executor.execute("next") == .init("this is the last page of the course", kind: .error))
        #expect(executor.execute("answer 3.14").message == "right!")      // within 1% of 3.14159
        #expect(executor.execute("glossary gradient").message == "Gradient: The slope of the loss. (defined in chapter 1, Rolling downhill, page 2)")
        #expect(executor.execute("glossary gradiant") == .init("'gradiant' is not in the glossary; did you mean 'Gradient'?", kind: .error))
        #expect(executor.execute("quit").quit)
    }

    @Test func helpListsEveryCommandAndExplainsOne() throws {
        let session = try makeSession()
        let executor = CommandExecutor(session: session)
        let all = executor.execute("help").message
        for spec in CommandSpec.all { #expect(all.contains(spec.usage)) }
        _ = executor.execute("next")
        let set = executor.execute("help set").message
        #expect(set.contains("curvature = 2: how steep the bowl is; between 0.125 and 64 (log scale); restarts the lab"))
        #expect(executor.execute("help trian").message == "unknown command 'trian'; did you mean 'train'?")
    }

    @Test func progressIsSavedAfterCommands() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mlcourse-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = ProgressStore(url: folder.appendingPathComponent("progress.json"))
        let session = try makeSession()
        session.progressStore = store
        let executor = CommandExecutor(session: session)
        _ = executor.execute("next")
        _ = executor.execute("answer 4")
        let saved = store.load()
        #expect(saved.notice == nil)
        #expect(saved.progress.lessonID == "bowl" && saved.progress.page == 1)
        #expect(saved.progress.quizzes["bowl/2/1"]?.right == true)
    }
}

@Suite struct CompleterTests {
    @Test func completesCommandsNamesAndValues() throws {
        let session = try makeSession()
        #expect(Completer.candidates(for: "", session: session).count == CommandSpec.all.count)
        #expect(Completer.candidates(for: "tr", session: session) == ["train"])
        #expect(Completer.candidates(for: "g", session: session) == ["glossary", "goto"])
        #expect(Completer.candidates(for: "goto b", session: session) == ["goto bowl"])
        #expect(Completer.candidates(for: "goto ", session: session) == ["goto bowl", "goto later"])
        #expect(Completer.candidates(for: "set l", session: session) == [])           // no lab yet
        session.next()
        #expect(Completer.candidates(for: "set ", session: session) == ["set curvature", "set lr", "set noise", "set start"])
        #expect(Completer.candidates(for: "set start ", session: session) == ["set start far", "set start random"])
        #expect(Completer.candidates(for: "glossary l", session: session) == ["glossary learning rate"])
        #expect(Completer.candidates(for: "help re", session: session) == ["help replay", "help reset"])
        #expect(Completer.candidates(for: "load ", session: session, checkpoints: CheckpointFolder(environment: [:])) == [])
        #expect(Completer.commonPrefix(["help replay", "help reset"]) == "help re")
    }
}
