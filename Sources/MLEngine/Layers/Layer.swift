/// A layer: a function from tensor to tensor with named, trainable parameters.
///
/// Conforming types implement `forward` and, if they hold parameters, `visitParameters`, which
/// hands each parameter to a closure by name and `inout` (so the same walk reads parameters for
/// checkpoints and weight views, and writes them when loading or updating). Containers prefix
/// their children's names: `fc1.weight`, `fc1.bias`.
public protocol Layer: Sendable {
    func forward(_ input: Tensor) -> Tensor
    mutating func visitParameters(_ visit: (_ name: String, _ parameter: inout Tensor) throws -> Void) rethrows
}

extension Layer {
    /// Layers without parameters visit nothing.
    public mutating func visitParameters(_ visit: (_ name: String, _ parameter: inout Tensor) throws -> Void) rethrows {}

    public func callAsFunction(_ input: Tensor) -> Tensor { forward(input) }

    /// All parameters in a fixed order, with their names.
    public var parameters: [(name: String, value: Tensor)] {
        var copy = self, found: [(name: String, value: Tensor)] = []
        copy.visitParameters { name, p in found.append((name, p)) }
        return found
    }

    /// All parameters by name.
    public var namedParameters: [String: Tensor] {
        Dictionary(uniqueKeysWithValues: parameters.map { ($0.name, $0.value) })
    }

    /// The total number of trainable scalars.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }

    /// Forgets every parameter's accumulated gradient.
    public mutating func zeroGrad() { visitParameters { _, p in p.zeroGrad() } }

    /// Replaces one parameter's values (same shape); the result is a fresh trainable leaf.
    public mutating func setParameter(_ name: String, to value: Tensor) throws {
        var found = false
        try visitParameters { n, p in
            guard n == name else { return }
            guard p.shape == value.shape else {
                throw EngineError.shapeMismatch("parameter '\(name)' has shape \(p.shape), given \(value.shape)")
            }
            p = value.detached().requiringGrad()
            found = true
        }
        if !found { throw EngineError.unknownParameter(name) }
    }

    /// Loads parameters by name (from a checkpoint). Every parameter must be present with its
    /// shape; names the model does not have are an error too, so a mismatched file is caught.
    public mutating func loadParameters(_ values: [String: Tensor]) throws {
        let names = Set(parameters.map(\.name))
        if let extra = values.keys.sorted().first(where: { !names.contains($0) }) { throw EngineError.unknownParameter(extra) }
        try visitParameters { name, p in
            guard let v = values[name] else { throw EngineError.missingParameter(name) }
            guard v.shape == p.shape else {
                throw EngineError.shapeMismatch("parameter '\(name)' has shape \(p.shape), given \(v.shape)")
            }
            p = v.detached().requiringGrad()
        }
    }
}
