/// Where the `save`, `load`, `checkpoints` and `replay` commands keep checkpoints.
///
/// The executor talks only to this protocol; `CheckpointFolder` (Sources/Course/Checkpoints) is
/// the real library and `CommandExecutor`'s default. Tests may pass a `CheckpointFolder` on a
/// temporary folder.
public protocol CheckpointLibrary {
    /// Saves the session's lab; returns the message to show ("saved 'warm': quadratic at step 120").
    func save(_ session: Session, name: String?) throws -> String
    /// Restores a checkpoint into the session (its lab at the saved step, on its lesson page);
    /// returns the message to show. The session is untouched when this throws.
    func load(_ name: String, into session: Session) throws -> String
    /// Names of saved checkpoints, for listing and completion.
    func names() -> [String]
    /// Replays the checkpoint's run from its seed and event log up to its step; returns the
    /// message to show (saying whether the result matches the saved weights bit for bit).
    func replay(_ name: String, into session: Session) throws -> String
    /// One short entry per checkpoint, newest first, for the `checkpoints` command:
    /// "warm (quadratic, step 120)". Has a default (the names).
    func summaries() -> [String]
}

extension CheckpointLibrary {
    /// One short entry per checkpoint for the `checkpoints` command; by default just the names.
    public func summaries() -> [String] { names() }
}
