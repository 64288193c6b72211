import Foundation
import MLEngine
import Testing
@testable import Course

/// The checkpoints folder: where files live, names, listing, autosave, and the commands.
@Suite struct CheckpointFolderTests {
    @Test func theFolderFollowsTheDataDirectory() throws {
        #expect(try CheckpointFolder(environment: ["MLCOURSE_HOME": "/m", "XDG_DATA_HOME": "/x", "HOME": "/h"]).folder.path == "/m/checkpoints")
        #expect(try CheckpointFolder(environment: ["XDG_DATA_HOME": "/x", "HOME": "/h"]).folder.path == "/x/mlcourse/checkpoints")
        #expect(try CheckpointFolder(environment: ["HOME": "/h"]).folder.path == "/h/.local/share/mlcourse/checkpoints")
        let nowhere = CheckpointFolder(environment: [:])
        #expect(throws: CheckpointError.noLocation) { try nowhere.folder }
        #expect(throws: CheckpointError.noLocation) { try nowhere.saveCheckpoint(try labSession("quadratic", seed: 1), name: "x") }
        #expect(nowhere.names().isEmpty && nowhere.list().isEmpty)
    }

    @Test func namesAreValidated() throws {
        func problem(_ name: String) -> String? {
            do { _ = try CheckpointName.validated(name); return nil } catch { return error.description }
        }
        #expect(try CheckpointName.validated("warm-up_2.b") == "warm-up_2.b")
        #expect(try CheckpointName.validated("warm.safetensors") == "warm")
        #expect(problem("") == "'' cannot name a checkpoint: it is empty")
        #expect(problem("../etc/passwd") == "'../etc/passwd' cannot name a checkpoint: it has a slash; to use a file elsewhere give its path to the command line")
        #expect(problem(".hidden") == "'.hidden' cannot name a checkpoint: it starts with a dot (a hidden file)")
        #expect(problem(String(repeating: "a", count: 65)) == "'\(String(repeating: "a", count: 65))' cannot name a checkpoint: it has 65 characters; at most 64")
        #expect(problem("a b") == "'a b' cannot name a checkpoint: it has ' '; use letters, digits, '-', '_' and '.'")
        #expect((try? CheckpointName.validated(String(repeating: "a", count: 64))) != nil)
        let error = #expect(throws: CheckpointError.self) { try CheckpointName.validated("a/b") }
        #expect(error?.category == .usage && error?.isBadData == false)
    }

    @Test func savingNamesFilesAndNeverOverwritesSilently() throws {
        let folder = temporaryCheckpointFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let library = CheckpointFolder(folder: folder)
        let empty = Session(lessons: [], catalogue: .checkpointFixture)
        #expect(throws: CheckpointError.noLab) { try library.saveCheckpoint(empty, name: nil) }

        let quadratic = try labSession("quadratic", seed: 2)
        try quadratic.step(4)
        #expect(try library.save(quadratic, name: nil) == "saved 'quadratic-step4': quadratic at step 4")
        // The same lab and step again: a new name, not the old file replaced.
        #expect(try library.save(quadratic, name: nil) == "saved 'quadratic-step4-2': quadratic at step 4")
        let adam = try labSession("adam-line", seed: 2)
        try adam.step(4)
        #expect(try library.save(adam, name: nil) == "saved 'adam-line-step4': adam-line at step 4")
        // A name given explicitly replaces that checkpoint (the learner asked for it).
        #expect(try library.save(quadratic, name: "mine") == "saved 'mine': quadratic at step 4")
        #expect(try library.save(adam, name: "mine.safetensors") == "replaced 'mine': adam-line at step 4")
        #expect(try library.read("mine").labID == "adam-line")
        #expect(library.names() == ["adam-line-step4", "mine", "quadratic-step4", "quadratic-step4-2"])
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(files == ["adam-line-step4.safetensors", "mine.safetensors", "quadratic-step4-2.safetensors", "quadratic-step4.safetensors"])
    }

    @Test func loadingByNameOrPathAndNotFound() throws {
        let folder = temporaryCheckpointFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let library = CheckpointFolder(folder: folder)
        let session = try labSession("quadratic", seed: 4)
        try session.step(9)
        _ = try library.save(session, name: "warm")
        let other = try labSession("adam-line", seed: 4)
        #expect(try library.load("warm", into: other) == "loaded 'warm': quadratic at step 9; 'train' continues")
        #expect(bits(other) == bits(session) && other.lab?.id == "quadratic")
        let missing = #expect(throws: CheckpointError.self) { try library.load("wram", into: other) }
        #expect(missing?.description == "no checkpoint 'wram' in \(folder.path); did you mean 'warm'?")
        #expect(missing?.category == .notFound)
        // A path (anything with a slash) is read as a file.
        let path = folder.appendingPathComponent("warm.safetensors").path
        #expect(try library.read(path).step == 9)
        let nofile = #expect(throws: CheckpointError.self) { try library.read(folder.path + "/nope.safetensors") }
        #expect(nofile?.category == .io)
        #expect(try library.replay("warm", into: other).hasSuffix("to step 9; the weights match the saved ones bit for bit"))
    }

    /// One rule for missing folders (a path given to `save` must be in a folder that exists, as
    /// for `data export --out`; only the checkpoints folder itself is made), and a save killed
    /// mid-way leaves a temporary file that the next start removes.
    @Test func aSavePathNeedsAnExistingFolderAndLeftoversAreRemoved() throws {
        let folder = temporaryCheckpointFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let library = CheckpointFolder(folder: folder)
        let session = try labSession("quadratic", seed: 4)
        try session.step(3)
        let path = folder.path + "/missing/dir/x.safetensors"
        let error = #expect(throws: CheckpointError.self) { try library.save(session, name: path) }
        #expect(error?.description.contains("folder \(folder.path)/missing/dir does not exist") == true, "\(String(describing: error))")
        #expect(!FileManager.default.fileExists(atPath: folder.path))
        #expect(try library.save(session, name: "named") == "saved 'named': quadratic at step 3")   // its own folder is made
        let leftover = folder.appendingPathComponent(".named.safetensors.tmp-a1B2c3")
        try Data(repeating: 7, count: 100).write(to: leftover)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -600)], ofItemAtPath: leftover.path)
        #expect(library.removeLeftoverTemporaries() == [".named.safetensors.tmp-a1B2c3"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["named.safetensors"])
    }

    /// A replay that does not reproduce the saved weights says so in a way a caller can act on
    /// (`mlcourse replay --from-start` exits 2 on it, instead of 0 with "the weights differ").
    @Test func aReplayMismatchIsReportedNotOnlyWorded() throws {
        let folder = temporaryCheckpointFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let library = CheckpointFolder(folder: folder)
        let session = try labSession("quadratic", seed: 4)
        try session.step(5)
        _ = try library.save(session, name: "good")
        var changed = try #require(session.checkpoint())
        changed.state.tensors["w"] = Tensor([123])          // weights the run never made
        try CheckpointFile(changed).write(to: try library.url(for: "changed").path)
        let other = try labSession("quadratic", seed: 1)
        #expect(try library.replayReport("good", into: other).weightsMatch == true)
        let report = try library.replayReport("changed", into: other)
        #expect(report.weightsMatch == false && report.message.contains("the weights differ from the saved ones"))
        #expect(try other.opening(try library.read("good")).weightsMatch == nil)   // loading compares nothing
    }

    @Test func listingIsNewestFirstAndSurvivesACorruptFile() throws {
        let folder = temporaryCheckpointFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let library = CheckpointFolder(folder: folder)
        let session = try labSession("quadratic", seed: 6)
        for (step, day) in [(3, 1.0), (5, 3.0), (8, 2.0)] {
            try session.step(step - session.stepCount)
            var file = CheckpointFile(try #require(session.checkpoint()), created: Date(timeIntervalSince1970: 1_700_000_000 + day * 86_400))
            file.writer = "test"
            try file.write(to: try library.url(for: "s\(step)").path)
        }
        try Data("not a checkpoint".utf8).write(to: try library.url(for: "broken"))
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_600_000_000)],
                                              ofItemAtPath: try library.url(for: "broken").path)
        let listing = library.list()
        #expect(listing.map(\.name) == ["s5", "s8", "s3", "broken"])
        #expect(listing.map(\.step) == [5, 8, 3, nil])
        #expect(listing[0].lab == "quadratic" && listing[0].isReadable && listing[0].size > 0)
        #expect(listing[0].date == Date(timeIntervalSince1970: 1_700_000_000 + 3 * 86_400))
        #expect(listing[3].problem?.hasPrefix("the checkpoint is damaged: header says") == true)
        #expect(listing[3].summary.hasPrefix("broken  unreadable (the checkpoint is damaged"))
        #expect(listing[0].summary.hasPrefix("s5  quadratic  step 5  2023-11-17 22:13 UTC  "))
        #expect(library.summaries() == ["s5 (quadratic, step 5)", "s8 (quadratic, step 8)", "s3 (quadratic, step 3)", "broken (unreadable)"])
    }

    @Test func autosaveKeepsOneFilePerLab() throws {
        let folder = temporaryCheckpointFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let library = CheckpointFolder(folder: folder)
        let session = try labSession("quadratic", seed: 8)
        #expect(try library.autosave(session) == nil)                         // nothing trained yet
        #expect(try library.autosave(Session(lessons: [], catalogue: .checkpointFixture)) == nil)
        try session.step(3)
        #expect(try library.autosave(session) == "saved 'quadratic-autosave': quadratic at step 3")
        try session.step(2)
        #expect(try library.autosave(session) == "replaced 'quadratic-autosave': quadratic at step 5")
        #expect(library.names() == ["quadratic-autosave"])
        #expect(try library.read(CheckpointFolder.autosaveName(lab: "quadratic")).step == 5)
    }

    @Test func theCommandsUseTheLibrary() throws {
        let folder = temporaryCheckpointFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let library = CheckpointFolder(folder: folder)
        let session = try makeSession()
        let executor = CommandExecutor(session: session, checkpoints: library)
        #expect(executor.execute("checkpoints") == .init("no checkpoints yet; 'save NAME' makes one"))
        #expect(executor.execute("save") == .init(CheckpointError.noLab.description, kind: .error))
        _ = executor.execute("next")
        _ = executor.execute("step 4")
        #expect(executor.execute("save warm") == .init("saved 'warm': quadratic at step 4"))
        let saved = weight(session)
        _ = executor.execute("step 3")
        #expect(executor.execute("checkpoints") == .init("checkpoints: warm (quadratic, step 4)"))
        #expect(executor.execute("load warm") == .init("loaded 'warm': quadratic at step 4 (lesson bowl, page 2); 'train' continues"))
        #expect(session.stepCount == 4 && weight(session) == saved)
        #expect(executor.execute("replay warm").message.hasSuffix("the weights match the saved ones bit for bit"))
        #expect(executor.execute("load ../x").kind == .error)
        #expect(Completer.candidates(for: "load w", session: session, checkpoints: library) == ["load warm"])
    }
}
