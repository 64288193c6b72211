/// An optimizer turns each parameter's accumulated gradient into an update of its values.
///
/// Settings (learning rate, momentum, ...) are plain stored properties: change them between any
/// two steps and the next step uses the new value. Per-parameter state (moments, step counts)
/// is keyed by parameter name and exposed as named tensors for checkpoints.
public protocol Optimizer: Sendable {
    var learningRate: Float { get set }
    /// Updates one parameter in place from its `grad`; a parameter without a gradient is skipped.
    mutating func update(_ parameter: inout Tensor, named name: String)
    /// The state as named tensors, e.g. "fc1.weight.m".
    var state: [String: Tensor] { get }
    /// Restores state previously read from `state`. With `parameterShapes` (parameter name ->
    /// shape), every tensor must belong to one of those parameters and have the shape the
    /// optimizer's update will read and write: state read from a file is checked here, because
    /// the update runs on raw pointers and trusts it.
    mutating func restoreState(_ state: [String: Tensor], parameterShapes: [String: [Int]]?) throws
}

extension Optimizer {
    /// Restores state without checking it against the parameters (state this program made).
    public mutating func restoreState(_ state: [String: Tensor]) throws {
        try restoreState(state, parameterShapes: nil)
    }
}

/// Checks that optimizer state `key` for parameter `name` has `shape`, when shapes are known.
func checkStateShape(_ key: String, parameter name: String, shape: [Int], against shapes: [String: [Int]]?) throws {
    guard let shapes else { return }
    guard let expected = shapes[name] else {
        throw EngineError.invalidArgument("optimizer state '\(key)' is for parameter '\(name)', which the model does not have")
    }
    guard expected == shape else {
        throw EngineError.shapeMismatch("optimizer state '\(key)' has shape \(shape), but parameter '\(name)' has \(expected)")
    }
}

extension Optimizer {
    /// One step over every parameter of `model`.
    public mutating func step<Model: Layer>(_ model: inout Model) {
        model.visitParameters { name, p in update(&p, named: name) }
    }
}

/// Splits "fc1.weight.m" into ("fc1.weight", "m") given the allowed suffixes.
func splitStateName(_ key: String, suffixes: [String]) throws -> (parameter: String, slot: String) {
    for s in suffixes where key.hasSuffix("." + s) {
        return (String(key.dropLast(s.count + 1)), s)
    }
    throw EngineError.invalidArgument("optimizer state '\(key)' should end in one of \(suffixes.map { "." + $0 })")
}
