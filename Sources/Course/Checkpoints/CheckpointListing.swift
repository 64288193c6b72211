import Foundation

/// One file of the checkpoints folder, as `checkpoints` lists it.
public struct CheckpointListing: Sendable, Equatable {
    /// The file name without ".safetensors".
    public var name: String
    public var path: String
    /// Bytes on disk.
    public var size: Int
    /// When it was saved (the file's own `created`, else its modification time).
    public var date: Date
    /// Lab id and step, when the file reads as a checkpoint.
    public var lab: String?
    public var step: Int?
    public var lessonID: String?
    /// Why the file cannot be used, when it cannot; a corrupt file is listed, never fatal.
    public var problem: String?

    public var isReadable: Bool { problem == nil }

    /// "warm  quadratic  step 45  2026-11-25 17:30  1.2 KB" or "old  unreadable: ...".
    public var summary: String {
        let when = Self.format(date)
        guard let lab, let step else { return "\(name)  unreadable (\(problem ?? "unknown problem"))  \(when)  \(Self.size(size))" }
        return "\(name)  \(lab)  step \(step)  \(when)  \(Self.size(size))"
    }

    static func format(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return formatter.string(from: date)
    }

    static func size(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        if bytes < 1024 * 1024 { return String(format: "%.1f KB", Double(bytes) / 1024) }
        return String(format: "%.1f MB", Double(bytes) / (1024 * 1024))
    }
}
