import Testing
@testable import Course

/// The page-settings rule (docs/lessons-format.md): a page's settings apply on arrival, the
/// learner's own changes last only while they stay on the page, and what differs is reported.
@Suite struct PageSettingsTests {
    @Test func aLiveChangeIsPutBackOnTheNextPageAndTrainingIsKept() throws {
        let session = try makeSession()
        session.next()                                   // "The bowl": lr 0.5
        _ = session.takeNotices()
        _ = try session.set("lr", "0.1")
        #expect(session.changesFromPageSettings.map(\.name) == ["lr"])
        try session.step(2)
        session.next()                                   // "Too fast" has no lab block: the bowl's governs it
        #expect(session.lab?.parameters[named: "lr"]?.value == .number(0.5))
        #expect(session.stepCount == 2)                  // a live value needs no restart
        #expect(session.changesFromPageSettings.isEmpty)
        #expect(session.takeNotices() == ["this page's settings: lr 0.1 -> 0.5 from step 2"])
        // The change back is in the event log, so a replay reproduces it.
        #expect(session.run?.events.last == HyperparameterEvent(step: 2, name: "lr", value: .number(0.5)))
    }

    @Test func aResetOnlyChangeRestartsTheLabOnArrival() throws {
        let session = try makeSession()
        session.next()
        session.next()                                   // "Too fast", governed by the bowl's block
        try session.step(3)
        #expect(try session.set("curvature", "4", force: true) == .applied("curvature = 4; the lab restarted"))
        try session.step(2)
        _ = session.takeNotices()
        session.prev()                                   // back to "The bowl": curvature 2 again
        #expect(session.lab?.parameters[named: "curvature"]?.value == .number(2))
        #expect(session.stepCount == 0 && weight(session) == 100)
        #expect(session.takeNotices() == ["this page's settings: curvature 4 -> 2 (the lab restarted)"])
    }

    @Test func unchangedSettingsKeepTheRunUntouchedAndSayNothing() throws {
        let session = try makeSession()
        session.next()
        try session.step(4)
        let events = session.run?.events
        _ = session.takeNotices()
        session.next()
        session.prev()
        #expect(session.stepCount == 4 && session.run?.events == events)
        #expect(session.takeNotices().isEmpty)
    }

    @Test func jumpingStraightToAGovernedPageOpensItsLab() throws {
        let session = try makeSession()
        try session.goto("bowl", page: 3)                // "Too fast", never having seen "The bowl"
        let lab = try #require(session.lab)
        #expect(lab.parameters[named: "lr"]?.value == .number(0.5))
        #expect(session.labBlockOrigin?.page == 1)
    }
}

@Suite struct NoLabBlockTests {
    static let lesson = """
    ---
    id: bowl
    title: Rolling downhill
    chapter: 1
    labs: [quadratic]
    status: ready
    ---

    ## The bowl

    ```lab
    lab: quadratic
    set: { lr: 0.5 }
    ```

    ## Theory

    No experiment here.

    ```lab
    lab: none
    ```

    ## More theory

    Still none.
    """

    @Test func labNoneClosesTheLabForItsPageAndTheNext() throws {
        let result = LessonLoader.check(files: [("01-bowl.md", Self.lesson)], checking: .against(.fixture))
        try #require(result.problems.isEmpty, "\(result.problems)")
        let session = Session(lessons: result.lessons, catalogue: .fixture, seed: 7)
        #expect(session.lab != nil)
        try session.step(3)
        session.next()
        #expect(session.lab == nil && session.runState == .noLab)
        session.next()
        #expect(session.lab == nil)
        session.goto(lessonAt: 0, page: 0)               // the lab page opens its lab afresh
        #expect(session.lab != nil && session.stepCount == 0)
    }

    @Test func labNoneTakesNoSettings() {
        let bad = Self.lesson.replacingOccurrences(of: "lab: none\n", with: "lab: none\nset: { lr: 1 }\n")
        let result = LessonLoader.check(files: [("01-bowl.md", bad)], checking: .against(.fixture))
        #expect(result.problems.map(\.message).contains { $0.contains("'lab: none' takes no 'set'") })
    }
}
