import MLEngine

/// Everything a lab needs to continue exactly where it stopped: named tensors (weights, optimizer
/// moments) and JSON metadata (RNG words, counters, metric history).
///
/// This is the in-memory half of a checkpoint; the checkpoint codec writes the tensors as
/// safetensors entries and the metadata into `__metadata__`.
public struct LabState: Sendable {
    /// The lab that made this state.
    public var labID: String
    /// Tensors by name, e.g. "hidden.weight", "adam.m.hidden.weight".
    public var tensors: [String: Tensor]
    /// Everything else, JSON-able.
    public var metadata: [String: JSONValue]

    public init(labID: String, tensors: [String: Tensor] = [:], metadata: [String: JSONValue] = [:]) {
        self.labID = labID
        self.tensors = tensors
        self.metadata = metadata
    }

    /// The tensor `name` with exactly `shape`.
    /// - Throws: `LabStateError` when it is missing or has another shape.
    public func tensor(_ name: String, shape: [Int]) throws(LabStateError) -> Tensor {
        guard let t = tensors[name] else { throw .missingTensor(lab: labID, name: name) }
        guard t.shape == shape else { throw .wrongShape(lab: labID, name: name, expected: shape, found: t.shape) }
        return t
    }

    /// Checks that this state was made by lab `id`.
    public func expect(lab id: String) throws(LabStateError) {
        guard labID == id else { throw .wrongLab(expected: id, found: labID) }
    }
}

/// Why a saved state does not fit a lab.
public enum LabStateError: Error, Equatable, CustomStringConvertible {
    case wrongLab(expected: String, found: String)
    case missingTensor(lab: String, name: String)
    case wrongShape(lab: String, name: String, expected: [Int], found: [Int])
    case badMetadata(lab: String, key: String, problem: String)

    public var description: String {
        switch self {
        case .wrongLab(let expected, let found):
            return "this state belongs to lab '\(found)', not '\(expected)'"
        case .missingTensor(let lab, let name):
            return "state for lab '\(lab)' has no tensor '\(name)'"
        case .wrongShape(let lab, let name, let expected, let found):
            return "state for lab '\(lab)': tensor '\(name)' has shape \(found), expected \(expected)"
        case .badMetadata(let lab, let key, let problem):
            return "state for lab '\(lab)': metadata '\(key)' \(problem)"
        }
    }
}
