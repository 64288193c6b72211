import Foundation
import MLEngine

/// One checkpoint as a `.safetensors` file: the lab's tensors under `lab/` plus `__metadata__`
/// (format, lab, lesson, step, seed, hyperparameters, event log, metrics, the lab state's JSON).
///
/// Reading never trusts the file. The safetensors codec checks the structure (sizes, offsets,
/// JSON) before allocating; `init(decoding:)` then checks the meaning: format and version, every
/// required key, JSON that parses, a run record that agrees with itself, only F32 tensors under
/// `lab/`. Whether the lab exists and accepts the state is checked by `restoredLab(using:)`.
///
/// ```swift
/// guard let checkpoint = session.checkpoint() else { ... }
/// try CheckpointFile(checkpoint).write(to: "warm.safetensors")
/// let file = try CheckpointFile.read(from: "warm.safetensors")
/// try session.open(file)                    // or: let lab = try file.restoredLab(using: catalogue)
/// ```
public struct CheckpointFile: Sendable {
    public var checkpoint: Session.Checkpoint
    /// When it was saved (nil if the file does not say).
    public var created: Date?
    /// The mlcourse that wrote it ("0.1.0"), or nil.
    public var writer: String?

    public init(_ checkpoint: Session.Checkpoint, created: Date? = Date(), writer: String? = CheckpointFormat.writer) {
        self.checkpoint = checkpoint
        self.created = created
        self.writer = writer
    }

    public var labID: String { checkpoint.run.labID }
    public var step: Int { checkpoint.step }
    public var seed: UInt64 { checkpoint.run.seed }

    /// Every hyperparameter's value at `step`: the starting values with the logged changes up to
    /// `step` applied, in the lab's order.
    public var hyperparameters: [RunRecord.Setting] {
        let events = checkpoint.run.events.filter { $0.step <= checkpoint.step }
        return checkpoint.run.initial.map { setting in
            RunRecord.Setting(name: setting.name, value: events.last { $0.name == setting.name }?.value ?? setting.value)
        }
    }

    // MARK: - Writing

    /// The file's bytes.
    public func encode() throws(CheckpointError) -> [UInt8] {
        var archive = SafetensorsArchive()
        do {
            for name in checkpoint.state.tensors.keys.sorted() {
                try archive.set(CheckpointFormat.tensorPrefix + name, checkpoint.state.tensors[name]!)
            }
        } catch {
            throw .cannotEncode("\(error)")
        }
        typealias Key = CheckpointFormat.Key
        var metadata: [String: String] = [
            Key.format: CheckpointFormat.name,
            Key.formatVersion: String(CheckpointFormat.version),
            Key.lab: labID,
            Key.step: String(step),
            Key.seed: String(seed),
        ]
        if let lesson = checkpoint.lessonID { metadata[Key.lesson] = lesson }
        if let page = checkpoint.page { metadata[Key.page] = String(page + 1) }
        if let created { metadata[Key.created] = Self.timestamp(created) }
        if let writer { metadata[Key.mlcourseVersion] = writer }
        do {
            var values: [String: CheckpointJSON.Value] = [:]
            for setting in hyperparameters { values[setting.name] = CheckpointJSON.Value(setting.value) }
            metadata[Key.hyperparameters] = try CheckpointJSON.encode(values)
            metadata[Key.run] = try CheckpointJSON.encode(CheckpointJSON.Run(checkpoint.run))
            metadata[Key.metrics] = try CheckpointJSON.encode(checkpoint.metrics, nonFinite: true)
            metadata[Key.labState] = try CheckpointJSON.encode(checkpoint.state.metadata, nonFinite: true)
        } catch {
            throw .cannotEncode("\(error)")
        }
        var checksums: [String: String] = [:]
        for entry in archive.entries { checksums[entry.name] = CRC32.hex(entry.bytes) }
        do { metadata[Key.tensorCRC32] = try CheckpointJSON.encode(checksums) } catch { throw .cannotEncode("\(error)") }
        metadata[Key.metadataCRC32] = CRC32.hex(Array(CheckpointFormat.metadataDigestText(metadata).utf8))
        archive.metadata = metadata
        return archive.encode()
    }

    /// Writes the checkpoint to `path` atomically (a reader sees the old file or the new one).
    /// Only a regular file is replaced; `creatingFolders` makes missing folders (the checkpoints
    /// folder), else the folder must exist (a path the learner gave).
    public func write(to path: String, creatingFolders: Bool = true) throws(CheckpointError) {
        let bytes = try encode()
        do { try AtomicFile.write(bytes, to: path, creatingFolders: creatingFolders) } catch {
            throw .cannotWrite(path: path, problem: error.description)
        }
    }

    /// Writes `checkpoint` to `path`, stamped with the current time. For `run --save FILE`.
    public static func write(_ checkpoint: Session.Checkpoint, to path: String) throws(CheckpointError) {
        try CheckpointFile(checkpoint).write(to: path)
    }

    // MARK: - Reading

    /// Reads and checks the file at `path`; errors name the path (`CheckpointError.inFile`).
    public static func read(from path: String) throws(CheckpointError) -> CheckpointFile {
        let archive: SafetensorsArchive
        do {
            archive = try SafetensorsArchive(contentsOf: path)
        } catch {
            if case .io(_, let problem) = error { throw .cannotRead(path: path, problem: problem) }
            throw .inFile(path: path, .damaged(error))
        }
        do { return try CheckpointFile(archive: archive) } catch { throw .inFile(path: path, error) }
    }

    /// Decodes and checks a checkpoint from the bytes of a file.
    public init(decoding bytes: [UInt8]) throws(CheckpointError) {
        let archive: SafetensorsArchive
        do { archive = try SafetensorsArchive(decoding: bytes) } catch { throw .damaged(error) }
        try self.init(archive: archive)
    }

    /// Reads and checks only the header of the file at `path` (lab, step, lesson, the run, the
    /// metrics): what `checkpoints` lists, without reading the tensors. The result's state has
    /// no tensors; use `read(from:)` to load.
    public static func readHeader(from path: String) throws(CheckpointError) -> CheckpointFile {
        let metadata: [String: String]
        do { metadata = try SafetensorsArchive.metadata(contentsOf: path) } catch {
            if case .io(_, let problem) = error { throw .cannotRead(path: path, problem: problem) }
            throw .inFile(path: path, .damaged(error))
        }
        do { return try CheckpointFile(archive: SafetensorsArchive(metadata: metadata), checkingTensors: false) }
        catch { throw .inFile(path: path, error) }
    }

    /// Checks a decoded archive's meaning.
    public init(archive: SafetensorsArchive) throws(CheckpointError) {
        try self.init(archive: archive, checkingTensors: true)
    }

    /// Checks a decoded archive's meaning; without `checkingTensors`, only its metadata (the
    /// archive then holds no tensors, as `readHeader(from:)` reads none).
    init(archive: SafetensorsArchive, checkingTensors: Bool) throws(CheckpointError) {
        typealias Key = CheckpointFormat.Key
        let metadata = archive.metadata
        guard let format = metadata[Key.format], format == CheckpointFormat.name else {
            throw .notACheckpoint(format: metadata[Key.format])
        }
        func required(_ key: String) throws(CheckpointError) -> String {
            guard let value = metadata[key] else { throw .missingMetadata(key: key) }
            return value
        }
        func whole(_ key: String, _ text: String) throws(CheckpointError) -> Int {
            guard let n = Int(text), n >= 0 else { throw .badMetadata(key: key, problem: "must be a whole number 0 or above; found '\(text)'") }
            return n
        }
        let versionText = try required(Key.formatVersion)
        let version = try whole(Key.formatVersion, versionText)
        guard version >= 1 else { throw .badMetadata(key: Key.formatVersion, problem: "must be 1 or above; found '\(versionText)'") }
        guard version <= CheckpointFormat.version else { throw .newerVersion(version) }
        if let stored = metadata[Key.metadataCRC32] {
            let computed = CRC32.hex(Array(CheckpointFormat.metadataDigestText(metadata).utf8))
            guard stored.lowercased() == computed else { throw .metadataChecksumMismatch(stored: stored, computed: computed) }
        }
        for key in Key.required where metadata[key] == nil { throw .missingMetadata(key: key) }

        let lab = try required(Key.lab)
        guard !lab.isEmpty else { throw .badMetadata(key: Key.lab, problem: "is empty") }
        let stepText = try required(Key.step)
        let step = try whole(Key.step, stepText)
        guard step <= CheckpointFormat.maximumStep else {
            throw .badMetadata(key: Key.step, problem: "must be at most \(CheckpointFormat.maximumStep); found '\(stepText)'")
        }
        let seedText = try required(Key.seed)
        guard let seed = UInt64(seedText) else {
            throw .badMetadata(key: Key.seed, problem: "must be a whole number from 0 to 2^64 - 1; found '\(seedText)'")
        }
        var page: Int?
        if let text = metadata[Key.page] {
            let p = try whole(Key.page, text)
            guard p >= 1 else { throw .badMetadata(key: Key.page, problem: "counts from 1; found '\(text)'") }
            page = p - 1
        }
        if metadata[Key.page] != nil && metadata[Key.lesson] == nil {
            throw .badMetadata(key: Key.page, problem: "is given without a 'lesson'")
        }

        func json<T: Decodable>(_ type: T.Type, _ key: String, nonFinite: Bool = false) throws(CheckpointError) -> T {
            do { return try CheckpointJSON.decode(type, from: try required(key), nonFinite: nonFinite) }
            catch let error as CheckpointError { throw error }
            catch { throw .badMetadata(key: key, problem: CheckpointJSON.describe(error)) }
        }
        let run = try json(CheckpointJSON.Run.self, Key.run).record(lab: lab, seed: seed)
        let metrics = try json(Metrics.self, Key.metrics, nonFinite: true)
        let labMetadata = try json([String: JSONValue].self, Key.labState, nonFinite: true)
        let saved = try json([String: CheckpointJSON.Value].self, Key.hyperparameters)

        // The run record must agree with itself and with the other keys.
        let names = run.initial.map(\.name)
        if let duplicate = names.first(where: { name in names.filter { $0 == name }.count > 1 }) {
            throw .badMetadata(key: Key.run, problem: "lists hyperparameter '\(duplicate)' twice in 'initial'")
        }
        var previous = 0
        for (index, event) in run.events.enumerated() {
            guard names.contains(event.name) else {
                throw .badMetadata(key: Key.run, problem: "event \(index + 1) changes '\(event.name)', which is not among the initial hyperparameters")
            }
            guard event.step >= previous, event.step <= step else {
                throw .badMetadata(key: Key.run, problem: "event \(index + 1) is at step \(event.step); events must be in order and at most step \(step)")
            }
            previous = event.step
        }
        var checked = CheckpointFile(Session.Checkpoint(lessonID: metadata[Key.lesson], page: page, run: run, step: step,
                                                        metrics: metrics, state: LabState(labID: lab, metadata: labMetadata)))
        let expected = Dictionary(uniqueKeysWithValues: checked.hyperparameters.map { ($0.name, $0.value) })
        guard saved.mapValues(\.value) == expected else {
            throw .badMetadata(key: Key.hyperparameters, problem: "disagrees with the run's starting values and changes up to step \(step)")
        }

        var checksums: [String: String]?
        if metadata[Key.tensorCRC32] != nil { checksums = try json([String: String].self, Key.tensorCRC32) }
        var tensors: [String: Tensor] = [:]
        for entry in archive.entries where checkingTensors {
            guard entry.name.hasPrefix(CheckpointFormat.tensorPrefix), entry.name.count > CheckpointFormat.tensorPrefix.count else {
                throw .unexpectedTensor(name: entry.name, problem: "is not under '\(CheckpointFormat.tensorPrefix)'")
            }
            guard entry.dtype == .float32 else {
                throw .unexpectedTensor(name: entry.name, problem: "is \(entry.dtype.rawValue); lab tensors are F32")
            }
            if let checksums {
                guard let stored = checksums[entry.name] else {
                    throw .badMetadata(key: Key.tensorCRC32, problem: "has no checksum for tensor '\(entry.name)'")
                }
                let computed = CRC32.hex(entry.bytes)
                guard stored.lowercased() == computed else {
                    throw .checksumMismatch(tensor: entry.name, stored: stored, computed: computed)
                }
            }
            do { tensors[String(entry.name.dropFirst(CheckpointFormat.tensorPrefix.count))] = try archive.floats(entry.name) }
            catch { throw .unexpectedTensor(name: entry.name, problem: "cannot be read: \(error)") }
        }
        if checkingTensors, let extra = checksums?.keys.sorted().first(where: { archive.entry(named: $0) == nil }) {
            throw .badMetadata(key: Key.tensorCRC32, problem: "lists tensor '\(extra)', which the file does not have")
        }
        checked.checkpoint.state.tensors = tensors

        checked.created = metadata[Key.created].flatMap(Self.date)
        if metadata[Key.created] != nil && checked.created == nil {
            throw .badMetadata(key: Key.created, problem: "is not an ISO 8601 time like 2026-11-25T17:30:00Z")
        }
        checked.writer = metadata[Key.mlcourseVersion]
        self = checked
    }

    // MARK: - Dates

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.date(from: text)
    }
}
