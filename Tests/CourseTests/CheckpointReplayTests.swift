import Foundation
import MLEngine
import Testing
@testable import Course

/// A folder under the system's temporary directory, removed by the caller.
func temporaryCheckpointFolder() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("mlcourse-ckpt-\(UUID().uuidString)")
}

/// A live hyperparameter change to make when the run reaches `step`.
struct ScriptedChange {
    var step: Int
    var name: String
    var value: String
}

/// Trains `session` up to step `target`, making each scripted change at its step boundary
/// (before the step after it), as a learner typing `set` would. With `changesAtStart` false,
/// changes at the step the session is already at are skipped (they were made before saving).
func drive(_ session: Session, _ script: [ScriptedChange], to target: Int, changesAtStart: Bool = true) throws {
    let start = session.stepCount
    for boundary in start...target {
        for change in script where change.step == boundary && (changesAtStart || boundary > start) {
            guard case .applied = try session.set(change.name, change.value) else {
                Issue.record("scripted change \(change.name) = \(change.value) was not applied"); return
            }
        }
        if boundary < target { try #require(try session.step() == 1) }
    }
}

/// Every tensor of the running lab, for bit-for-bit comparison.
func bits(_ session: Session) -> [String: [UInt32]] {
    (session.lab?.snapshot().tensors ?? [:]).mapValues { $0.copyScalars().map(\.bitPattern) }
}

/// A session over no lessons with lab `id` open at step 0 (the headless shape).
func labSession(_ id: String, seed: UInt64, catalogue: LabCatalogue = .checkpointFixture) throws -> Session {
    let session = Session(lessons: [], catalogue: catalogue, seed: seed)
    let lab = try catalogue.make(id, seed: seed)
    try session.replay(RunRecord(startOf: lab), steps: 0)
    return session
}

@Suite struct CheckpointReplayTests {
    /// 2N steps in one go == N steps, save to a file, load into a fresh session, N more ==
    /// replay of the whole event log from the seed: every tensor bit for bit, metrics and event
    /// log equal. Live changes before, at and after the split point.
    func provesSplitRuns(lab: String, seed: UInt64, half n: Int, script: [ScriptedChange]) throws {
        let folder = temporaryCheckpointFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("half.safetensors").path

        let oneGo = try labSession(lab, seed: seed)
        try drive(oneGo, script, to: 2 * n)

        let firstHalf = try labSession(lab, seed: seed)
        try drive(firstHalf, script, to: n)
        try CheckpointFile.write(try #require(firstHalf.checkpoint()), to: path)
        let resumed = try labSession(lab, seed: seed + 1000)        // another lab state to be replaced
        let message = try resumed.open(try CheckpointFile.read(from: path))
        #expect(message == "\(lab) at step \(n); 'train' continues")
        #expect(resumed.stepCount == n && bits(resumed) == bits(firstHalf))
        try drive(resumed, script, to: 2 * n, changesAtStart: false)

        #expect(bits(resumed) == bits(oneGo))
        #expect(resumed.lab!.metrics == oneGo.lab!.metrics)
        #expect(resumed.run == oneGo.run)
        #expect(resumed.stepCount == 2 * n)

        // From the start: the saved seed and event log, replayed to 2N, land on the same bits.
        let fullPath = folder.appendingPathComponent("full.safetensors").path
        try CheckpointFile.write(try #require(oneGo.checkpoint()), to: fullPath)
        let replayed = try labSession(lab, seed: 1)
        let said = try replayed.open(try CheckpointFile.read(from: fullPath), fromStart: true)
        #expect(said.hasSuffix("the weights match the saved ones bit for bit"))
        #expect(bits(replayed) == bits(oneGo) && replayed.stepCount == 2 * n)
        #expect(replayed.lab!.metrics == oneGo.lab!.metrics)

        // The comparison can fail: without the live changes the replay ends elsewhere.
        var bare = try CheckpointFile.read(from: fullPath)
        bare.checkpoint.run.events = []
        let (other, matches) = try bare.replayedLab(using: .checkpointFixture)
        #expect(!matches)
        #expect(other.snapshot().tensors.mapValues { $0.copyScalars().map(\.bitPattern) } != bits(oneGo))
    }

    @Test func quadraticLabSplitRunEqualsOneRunAndReplay() throws {
        try provesSplitRuns(lab: "quadratic", seed: 21, half: 40, script: [
            ScriptedChange(step: 0, name: "noise", value: "0.5"),
            ScriptedChange(step: 12, name: "lr", value: "0.3"),
            ScriptedChange(step: 40, name: "noise", value: "0.2"),   // at the split: saved, then restored
            ScriptedChange(step: 55, name: "lr", value: "0.05"),
        ])
    }

    @Test func adamLabSplitRunRoundTripsOptimizerMoments() throws {
        try provesSplitRuns(lab: "adam-line", seed: 5, half: 30, script: [
            ScriptedChange(step: 7, name: "lr", value: "0.01"),
            ScriptedChange(step: 30, name: "batch", value: "5"),
            ScriptedChange(step: 44, name: "lr", value: "0.2"),
        ])
        // The file really carries the moments: a checkpoint without them continues elsewhere.
        let session = try labSession("adam-line", seed: 5)
        try session.step(10)
        let checkpoint = try #require(session.checkpoint())
        let names = checkpoint.state.tensors.keys.sorted()
        #expect(names == ["adam.bias.m", "adam.bias.step", "adam.bias.v", "adam.weight.m", "adam.weight.step", "adam.weight.v",
                          "model.bias", "model.weight"])
        var forgetful = CheckpointFile(checkpoint)
        forgetful.checkpoint.state.tensors = forgetful.checkpoint.state.tensors.filter { !$0.key.hasPrefix("adam.") }
        let decoded = try CheckpointFile(decoding: try forgetful.encode())
        let a = try decoded.restoredLab(using: .checkpointFixture)
        let b = try CheckpointFile(decoding: try CheckpointFile(checkpoint).encode()).restoredLab(using: .checkpointFixture)
        let fresh = try labSession("adam-line", seed: 99), full = try labSession("adam-line", seed: 99)
        fresh.resume(a, at: checkpoint)
        full.resume(b, at: checkpoint)
        try fresh.step(5)
        try full.step(5)
        try session.step(5)
        #expect(bits(full) == bits(session))
        #expect(bits(fresh) != bits(session))
    }

    @Test func loadingOpensTheLessonPageTheLabCameFrom() throws {
        let session = try makeSession()                // the fixture lessons: bowl page 2 has the lab
        session.next()
        _ = try session.set("lr", "0.1")
        try session.step(6)
        let file = CheckpointFile(try #require(session.checkpoint()))
        #expect(file.checkpoint.lessonID == "bowl" && file.checkpoint.page == 1)
        let other = try makeSession()                  // on the title page, no lab yet
        let message = try other.open(try CheckpointFile(decoding: try file.encode()))
        #expect(message == "quadratic at step 6 (lesson bowl, page 2); 'train' continues")
        #expect(other.lesson?.id == "bowl" && other.pageIndex == 1 && other.stepCount == 6)
        // A page past the lesson's end opens its last page, and the message names that page.
        var far = file
        far.checkpoint.page = 99_998
        let farSession = try makeSession()
        let farMessage = try farSession.open(try CheckpointFile(decoding: try far.encode()))
        #expect(farMessage == "quadratic at step 6 (lesson bowl, page \(farSession.pageIndex + 1)); 'train' continues")
        #expect(farSession.pageIndex == (farSession.lesson?.pages.count ?? 0) - 1 && !farMessage.contains("99999"))
        #expect(weight(other).bitPattern == weight(session).bitPattern)
        // Leaving the page and coming back keeps the loaded lab (it is not rebuilt from the block).
        other.next()
        other.prev()
        #expect(other.stepCount == 6 && weight(other).bitPattern == weight(session).bitPattern)
        // A checkpoint that names its lesson but no page opens the lesson's page running that lab.
        var pageless = file
        pageless.checkpoint.page = nil
        let third = try makeSession()
        try third.goto("later")
        try third.open(try CheckpointFile(decoding: try pageless.encode()))
        #expect(third.lesson?.id == "bowl" && third.pageIndex == 1)
        // A lesson this build does not have: the lab opens where the learner is.
        var lost = file
        lost.checkpoint.lessonID = "gone"
        let fourth = try makeSession()
        #expect(try fourth.open(try CheckpointFile(decoding: try lost.encode())) == "quadratic at step 6; 'train' continues")
        #expect(fourth.lesson?.id == "bowl" && fourth.pageIndex == 0 && fourth.stepCount == 6)
    }
}
