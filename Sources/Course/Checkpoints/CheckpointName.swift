import Foundation

/// Rules for checkpoint names: each is a file name in the checkpoints folder, so it must not
/// reach outside it or hide in it.
public enum CheckpointName {
    public static let maximumLength = 64

    /// `name` as a valid checkpoint name, with a typed ".safetensors" dropped.
    /// - Throws: `CheckpointError.invalidName` with the rule it breaks.
    public static func validated(_ name: String) throws(CheckpointError) -> String {
        var trimmed = name.trimmingCharacters(in: .whitespaces)
        let suffix = "." + CheckpointFormat.fileExtension
        if trimmed.hasSuffix(suffix) { trimmed.removeLast(suffix.count) }
        guard !trimmed.isEmpty else { throw .invalidName(name, problem: "it is empty") }
        guard trimmed.count <= maximumLength else {
            throw .invalidName(name, problem: "it has \(trimmed.count) characters; at most \(maximumLength)")
        }
        guard !trimmed.contains("/"), !trimmed.contains("\\") else {
            throw .invalidName(name, problem: "it has a slash; to use a file elsewhere give its path to the command line")
        }
        guard !trimmed.hasPrefix(".") else { throw .invalidName(name, problem: "it starts with a dot (a hidden file)") }
        if let bad = trimmed.first(where: { !($0.isLetter || $0.isNumber || "-_.".contains($0)) }) {
            throw .invalidName(name, problem: "it has '\(bad)'; use letters, digits, '-', '_' and '.'")
        }
        return trimmed
    }
}
