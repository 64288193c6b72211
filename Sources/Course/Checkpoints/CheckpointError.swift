import MLEngine

/// Why a checkpoint could not be saved, found, read or used. Every case says what was wrong in
/// words; `category` tells a caller how to react (the CLI maps `.badData` to exit status 65).
public indirect enum CheckpointError: Error, Equatable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Category: Sendable, Equatable {
        /// The file is damaged, not a checkpoint, from a newer mlcourse, or does not fit its lab.
        case badData
        /// No checkpoint by that name or path.
        case notFound
        /// The request itself was wrong: a bad name, nothing to save.
        case usage
        /// The operating system refused: cannot read or write the file or folder.
        case io
    }

    /// The safetensors structure is broken (truncated, flipped bytes, a header lying about sizes).
    case damaged(SafetensorsError)
    /// A valid safetensors file, but not an mlcourse checkpoint (`format` is missing or other).
    case notACheckpoint(format: String?)
    /// Written by a newer mlcourse, whose format this one does not know.
    case newerVersion(Int)
    /// A metadata key every checkpoint has is absent.
    case missingMetadata(key: String)
    /// A metadata value does not parse or makes no sense.
    case badMetadata(key: String, problem: String)
    /// A tensor the format does not allow (outside `lab/`, not F32).
    case unexpectedTensor(name: String, problem: String)
    /// A tensor's bytes do not match the CRC-32 saved with them: changed after saving.
    case checksumMismatch(tensor: String, stored: String, computed: String)
    /// The metadata does not match the CRC-32 saved with it: a value changed after saving.
    case metadataChecksumMismatch(stored: String, computed: String)
    /// The checkpoint names a lab this build does not have.
    case unknownLab(String, suggestion: String?)
    /// The lab refused the saved state (missing tensor, wrong shape, bad RNG words...).
    case doesNotFitLab(lab: String, problem: String)
    /// Re-running from the seed and event log failed.
    case replayFailed(String)
    /// No checkpoint of that name in the folder.
    case notFound(name: String, folder: String, suggestion: String?)
    case invalidName(String, problem: String)
    /// There is no open lab to save.
    case noLab
    /// Neither MLCOURSE_HOME, XDG_DATA_HOME nor HOME is set.
    case noLocation
    case cannotRead(path: String, problem: String)
    case cannotWrite(path: String, problem: String)
    /// The lab's state could not be written as safetensors (e.g. an empty tensor name).
    case cannotEncode(String)
    /// Any of the above, about the file at `path`.
    case inFile(path: String, CheckpointError)

    public var category: Category {
        switch self {
        case .damaged, .checksumMismatch, .metadataChecksumMismatch, .notACheckpoint, .newerVersion, .missingMetadata, .badMetadata, .unexpectedTensor,
             .unknownLab, .doesNotFitLab, .replayFailed:
            return .badData
        case .notFound: return .notFound
        case .invalidName, .noLab, .cannotEncode: return .usage
        case .noLocation, .cannotRead, .cannotWrite: return .io
        case .inFile(_, let inner): return inner.category
        }
    }

    /// True when the file's contents are at fault (exit status 65, EX_DATAERR, in the CLI).
    public var isBadData: Bool { category == .badData }

    public var description: String {
        switch self {
        case .damaged(let error):
            return "the checkpoint is damaged: \(error)"
        case .notACheckpoint(let format):
            return format.map { "not an mlcourse checkpoint (its format is '\($0)', expected '\(CheckpointFormat.name)')" }
                ?? "not an mlcourse checkpoint (a safetensors file without the '\(CheckpointFormat.Key.format)' metadata key)"
        case .newerVersion(let version):
            return "written by a newer mlcourse (checkpoint format \(version); this one reads up to \(CheckpointFormat.version))"
        case .missingMetadata(let key):
            return "the checkpoint has no '\(key)' in its metadata"
        case .badMetadata(let key, let problem):
            return "the checkpoint's metadata '\(key)' \(problem)"
        case .unexpectedTensor(let name, let problem):
            return "the checkpoint's tensor '\(name)' \(problem)"
        case .checksumMismatch(let tensor, let stored, let computed):
            return "the checkpoint is damaged: tensor '\(tensor)' fails its CRC-32 check (saved \(stored), now \(computed)); "
                + "its numbers changed after it was saved"
        case .metadataChecksumMismatch(let stored, let computed):
            return "the checkpoint is damaged: its metadata fails its CRC-32 check (saved \(stored), now \(computed)); "
                + "a value changed after it was saved"
        case .unknownLab(let id, let suggestion):
            return "the checkpoint is for lab '\(id)', which this mlcourse does not have"
                + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
        case .doesNotFitLab(let lab, let problem):
            return "the checkpoint does not fit lab '\(lab)': \(problem)"
        case .replayFailed(let problem):
            return "cannot replay the checkpoint's run: \(problem)"
        case .notFound(let name, let folder, let suggestion):
            return "no checkpoint '\(name)' in \(folder)" + (suggestion.map { "; did you mean '\($0)'?" } ?? "; 'checkpoints' lists them")
        case .invalidName(let name, let problem):
            return "'\(name)' cannot name a checkpoint: \(problem)"
        case .noLab:
            return "no lab is open, so there is nothing to save; lab pages open theirs"
        case .noLocation:
            return "cannot tell where to keep checkpoints: set MLCOURSE_HOME (or HOME)"
        case .cannotRead(let path, let problem):
            return "cannot read \(path): \(problem)"
        case .cannotWrite(let path, let problem):
            return "cannot save the checkpoint to \(path): \(problem)"
        case .cannotEncode(let problem):
            return "cannot write the lab's state as a checkpoint: \(problem)"
        case .inFile(let path, let inner):
            return "\(path): \(inner)"
        }
    }

    /// The error without the file it was about.
    public var withoutPath: CheckpointError {
        if case .inFile(_, let inner) = self { return inner.withoutPath }
        return self
    }
}
