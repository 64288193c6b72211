/// Layers applied one after another. Each child has a name (given, or its position "0", "1",
/// ...) that prefixes its parameters: `fc1.weight`.
public struct Sequential: Layer {
    public var layers: [(name: String, layer: any Layer)]

    /// Children named by position.
    public init(_ layers: [any Layer]) {
        self.layers = layers.enumerated().map { (String($0.offset), $0.element) }
    }

    /// Children with given names, which must be unique and contain no ".".
    public init(named layers: [(String, any Layer)]) {
        precondition(Set(layers.map(\.0)).count == layers.count, "layer names must be unique")
        precondition(layers.allSatisfy { !$0.0.contains(".") && !$0.0.isEmpty }, "layer names must be non-empty and contain no '.'")
        self.layers = layers.map { (name: $0.0, layer: $0.1) }
    }

    public func forward(_ input: Tensor) -> Tensor {
        layers.reduce(input) { $1.layer.forward($0) }
    }

    public mutating func visitParameters(_ visit: (String, inout Tensor) throws -> Void) rethrows {
        for i in layers.indices {
            let prefix = layers[i].name
            try layers[i].layer.visitParameters { name, p in try visit("\(prefix).\(name)", &p) }
        }
    }

    /// The child with this name.
    public subscript(name: String) -> (any Layer)? {
        layers.first { $0.name == name }?.layer
    }
}
