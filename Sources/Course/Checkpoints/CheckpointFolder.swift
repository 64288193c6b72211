import Foundation
import MLEngine

/// The checkpoints folder, `<data dir>/checkpoints/NAME.safetensors` (the data dir as for
/// progress: $MLCOURSE_HOME, else $XDG_DATA_HOME/mlcourse, else ~/.local/share/mlcourse).
/// The `save`, `load`, `replay` and `checkpoints` commands use it through `CheckpointLibrary`;
/// the App calls `autosave(_:)` when the learner quits.
public struct CheckpointFolder: CheckpointLibrary, Sendable {
    private let location: Result<URL, CheckpointError>

    /// The folder at `folder` (created on the first save).
    public init(folder: URL) { location = .success(folder) }

    /// The standard folder for `environment`. Never fails here: if no location can be told,
    /// every call that needs the folder says so.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        do {
            location = .success(try ProgressStore.dataFolder(environment: environment).appendingPathComponent("checkpoints"))
        } catch {
            location = .failure(.noLocation)
        }
    }

    /// The folder's URL.
    public var folder: URL {
        get throws(CheckpointError) { try location.get() }
    }

    /// True when `name` names a file rather than a checkpoint in the folder: it contains a
    /// slash ("./warm.safetensors", "/tmp/run.safetensors"). A bare "warm.safetensors" is the
    /// checkpoint "warm" in the folder.
    public static func isPath(_ name: String) -> Bool { name.contains("/") }

    /// Where checkpoint `name` lives.
    public func url(for name: String) throws(CheckpointError) -> URL {
        try folder.appendingPathComponent(try CheckpointName.validated(name) + "." + CheckpointFormat.fileExtension)
    }

    // MARK: - Saving

    /// Saves the session's lab as `name`, replacing a checkpoint of that name (the learner named
    /// it). Without a name: "<lab>-step<N>", with "-2", "-3"... added rather than replacing a file.
    public func save(_ session: Session, name: String?) throws -> String {
        try saveCheckpoint(session, name: name)
    }

    /// `save(_:name:)` with its error typed.
    public func saveCheckpoint(_ session: Session, name: String?) throws(CheckpointError) -> String {
        guard let checkpoint = session.checkpoint() else { throw .noLab }
        if let name, Self.isPath(name) {
            let replaced = FileManager.default.fileExists(atPath: name)
            // A path the learner gave: its folder must exist (one rule with `data export --out`).
            try CheckpointFile(checkpoint).write(to: name, creatingFolders: false)
            return "\(replaced ? "replaced" : "saved") \(name): \(checkpoint.run.labID) at step \(checkpoint.step)"
        }
        let chosen: String
        if let name { chosen = try CheckpointName.validated(name) } else { chosen = try freeName(for: checkpoint) }
        let url = try url(for: chosen)
        let replaced = FileManager.default.fileExists(atPath: url.path)
        try CheckpointFile(checkpoint).write(to: url.path)
        return "\(replaced ? "replaced" : "saved") '\(chosen)': \(checkpoint.run.labID) at step \(checkpoint.step)"
    }

    /// "<lab>-step<N>", or the first of "<lab>-step<N>-2", "-3", ... not yet taken.
    private func freeName(for checkpoint: Session.Checkpoint) throws(CheckpointError) -> String {
        let base = String("\(checkpoint.run.labID)-step\(checkpoint.step)".prefix(CheckpointName.maximumLength - 4))
        var candidate = base
        var counter = 1
        while FileManager.default.fileExists(atPath: try url(for: candidate).path) {
            counter += 1
            candidate = "\(base)-\(counter)"
        }
        return candidate
    }

    /// Saves the open lab as "<lab>-autosave" (replacing the previous autosave of that lab only),
    /// for the App to call when the learner quits. Returns the message, or nil when there is
    /// nothing worth keeping (no lab, or not a single step trained).
    @discardableResult
    public func autosave(_ session: Session) throws(CheckpointError) -> String? {
        guard let lab = session.lab, session.stepCount > 0 else { return nil }
        return try saveCheckpoint(session, name: Self.autosaveName(lab: lab.id))
    }

    /// The autosave name of lab `lab`: "mlp-ecg-autosave".
    public static func autosaveName(lab: String) -> String { "\(lab)-autosave" }

    /// Removes what a save killed mid-way left in the folder (".NAME.safetensors.tmp-XXXXXX",
    /// as big as a checkpoint); called when mlcourse starts. Returns the names removed.
    @discardableResult
    public func removeLeftoverTemporaries() -> [String] {
        guard let folder = try? folder else { return [] }
        return AtomicFile.removeLeftovers(in: folder.path)
    }

    // MARK: - Loading

    /// Reads checkpoint `name` (or, when it has a slash, the file at that path) and checks it.
    public func read(_ name: String) throws(CheckpointError) -> CheckpointFile {
        let url: URL
        if Self.isPath(name) {
            url = URL(fileURLWithPath: name)
        } else {
            url = try self.url(for: name)
        }
        guard FileManager.default.fileExists(atPath: url.path) else {
            if Self.isPath(name) { throw .cannotRead(path: url.path, problem: "no such file") }
            let valid = (try? CheckpointName.validated(name)) ?? name
            throw .notFound(name: valid, folder: (try? folder.path) ?? "?", suggestion: Suggestion.closest(to: valid, in: names()))
        }
        return try CheckpointFile.read(from: url.path)
    }

    /// Opens checkpoint `name` in `session` at its saved state; the session is untouched on failure.
    public func load(_ name: String, into session: Session) throws -> String {
        "loaded '\(name)': " + (try session.open(try read(name)))
    }

    /// Re-runs checkpoint `name` from its seed and event log to its step, in `session`.
    public func replay(_ name: String, into session: Session) throws -> String {
        try replayReport(name, into: session).message
    }

    /// `replay`, also saying whether the weights came out as saved.
    public func replayReport(_ name: String, into session: Session) throws -> Session.Opening {
        try session.opening(try read(name), fromStart: true)
    }

    // MARK: - Listing

    /// Names of the checkpoints in the folder, sorted; readable or not.
    public func names() -> [String] {
        guard let folder = try? folder,
              let files = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        let suffix = "." + CheckpointFormat.fileExtension
        return files.filter { $0.hasSuffix(suffix) && !$0.hasPrefix(".") }.map { String($0.dropLast(suffix.count)) }.sorted()
    }

    /// "warm (quadratic, step 45)", newest first; "old (unreadable)" for a damaged file.
    public func summaries() -> [String] {
        list().map { entry in
            guard let lab = entry.lab, let step = entry.step else { return "\(entry.name) (unreadable)" }
            return "\(entry.name) (\(lab), step \(step))"
        }
    }

    /// Every checkpoint with its lab, step, date and size, newest first. A file that does not
    /// read is listed with its problem. Only headers are read (a listing of large checkpoints
    /// stays quick), so a file whose tensors are damaged lists fine and is refused on loading.
    public func list() -> [CheckpointListing] {
        guard let folder = try? folder else { return [] }
        return names().map { name in
            let path = folder.appendingPathComponent(name + "." + CheckpointFormat.fileExtension).path
            let attributes = try? FileManager.default.attributesOfItem(atPath: path)
            var listing = CheckpointListing(
                name: name, path: path, size: (attributes?[.size] as? NSNumber)?.intValue ?? 0,
                date: attributes?[.modificationDate] as? Date ?? Date(timeIntervalSince1970: 0))
            do throws(CheckpointError) {
                let file = try CheckpointFile.readHeader(from: path)   // the tensors are not needed for a listing
                listing.lab = file.labID
                listing.step = file.step
                listing.lessonID = file.checkpoint.lessonID
                if let created = file.created { listing.date = created }
            } catch {
                listing.problem = error.withoutPath.description
            }
            return listing
        }.sorted { ($0.date, $1.name) > ($1.date, $0.name) }
    }
}
