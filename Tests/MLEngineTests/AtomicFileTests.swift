import Foundation
import Testing
@testable import MLEngine

@Suite struct AtomicFileTests {
    /// A fresh folder under the temporary directory, removed after the test.
    private static func withFolder(_ body: (String) throws -> Void) rethrows {
        let folder = NSTemporaryDirectory() + "atomic-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try body(folder)
    }

    private static func contents(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map(Array.init)
    }

    @Test func createsParentFoldersAndReplacesContentsWhole() throws {
        try Self.withFolder { folder in
            let path = folder + "/a/b/progress.json"
            try AtomicFile.write("a long first version of the file", to: path)
            #expect(Self.contents(path) == Array("a long first version of the file".utf8))
            try AtomicFile.write("short", to: path)
            #expect(Self.contents(path) == Array("short".utf8), "no tail of the old contents may remain")
            try AtomicFile.write([], to: path)
            #expect(Self.contents(path) == [])
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/a/b") == ["progress.json"],
                    "no temporary file may be left behind")
        }
    }

    @Test func theTemporaryFileGoesInTheTargetsFolder() {
        // Same folder means same file system, which is what makes the rename atomic.
        #expect(AtomicFile.parentFolder(of: "a/b/c.txt") == "a/b")
        #expect(AtomicFile.parentFolder(of: "c.txt") == ".")
        #expect(AtomicFile.parentFolder(of: "/c.txt") == "/")
    }

    @Test func aFileInThePlaceOfAFolderGivesAClearError() throws {
        try Self.withFolder { folder in
            let blocker = folder + "/blocker"
            try AtomicFile.write("old", to: blocker)
            do {
                try AtomicFile.write("new", to: blocker + "/inside.txt")
                Issue.record("writing beneath a regular file must fail")
            } catch let error as AtomicFileError {
                #expect(error.description.contains("a file of that name is in the way"), "\(error)")
            }
            #expect(Self.contents(blocker) == Array("old".utf8))
        }
    }

    @Test func aFailedRenameLeavesTheTargetAndNoTemporaryFile() throws {
        try Self.withFolder { folder in
            // The target is a non-empty folder: rename(2) refuses to replace it.
            let target = folder + "/target"
            try AtomicFile.write("kept", to: target + "/old.txt")
            do {
                try AtomicFile.write("new", to: target)
                Issue.record("renaming a file over a folder must fail")
            } catch let error as AtomicFileError {
                #expect(error.step.contains("renaming"), "\(error)")
                #expect(error.description.hasPrefix("cannot write \(target): renaming"), "\(error)")
            }
            #expect(Self.contents(target + "/old.txt") == Array("kept".utf8))
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["target"], "temporary file must be removed")
        }
    }

    @Test func aNonWritableFolderLeavesTheOldFileIntact() throws {
        // Root ignores permission bits, so this check only means something for other users.
        guard geteuid() != 0 else { return }
        try Self.withFolder { folder in
            let path = folder + "/locked/state.json"
            try AtomicFile.write("old", to: path)
            chmod(folder + "/locked", 0o555)
            defer { chmod(folder + "/locked", 0o755) }
            #expect(throws: AtomicFileError.self) { try AtomicFile.write("new", to: path) }
            #expect(Self.contents(path) == Array("old".utf8))
        }
    }
}
