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

    @Test func aFolderInThePlaceOfTheFileIsRefusedAndLeftAlone() throws {
        try Self.withFolder { folder in
            let target = folder + "/target"
            try AtomicFile.write("kept", to: target + "/old.txt")
            do {
                try AtomicFile.write("new", to: target)
                Issue.record("writing over a folder must fail")
            } catch let error as AtomicFileError {
                #expect(error.description == "cannot write \(target): checking the path failed: it is a folder, and only a regular file is ever replaced", "\(error)")
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

    /// `--save /dev/full` replaced the device node with a regular file: only a regular file is
    /// ever replaced. (A FIFO stands in for the device; the test must not touch real devices.)
    @Test func onlyARegularFileIsEverReplaced() throws {
        try Self.withFolder { folder in
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let fifo = folder + "/pipe"
            #expect(mkfifo(fifo, 0o600) == 0)
            let error = #expect(throws: AtomicFileError.self) { try AtomicFile.write("new", to: fifo) }
            #expect(error?.reason == "it is a FIFO (named pipe), and only a regular file is ever replaced")
            var status = stat()
            #expect(lstat(fifo, &status) == 0 && status.st_mode & S_IFMT == S_IFIFO)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["pipe"])
        }
    }

    /// A path the learner typed does not grow folders: without `creatingFolders` a missing
    /// folder is an error and nothing is made.
    @Test func withoutCreatingFoldersAMissingFolderIsAnError() throws {
        try Self.withFolder { folder in
            let path = folder + "/missing/dir/x.safetensors"
            let error = #expect(throws: AtomicFileError.self) { try AtomicFile.write("x", to: path, creatingFolders: false) }
            #expect(error?.reason == "folder \(folder)/missing/dir does not exist")
            #expect(!FileManager.default.fileExists(atPath: folder))
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try AtomicFile.write("x", to: folder + "/x.txt", creatingFolders: false)
            #expect(Self.contents(folder + "/x.txt") == Array("x".utf8))
        }
    }

    /// What a kill -9 during a save leaves (".NAME.tmp-XXXXXX") is removed on the next start,
    /// unless it is recent (another mlcourse may be saving right now); nothing else is touched.
    @Test func leftoverTemporaryFilesAreRemoved() throws {
        try Self.withFolder { folder in
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let names = [".warm.safetensors.tmp-Ab12Cd", ".progress.json.tmp-zz99ZZ", ".fresh.safetensors.tmp-QwErTy",
                         "warm.safetensors", ".tmp-abcdef", ".notes.tmp-toolong1"]
            for name in names { try AtomicFile.write("x", to: folder + "/" + name) }
            let old = Date(timeIntervalSinceNow: -3600)
            for name in names where !name.contains("fresh") {
                try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: folder + "/" + name)
            }
            #expect(AtomicFile.removeLeftovers(in: folder) == [".progress.json.tmp-zz99ZZ", ".warm.safetensors.tmp-Ab12Cd"])
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
                    == [".fresh.safetensors.tmp-QwErTy", ".notes.tmp-toolong1", ".tmp-abcdef", "warm.safetensors"])
        }
    }
}
