import Foundation
import MLEngine

/// Where progress lives on disk, and how it is read and written.
///
/// The file is `$MLCOURSE_HOME/progress.json`, else `$XDG_DATA_HOME/mlcourse/progress.json`, else
/// `~/.local/share/mlcourse/progress.json`. Writes are atomic. A file that cannot be read is moved
/// aside (`progress.json.corrupt-<timestamp>`) and the course starts fresh with a message:
/// losing one's place is bad, refusing to start is worse.
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
    }

    /// Reads the progress; a missing file is a fresh start, an unreadable one is moved aside.
    /// Never throws.
    public func load(now: Date = Date()) -> Loaded {
        guard FileManager.default.fileExists(atPath: url.path) else { return Loaded(progress: CourseProgress(), notice: nil) }
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
        let stamp = Self.timestamp(now)
        let aside = url.deletingLastPathComponent().appendingPathComponent("\(url.lastPathComponent).corrupt-\(stamp)")
        do {
            try FileManager.default.moveItem(at: url, to: aside)
            return Loaded(progress: CourseProgress(),
                          notice: "could not read your progress (\(reason)); moved it to \(aside.path) and started fresh")
        } catch {
            return Loaded(progress: CourseProgress(),
                          notice: "could not read your progress (\(reason)) nor move it aside (\(error.localizedDescription)); starting fresh")
        }
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
