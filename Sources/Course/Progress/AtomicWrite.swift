import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// COORDINATOR: at merge, replace this file's one use (ProgressStore.save) with the shared
// `AtomicFile` from MLEngine/IO and delete this file. It exists only because that type was
// being written in parallel.

/// Writes `data` to `url` so that a reader sees either the old file or the whole new one, never
/// a half-written file: write a temporary file in the same folder, fsync it, rename it over the
/// target, then fsync the folder so the rename itself survives a power cut.
enum AtomicWrite {
    static func write(_ data: Data, to url: URL) throws(AtomicWriteError) {
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw AtomicWriteError(path: folder.path, step: "create the folder", code: nil, detail: error.localizedDescription)
        }
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw AtomicWriteError(path: temporary.path, step: "create", code: errno) }
        var closed = false
        defer { if !closed { close(fd); unlink(temporary.path) } }
        let failure: Int32? = data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Int32? in
            var offset = 0
            while offset < raw.count {
                let n = systemWrite(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += n
            }
            return nil
        }
        if let failure { throw AtomicWriteError(path: temporary.path, step: "write", code: failure) }
        guard fsync(fd) == 0 else { throw AtomicWriteError(path: temporary.path, step: "fsync", code: errno) }
        closed = true
        guard close(fd) == 0 else {
            unlink(temporary.path)
            throw AtomicWriteError(path: temporary.path, step: "close", code: errno)
        }
        guard rename(temporary.path, url.path) == 0 else {
            let code = errno
            unlink(temporary.path)
            throw AtomicWriteError(path: url.path, step: "rename onto", code: code)
        }
        let dirFD = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirFD >= 0 { _ = fsync(dirFD); close(dirFD) }
    }
}

#if canImport(Glibc)
private let systemWrite = Glibc.write
#else
private let systemWrite = Darwin.write
#endif

struct AtomicWriteError: Error, CustomStringConvertible {
    let path: String
    let step: String
    let code: Int32?
    var detail: String? = nil

    var description: String {
        let reason = detail ?? code.map { String(cString: strerror($0)) } ?? "unknown error"
        return "cannot \(step) \(path): \(reason)"
    }
}
