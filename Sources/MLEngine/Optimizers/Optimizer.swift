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
    /// Restores state previously read from `state`.
    mutating func restoreState(_ state: [String: Tensor]) throws
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
