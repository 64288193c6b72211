/// Where the `save`, `load`, `checkpoints` and `replay` commands keep checkpoints.
///
/// The executor talks only to this protocol. The safetensors-backed library arrives in the next
/// step of the build; until then `PendingCheckpointLibrary` answers every call with a clear
/// message. COORDINATOR: this file is the one place to replace (implement the protocol on the
/// safetensors codec and make it `CommandExecutor`'s default); `Session.checkpoint()`,
/// `Session.restore(_:)` and `Session.replay(_:steps:)` already do the in-memory part.
public protocol CheckpointLibrary {
    /// Saves the session's lab; returns the message to show ("saved 'warm' at step 120").
    func save(_ session: Session, name: String?) throws -> String
    /// Restores a checkpoint into the session; returns the message to show.
    func load(_ name: String, into session: Session) throws -> String
    /// Names of saved checkpoints, for listing and completion.
    func names() -> [String]
    /// Replays the checkpoint's run from its seed and event log; returns the message to show.
    func replay(_ name: String, into session: Session) throws -> String
}

/// The stand-in used until checkpoints exist.
public struct PendingCheckpointLibrary: CheckpointLibrary {
    public init() {}

    struct NotYet: Error, CustomStringConvertible {
        var description: String { "checkpoints arrive in the next step of the build" }
    }

    public func save(_ session: Session, name: String?) throws -> String { throw NotYet() }
    public func load(_ name: String, into session: Session) throws -> String { throw NotYet() }
    public func names() -> [String] { [] }
    public func replay(_ name: String, into session: Session) throws -> String { throw NotYet() }
}
