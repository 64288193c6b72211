#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why an atomic write failed: the step, the path, and the operating system's reason.
public struct AtomicFileError: Error, Equatable, CustomStringConvertible {
    public let path: String
    public let step: String
    public let reason: String

    public var description: String { "cannot write \(path): \(step) failed: \(reason)" }
}

/// Writing a file so that a crash or power loss leaves either the old contents or the new ones,
/// never a torn mix: write a temporary file in the same folder, flush it to disk, rename it over
/// the target (rename within one file system is atomic), then flush the folder so the rename
/// itself survives. Checkpoints and progress files are written this way.
public enum AtomicFile {
    /// Replaces the file at `path` with `bytes`. With `creatingFolders`, missing parent folders
    /// are made (mlcourse's own folders); without, a missing folder is an error (a path the
    /// learner typed: a typo should not grow folders). Only a regular file is ever replaced: a
    /// device, FIFO or folder at `path` is refused (renaming over /dev/full replaced the device
    /// node with a file). On failure the old file (if any) is untouched and the temporary file
    /// is removed.
    public static func write(_ bytes: [UInt8], to path: String, creatingFolders: Bool = true) throws(AtomicFileError) {
        func failure(_ step: String, _ target: String = path) -> AtomicFileError {
            AtomicFileError(path: target, step: step, reason: String(cString: strerror(errno)))
        }
        guard !path.isEmpty, !path.hasSuffix("/") else {
            throw AtomicFileError(path: path, step: "checking the path", reason: "it does not name a file")
        }
        var existing = stat()
        if stat(path, &existing) == 0, existing.st_mode & S_IFMT != S_IFREG {
            throw AtomicFileError(path: path, step: "checking the path",
                                  reason: "it is \(kind(existing.st_mode)), and only a regular file is ever replaced")
        }
        let folder = parentFolder(of: path)
        if creatingFolders {
            try createFolders(folder)
        } else {
            var status = stat()
            guard stat(folder, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else {
                throw AtomicFileError(path: path, step: "checking the path", reason: "folder \(folder) does not exist")
            }
        }

        // A unique name in the same folder (same file system, so the rename is atomic).
        let name = path.split(separator: "/").last.map(String.init) ?? path
        var template = Array("\(folder)/.\(name).tmp-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw failure("creating a temporary file in \(folder)") }
        let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var renamed = false
        defer { if !renamed { unlink(temporary) } }

        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { systemWrite(descriptor, $0.baseAddress! + written, bytes.count - written) }
            if result < 0 && errno == EINTR { continue }
            guard result > 0 else {
                let error = failure("writing \(bytes.count) bytes")
                close(descriptor)
                throw error
            }
            written += result
        }
        // mkstemp creates the file 0600; a course file should be readable like any other (0644).
        fchmod(descriptor, 0o644)
        guard fsync(descriptor) == 0 else {
            let error = failure("flushing to disk")
            close(descriptor)
            throw error
        }
        guard close(descriptor) == 0 else { throw failure("closing the temporary file") }
        guard rename(temporary, path) == 0 else { throw failure("renaming the temporary file over it") }
        renamed = true

        // Flush the folder entry too; some file systems refuse fsync on folders, which is harmless.
        let folderDescriptor = open(folder, O_RDONLY)
        if folderDescriptor >= 0 {
            _ = fsync(folderDescriptor)
            close(folderDescriptor)
        }
    }

    /// Writes UTF-8 text atomically.
    public static func write(_ text: String, to path: String, creatingFolders: Bool = true) throws(AtomicFileError) {
        try write(Array(text.utf8), to: path, creatingFolders: creatingFolders)
    }

    /// "a folder", "a character device", ... for a message.
    static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: return "a folder"
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        default: return "not a regular file"
        }
    }

    /// Whether `name` is a temporary file this type makes (".NAME.tmp-XXXXXX").
    static func isTemporaryName(_ name: String) -> Bool {
        guard name.hasPrefix("."), let marker = name.range(of: ".tmp-", options: .backwards) else { return false }
        let suffix = name[marker.upperBound...]
        return marker.lowerBound > name.index(after: name.startIndex)
            && suffix.count == 6 && suffix.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }

    /// Removes the temporary files a write killed mid-way left in `folder` (kill -9 during a
    /// save leaves ".NAME.tmp-XXXXXX", as big as the file). Only those older than `age`
    /// seconds go, so a save running in another mlcourse at this moment keeps its file.
    /// Returns the names removed.
    @discardableResult
    public static func removeLeftovers(in folder: String, olderThan age: Double = 60, now: Double? = nil) -> [String] {
        guard let directory = opendir(folder) else { return [] }
        defer { closedir(directory) }
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        let current = now ?? Double(time.tv_sec)
        var removed: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard isTemporaryName(name) else { continue }
            let path = folder + "/" + name
            var status = stat()
            guard lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG,
                  current - Double(status.st_mtim.tv_sec) >= age else { continue }
            if unlink(path) == 0 { removed.append(name) }
        }
        return removed.sorted()
    }

    /// POSIX `write`, named apart from `AtomicFile.write`.
    private static func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.write(descriptor, bytes, count)
        #else
        Darwin.write(descriptor, bytes, count)
        #endif
    }

    /// "a/b/c.txt" -> "a/b", "c.txt" -> ".", "/c.txt" -> "/".
    static func parentFolder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let folder = String(path[..<slash])
        return folder.isEmpty ? "/" : folder
    }

    /// `mkdir -p`: creates each missing folder along `folder`.
    static func createFolders(_ folder: String) throws(AtomicFileError) {
        var prefix = folder.hasPrefix("/") ? "/" : ""
        for component in folder.split(separator: "/") {
            prefix += (prefix.isEmpty || prefix.hasSuffix("/") ? "" : "/") + component
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw AtomicFileError(path: folder, step: "creating folder \(prefix)", reason: String(cString: strerror(errno)))
            }
            var status = stat()
            guard stat(prefix, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR else {
                throw AtomicFileError(path: folder, step: "creating folder \(prefix)", reason: "a file of that name is in the way")
            }
        }
    }
}
