import Foundation
import Testing
@testable import Course

/// A session over the fixture lessons (bowl: title page, "The bowl" with the quadratic lab at
/// lr 0.5, curvature 2, start 100; "Too fast"; then the outline lesson "later").
func makeSession(progress: CourseProgress = CourseProgress()) throws -> Session {
    let result = LessonLoader.check(files: [("01-bowl.md", LessonFixtures.bowl), ("02-later.md", LessonFixtures.outline)],
                                    checking: .against(.fixture))
    try #require(result.problems.isEmpty)
    return Session(lessons: result.lessons, catalogue: .fixture, progress: progress, seed: 7)
}

func weight(_ session: Session) -> Float { (session.lab as! QuadraticLab).weight }

@Suite struct SessionTests {
    @Test func reachingALabPageOpensItsLabWithTheBlockSettings() throws {
        let session = try makeSession()
        #expect(session.lab == nil && session.runState == .noLab)
        session.next()
        let lab = try #require(session.lab)
        #expect(lab.parameters.map(\.value) == [.number(0.5), .number(0), .number(2), .choice("far")])
        #expect(lab.seed == 7 && session.stepCount == 0 && session.runState == .paused)
        #expect(weight(session) == 100)
        // Leaving for a page without a lab keeps the lab; coming back does not rebuild it.
        try session.step(2)
        session.next()
        #expect(session.lab != nil && session.stepCount == 2)
        session.prev()
        #expect(session.stepCount == 2)
    }

    @Test func oneStepWithLrTimesCurvatureOneLandsOnTheMinimum() throws {
        // w1 = w0 - lr * c * (w0 - 1) = 1 exactly when lr * c = 1: the loss is 0 and the lab's
        // completion condition (loss <= 1e-6) is met.
        let session = try makeSession()
        session.next()
        #expect(try session.step() == 1)
        #expect(weight(session) == 1)
        #expect(session.progress.labsCompleted == ["quadratic"])
        #expect(session.takeNotices() == ["lab complete at step 1: w reached the bottom of the bowl"])
    }

    @Test func divergencePausesWithTheStepAndTheCause() throws {
        // lr * c = 3 makes the error w - 1 = 99 double in size every step (factor 1 - 3 = -2);
        // the Float loss e^2 overflows once |e| > 2^64, i.e. 99 * 2^k > 2^64: k = 58.
        let session = try makeSession()
        session.next()
        #expect(try session.set("lr", "1.5") == .applied("lr = 1.5 from step 0"))
        try session.train()
        let taken = session.advance(maxSteps: 10_000, until: .now + .seconds(60))
        #expect((57...59).contains(taken))
        guard case .diverged(let step, let message) = session.runState else {
            Issue.record("expected divergence, got \(session.runState)"); return
        }
        #expect(step == taken && session.stepCount == taken)
        #expect(message == "diverged at step \(step) (the loss became NaN or infinite): learning rate 1.5 is too high for this problem; reset or lower it")
        #expect(session.takeNotices() == [message])
        #expect(!session.isTraining)
        #expect(throws: SessionError.self) { try session.train() }
        // A reset (after lowering lr) trains again.
        _ = try session.set("lr", "0.25")
        try session.reset()
        try session.step(5)
        #expect(weight(session).isFinite && session.runState == .paused)
    }

    @Test func divergenceAfterAnotherChangeNamesThatChange() throws {
        let session = try makeSession()
        session.next()
        _ = try session.set("lr", "0.1")
        try session.step(3)
        _ = try session.set("noise", "1")            // harmless, but the last change before...
        _ = try session.set("lr", "1.5")             // ...this one, which is the learning rate
        try session.train()
        session.advance(maxSteps: 10_000, until: .now + .seconds(60))
        guard case .diverged(_, let message) = session.runState else { Issue.record("no divergence"); return }
        #expect(message.hasSuffix("learning rate 1.5 is too high for this problem; reset or lower it"))
    }

    @Test func resetOnlyChangesAskFirstOnceTheLabHasTrained() throws {
        let session = try makeSession()
        session.next()
        // At step 0 nothing is lost, so it applies at once.
        #expect(try session.set("curvature", "4") == .applied("curvature = 4; the lab restarted"))
        try session.step(3)
        let outcome = try session.set("curvature", "8")
        guard case .needsConfirmation(let pending) = outcome else { Issue.record("expected a question"); return }
        #expect(pending.question == "changing curvature restarts the lab (you lose 3 steps of training); go ahead? [y/n]")
        #expect(session.stepCount == 3 && session.lab?.parameters[named: "curvature"]?.value == .number(4))
        #expect(session.cancelPendingChange() == "kept curvature = 4")
        _ = try session.set("curvature", "8")
        #expect(try session.confirmPendingChange() == "curvature = 8; the lab restarted")
        #expect(session.stepCount == 0 && weight(session) == 100)
        #expect(session.run?.initial.first { $0.name == "curvature" }?.value == .number(8))
        try session.step(1)
        #expect(try session.set("curvature", "2", force: true) == .applied("curvature = 2; the lab restarted"))
        #expect(session.stepCount == 0)
    }

    @Test func wrongValuesAreRefusedWithTheRange() throws {
        let session = try makeSession()
        session.next()
        #expect(throws: SessionError("lr must be between 0.001 and 10 (log scale); got 50")) { try session.set("lr", "50") }
        #expect(throws: SessionError("lab 'quadratic' has no hyperparameter 'rl'; did you mean 'lr'? (it has: lr, noise, curvature, start)")) {
            try session.set("rl", "0.1")
        }
        #expect(try session.nudge("lr", up: true) == .applied("lr = 1 from step 0"))
        #expect(try session.nudge("start", up: true) == .applied("start = random; the lab restarted"))
    }

    @Test func advanceHonoursTheStepBudgetAndMaxSteps() throws {
        let session = try makeSession()
        session.next()
        _ = try session.set("lr", "0.01")
        try session.train(steps: 10)
        #expect(session.advance(maxSteps: 4, until: .now + .seconds(60)) == 4)
        #expect(session.runState == .training(remaining: 6))
        #expect(session.advance(maxSteps: 100, until: .now + .seconds(60)) == 6)
        #expect(session.runState == .paused && session.stepCount == 10)
        #expect(session.advance(maxSteps: 100, until: .now + .seconds(60)) == 0)
        // A deadline already past still lets one step through, so training always moves.
        try session.train()
        #expect(session.advance(maxSteps: 100, until: .now - .seconds(1)) == 1)
        session.pause()
        #expect(session.runState == .paused)
    }

    /// Runs a noisy session with live changes at known steps; returns it.
    func noisyRun(seed: UInt64) throws -> Session {
        let session = try makeSession()
        session.defaultSeed = seed
        session.next()
        try session.reset(seed: seed)
        _ = try session.set("start", "random")
        _ = try session.set("noise", "0.5")
        _ = try session.set("lr", "0.05")
        try session.step(20)
        _ = try session.set("lr", "0.2")
        try session.step(15)
        _ = try session.set("noise", "0.1")
        try session.step(10)
        return session
    }

    @Test func theEventLogReplaysTheRunExactly() throws {
        let session = try noisyRun(seed: 11)
        let run = try #require(session.run)
        #expect(run.events == [
            HyperparameterEvent(step: 0, name: "noise", value: .number(0.5)),
            HyperparameterEvent(step: 0, name: "lr", value: .number(0.05)),
            HyperparameterEvent(step: 20, name: "lr", value: .number(0.2)),
            HyperparameterEvent(step: 35, name: "noise", value: .number(0.1)),
        ])
        let replayed = try run.replay(using: .fixture, steps: 45) as! QuadraticLab
        #expect(replayed.weight.bitPattern == weight(session).bitPattern)
        #expect(replayed.metrics.values("loss") == session.lab!.metrics.values("loss"))
        // The events matter: replaying without them ends elsewhere; so does another seed.
        var bare = run
        bare.events = []
        #expect((try bare.replay(using: .fixture, steps: 45) as! QuadraticLab).weight != weight(session))
        #expect(weight(try noisyRun(seed: 12)) != weight(session))
        // Session.replay installs the replayed lab at that step.
        let other = try makeSession()
        try other.replay(run, steps: 45)
        #expect(weight(other).bitPattern == weight(session).bitPattern && other.stepCount == 45)
    }

    @Test func aCheckpointContinuesExactly() throws {
        let session = try noisyRun(seed: 3)
        let checkpoint = try #require(session.checkpoint())
        #expect(checkpoint.step == 45 && checkpoint.lessonID == "bowl" && checkpoint.state.labID == "quadratic")
        try session.step(30)
        let later = weight(session)
        let fresh = try makeSession()
        try fresh.restore(checkpoint)
        #expect(fresh.stepCount == 45 && fresh.lab?.parameters[named: "lr"]?.value == .number(0.2))
        try fresh.step(30)
        #expect(weight(fresh).bitPattern == later.bitPattern)
        // A state from another lab is refused with a reason.
        var foreign = checkpoint
        foreign.state.labID = "mlp"
        #expect(throws: SessionError("cannot restore the checkpoint: this state belongs to lab 'mlp', not 'quadratic'")) {
            try fresh.restore(foreign)
        }
    }

    @Test func navigation() throws {
        let session = try makeSession()
        #expect(session.lesson?.id == "bowl" && session.pageIndex == 0)
        #expect(session.prev() == false)
        session.next(); session.next(); session.next()
        #expect(session.lesson?.id == "later" && session.pageIndex == 0)
        #expect(session.next() == false)
        session.prev()
        #expect(session.lesson?.id == "bowl" && session.pageIndex == 2)
        try session.goto("2")
        #expect(session.lesson?.id == "later")
        try session.goto("roll", page: 3)                 // title prefix, any case
        #expect(session.lesson?.id == "bowl" && session.pageIndex == 2)
        try session.goto("bowl")
        #expect(session.pageIndex == 0)
        #expect(throws: SessionError("no lesson 'bowll'; did you mean 'bowl'?; give a lesson id, chapter number or the start of a title")) {
            try session.goto("bowll")
        }
        #expect(throws: SessionError("lesson 'bowl' has pages 1 to 3; got 9")) { try session.goto("bowl", page: 9) }
        #expect(session.progress.pagesSeen == ["bowl": [0, 1, 2], "later": [0]])
    }

    @Test func quizzes() throws {
        let session = try makeSession()
        #expect(throws: SessionError("there is no quiz on this page")) { try session.answer("4") }
        session.next()
        #expect(try session.answer("5") == .wrong(hint: "Count on your fingers."))
        #expect(try session.answer(" 4.0 ") == .right(explain: "Two and two make four."))
        #expect(session.progress.quizzes["bowl/2/1"] == CourseProgress.QuizRecord(attempts: 2, right: true))
        #expect(throws: SessionError.self) { try session.answer("4") }
        session.next()
        #expect(session.activeQuiz?.id == "bowl/3/1")
        #expect(try session.answer("RELU") == .right(explain: nil))
        #expect(session.activeQuiz?.id == "bowl/3/2")
        #expect(try session.answer("steepest  descent.") == .right(explain: nil))
        #expect(session.activeQuiz == nil)
    }

    @Test func resumesWhereProgressLeftOff() throws {
        var progress = CourseProgress()
        progress.lessonID = "bowl"
        progress.page = 1
        let session = try makeSession(progress: progress)
        #expect(session.pageIndex == 1 && session.lab?.id == "quadratic")
        progress.page = 99                                  // a lesson that got shorter
        #expect(try makeSession(progress: progress).pageIndex == 2)
    }
}
