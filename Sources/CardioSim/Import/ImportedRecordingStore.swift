import Foundation
import MLEngine

/// The learner's imported recordings: one `NAME.ecg.json` each in a folder (the `imports`
/// folder of mlcourse's data folder). Written atomically, so a failed or interrupted import
/// leaves the folder as it was.
public struct ImportedRecordingStore: Sendable {
    public let folder: URL
    static let suffix = ".ecg.json"

    public init(folder: URL) { self.folder = folder }

    /// Names are what a learner types after `:data` and `--test-on`: letters, digits, - and _.
    public static func validate(name: String) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
        guard !name.isEmpty, name.count <= 64, name.allSatisfy(allowed.contains) else {
            throw CardioSimError.invalidParameter("name '\(name)' must be 1-64 letters, digits, '-' or '_'")
        }
    }

    /// The name a file would get by default: its base name, cleaned up to a valid name.
    public static func defaultName(for path: String) -> String {
        let base = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let cleaned = String(base.map { $0.isLetter && $0.isASCII || $0.isNumber && $0.isASCII || $0 == "-" || $0 == "_" ? $0 : "-" }.prefix(64))
        return cleaned.isEmpty ? "recording" : cleaned
    }

    public func url(for name: String) -> URL { folder.appendingPathComponent(name + Self.suffix) }

    public func save(_ recording: ImportedRecording) throws {
        try Self.validate(name: recording.name)
        let data = try JSONEncoder().encode(recording)
        do { try AtomicFile.write(Array(data), to: url(for: recording.name).path, creatingFolders: true) } catch {
            throw CardioSimError.io("\(error)")
        }
    }

    public func load(_ name: String) throws -> ImportedRecording {
        try Self.validate(name: name)
        let file = url(for: name)
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw CardioSimError.unknownDataset(name: name, valid: names())
        }
        do { return try JSONDecoder().decode(ImportedRecording.self, from: Data(contentsOf: file)) } catch {
            throw CardioSimError.io("cannot read \(file.path): \(error.localizedDescription)")
        }
    }

    /// Names of the stored recordings, sorted.
    public func names() -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return files.filter { $0.hasSuffix(Self.suffix) }.map { String($0.dropLast(Self.suffix.count)) }.sorted()
    }
}
