#if canImport(Glibc)
import Glibc
#endif
import Foundation
import MLEngine

/// Where progress lives on disk, and how it is read and written.
///
/// The file is `$MLCOURSE_HOME/progress.json`, else `$XDG_DATA_HOME/mlcourse/progress.json`, else
/// `~/.local/share/mlcourse/progress.json`. Writes are atomic. A file that cannot be read is moved
/// aside (`progress.json.corrupt-<timestamp>`, `-2`, `-3`... if taken) and the course starts fresh
/// with a message: losing one's place is bad, refusing to start is worse. What cannot be moved
/// aside is never overwritten: saving is off for that session (`Loaded.canSave`).
public struct ProgressStore: Sendable {
    public let url: URL

    public init(url: URL) { self.url = url }

    /// The store at the standard location for this environment.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) throws(ProgressStoreError) {
        url = try Self.defaultURL(environment: environment)
    }

    public static func defaultURL(environment: [String: String]) throws(ProgressStoreError) -> URL {
        try dataFolder(environment: environment).appendingPathComponent("progress.json")
    }

    /// The folder mlcourse keeps the learner's files in (progress, checkpoints): $MLCOURSE_HOME,
    /// else $XDG_DATA_HOME/mlcourse, else ~/.local/share/mlcourse.
    public static func dataFolder(environment: [String: String]) throws(ProgressStoreError) -> URL {
        if let home = environment["MLCOURSE_HOME"], !home.isEmpty {
            return URL(fileURLWithPath: home)
        }
        if let data = environment["XDG_DATA_HOME"], !data.isEmpty {
            return URL(fileURLWithPath: data).appendingPathComponent("mlcourse")
        }
        if let home = environment["HOME"], !home.isEmpty {
            return URL(fileURLWithPath: home).appendingPathComponent(".local/share/mlcourse")
        }
        throw .noLocation
    }

    /// What loading found.
    public struct Loaded: Sendable {
        public var progress: CourseProgress
        /// Said to the learner when something was wrong (file moved aside), else nil.
        public var notice: String?
        /// False when saving would destroy something: a progress file that could not be read
        /// nor moved aside, or a folder, FIFO or device where the file should be. The caller
        /// then keeps progress in memory only.
        public var canSave = true
    }

    /// Reads the progress; a missing file is a fresh start, an unreadable one is moved aside
    /// (to a name no other file has). Anything but a regular file at the path (a folder, a
    /// FIFO, a link to a device) is never read, moved or replaced: it is named in the notice
    /// and saving is off. Never throws.
    public func load(now: Date = Date()) -> Loaded {
        let path = url.path
        var linkStatus = stat()
        guard lstat(path, &linkStatus) == 0 else {
            if errno == ENOENT { return Loaded(progress: CourseProgress(), notice: nil) }
            return Loaded(progress: CourseProgress(), notice: "cannot look at your progress file \(path) (\(Self.systemError())); "
                          + "starting fresh, and progress will not be saved this session", canSave: false)
        }
        var status = linkStatus
        let isLink = linkStatus.st_mode & S_IFMT == S_IFLNK
        if isLink, stat(path, &status) != 0 { status = linkStatus }   // a dangling link is what it is
        guard status.st_mode & S_IFMT == S_IFREG else {
            let what = isLink ? "a link to \(Self.linkTarget(path) ?? "?"), which is \(Self.kind(status.st_mode))" : Self.kind(status.st_mode)
            return Loaded(progress: CourseProgress(),
                          notice: "your progress file \(path) is \(what), not a file; starting fresh, and progress "
                              + "will not be saved until it is moved away", canSave: false)
        }
        let reason: String
        do {
            let data = try Data(contentsOf: url)
            return Loaded(progress: try JSONDecoder().decode(CourseProgress.self, from: data), notice: nil)
        } catch let error as ProgressError {
            reason = error.description
        } catch let error as DecodingError {
            reason = Self.describe(error)
        } catch {
            reason = error.localizedDescription
        }
        let aside = Self.freeName(for: url, stamp: Self.timestamp(now))
        // rename(2) rather than FileManager: its error says what the system said.
        guard rename(path, aside.path) == 0 else {
            return Loaded(progress: CourseProgress(),
                          notice: "could not read your progress (\(reason)) nor move it aside (\(Self.systemError())); "
                              + "starting fresh, and progress will not be saved this session, so \(path) stays as it is",
                          canSave: false)
        }
        // The new path first: a narrow status line cuts the end of a message.
        return Loaded(progress: CourseProgress(), notice: "moved unreadable progress to \(aside.path); started fresh (\(reason))")
    }

    /// "progress.json.corrupt-<stamp>", or with "-2", "-3", ... when that name is taken (two
    /// corrupt files within one second), so a moved file never replaces another.
    static func freeName(for url: URL, stamp: String) -> URL {
        let folder = url.deletingLastPathComponent(), base = "\(url.lastPathComponent).corrupt-\(stamp)"
        var candidate = folder.appendingPathComponent(base)
        var counter = 1
        var status = stat()
        while lstat(candidate.path, &status) == 0 {
            counter += 1
            candidate = folder.appendingPathComponent("\(base)-\(counter)")
        }
        return candidate
    }

    /// "a folder", "a FIFO (named pipe)", ... for a message.
    static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: return "a folder"
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        case S_IFLNK: return "a link that leads nowhere"
        default: return "not a plain file"
        }
    }

    static func linkTarget(_ path: String) -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: path)
    }

    static func systemError() -> String { String(cString: strerror(errno)) }

    /// Removes what a save killed mid-way left beside the progress file (".progress.json.tmp-XXXXXX").
    @discardableResult
    public func removeLeftoverTemporaries() -> [String] {
        AtomicFile.removeLeftovers(in: url.deletingLastPathComponent().path)
    }

    /// Writes atomically (temporary file, fsync, rename).
    public func save(_ progress: CourseProgress) throws(ProgressStoreError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data: Data
        do { data = try encoder.encode(progress) } catch { throw .cannotSave(url.path, "\(error)") }
        do { try AtomicFile.write(Array(data), to: url.path) } catch { throw .cannotSave(url.path, error.description) }
    }

    static func timestamp(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return f.string(from: date)
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let c): return "not valid JSON: \(c.debugDescription)"
        case .keyNotFound(let key, _): return "missing '\(key.stringValue)'"
        case .typeMismatch(_, let c), .valueNotFound(_, let c):
            return "wrong value at '\(c.codingPath.map(\.stringValue).joined(separator: "."))'"
        @unknown default: return "\(error)"
        }
    }
}

public enum ProgressStoreError: Error, Equatable, CustomStringConvertible {
    case noLocation
    case cannotSave(String, String)

    public var description: String {
        switch self {
        case .noLocation: return "cannot tell where to keep progress: set MLCOURSE_HOME (or HOME)"
        case .cannotSave(let path, let why): return "cannot save progress to \(path): \(why)"
        }
    }
}
