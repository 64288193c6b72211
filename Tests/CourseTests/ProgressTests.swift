import Foundation
import Testing
@testable import Course

@Suite struct ProgressTests {
    func temporaryFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("mlcourse-\(UUID().uuidString)")
    }

    @Test func roundTripsThroughTheFile() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = ProgressStore(url: folder.appendingPathComponent("sub/progress.json"))
        #expect(store.load().progress == CourseProgress())          // missing file: a fresh start
        var progress = CourseProgress()
        progress.lessonID = "neuron"
        progress.page = 2
        progress.markSeen(lesson: "neuron", page: 2)
        progress.markSeen(lesson: "neuron", page: 0)
        #expect(progress.markSeen(lesson: "neuron", page: 0) == false)
        progress.recordAnswer(quiz: "neuron/2/1", right: false)
        progress.recordAnswer(quiz: "neuron/2/1", right: true)
        progress.recordAnswer(quiz: "neuron/2/1", right: false)     // a right answer stays right
        progress.markCompleted(lab: "neuron")
        try store.save(progress)
        let loaded = store.load()
        #expect(loaded.notice == nil && loaded.progress == progress)
        #expect(loaded.progress.pagesSeen["neuron"] == [0, 2])
        #expect(loaded.progress.quizzes["neuron/2/1"] == .init(attempts: 3, right: true))
        // Nothing but the file itself is left in the folder (the temporary file was renamed).
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.url.deletingLastPathComponent().path) == ["progress.json"])
        let json = try String(contentsOf: store.url, encoding: .utf8)
        #expect(json.contains("\"version\" : 1"))
    }

    @Test func aCorruptFileIsMovedAsideNotFatal() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = ProgressStore(url: folder.appendingPathComponent("progress.json"))
        try "{ not json".write(to: store.url, atomically: true, encoding: .utf8)
        let date = Date(timeIntervalSince1970: 1_700_000_000)      // 2023-11-14 22:13:20 UTC
        let loaded = store.load(now: date)
        #expect(loaded.progress == CourseProgress())
        let aside = folder.appendingPathComponent("progress.json.corrupt-20231114T221320Z")
        #expect(FileManager.default.fileExists(atPath: aside.path))
        #expect(!FileManager.default.fileExists(atPath: store.url.path))
        #expect(loaded.notice?.hasPrefix("moved unreadable progress to \(aside.path); started fresh (not valid JSON") == true)
        #expect(loaded.canSave)
    }

    /// Two corrupt files within one second: the second gets a name of its own instead of failing
    /// to move ("a file with the same name already exists") and then being overwritten on quit.
    @Test func aSecondCorruptFileInTheSameSecondGetsItsOwnName() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = ProgressStore(url: folder.appendingPathComponent("progress.json"))
        let date = Date(timeIntervalSince1970: 1_700_000_000)
        for (index, text) in ["{ first", "{ second", "{ third"].enumerated() {
            try text.write(to: store.url, atomically: true, encoding: .utf8)
            let loaded = store.load(now: date)
            let name = "progress.json.corrupt-20231114T221320Z" + (index == 0 ? "" : "-\(index + 1)")
            #expect(loaded.notice?.contains(folder.appendingPathComponent(name).path + ";") == true, "\(loaded.notice ?? "")")
            #expect(try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8) == text)
            #expect(loaded.canSave)
        }
    }

    /// A folder, a FIFO or a link to /dev/null where progress.json should be: named for what it
    /// is (not "NSCocoaErrorDomain error 256" or "You don't have permission"), never read (a FIFO
    /// would block), moved or replaced, and saving is off.
    @Test func somethingOtherThanAFileIsNamedAndLeftAlone() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent("progress.json")
        let store = ProgressStore(url: url)
        func check(_ what: String) throws {
            let loaded = store.load()
            #expect(loaded.notice == "your progress file \(url.path) is \(what), not a file; starting fresh, and progress will not be saved until it is moved away")
            #expect(!loaded.canSave && loaded.progress == CourseProgress())
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["progress.json"])
            try FileManager.default.removeItem(at: url)
        }
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        try check("a folder")
        #expect(mkfifo(url.path, 0o600) == 0)
        try check("a FIFO (named pipe)")
        try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: "/dev/null")
        try check("a link to /dev/null, which is a character device")
    }

    @Test func aNewerFormatIsRefusedWithAReason() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = ProgressStore(url: folder.appendingPathComponent("progress.json"))
        try #"{"version": 2, "page": 0}"#.write(to: store.url, atomically: true, encoding: .utf8)
        let loaded = store.load()
        #expect(loaded.notice?.contains("written by a newer mlcourse (format 2; this one reads up to 1)") == true)
        try #"{"page": 0}"#.write(to: store.url, atomically: true, encoding: .utf8)
        #expect(store.load().notice?.contains("missing 'version'") == true)
    }

    @Test func locationFollowsTheEnvironment() throws {
        #expect(try ProgressStore.defaultURL(environment: ["MLCOURSE_HOME": "/m", "XDG_DATA_HOME": "/x", "HOME": "/h"]).path
                == "/m/progress.json")
        #expect(try ProgressStore.defaultURL(environment: ["XDG_DATA_HOME": "/x", "HOME": "/h"]).path == "/x/mlcourse/progress.json")
        #expect(try ProgressStore.defaultURL(environment: ["HOME": "/h"]).path == "/h/.local/share/mlcourse/progress.json")
        #expect(throws: ProgressStoreError.noLocation) { try ProgressStore.defaultURL(environment: [:]) }
    }

    @Test func aFailedSaveIsAnErrorNotACrash() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // A plain file where the folder should be: the save cannot create it.
        try "x".write(to: folder.appendingPathComponent("blocked"), atomically: true, encoding: .utf8)
        let store = ProgressStore(url: folder.appendingPathComponent("blocked/progress.json"))
        let error = #expect(throws: ProgressStoreError.self) { try store.save(CourseProgress()) }
        #expect(error?.description.hasPrefix("cannot save progress to \(store.url.path): cannot write") == true)
        #expect(error?.description.hasSuffix("a file of that name is in the way") == true)
    }
}
