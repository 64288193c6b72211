import MLEngine

/// The bend each hidden neuron applies, by the names the labs' `activation` choices use.
enum ActivationKind: String, CaseIterable, Sendable {
    /// No bend at all: the stack of layers stays one linear function.
    case none
    case relu
    case sigmoid
    case tanh

    static var names: [String] { allCases.map(\.rawValue) }

    var layer: (any Layer)? {
        switch self {
        case .none: return nil
        case .relu: return ReLU()
        case .sigmoid: return Sigmoid()
        case .tanh: return Tanh()
        }
    }

    /// Kaiming keeps ReLU's signal from shrinking (it zeroes half its inputs); Xavier suits the
    /// squashing functions and the purely linear stack.
    var initializer: Initializer { self == .relu ? .kaimingUniform : .xavierUniform }
}

/// Builds a multi-layer perceptron: `layers` hidden layers of `hidden` units, each followed by
/// the activation, then a linear output layer. Parameters are named fc1, fc2, ... and out.
enum MLPBuilder {
    static func make(inputs: Int, hidden: Int, layers: Int, outputs: Int, activation: ActivationKind,
                     generator: inout SeededGenerator) -> Sequential {
        var parts: [(String, any Layer)] = []
        var width = inputs
        for index in 1...max(layers, 1) {
            parts.append(("fc\(index)", Linear(inputs: width, outputs: hidden, initializer: activation.initializer, generator: &generator)))
            if let bend = activation.layer { parts.append(("act\(index)", bend)) }
            width = hidden
        }
        parts.append(("out", Linear(inputs: width, outputs: outputs, initializer: .xavierUniform, generator: &generator)))
        return Sequential(named: parts)
    }

    /// A copy of `model` whose parameters are fresh leaves of the autodiff graph: same values,
    /// but its own gradients. (A plain copy of a layer shares its parameters' gradient slots.)
    static func independentCopy(of model: Sequential) -> Sequential {
        var copy = model
        for (name, value) in model.parameters {
            // The names come from the model itself, so the parameter always exists.
            try? copy.setParameter(name, to: value)
        }
        return copy
    }

    /// False when any parameter holds NaN or an infinity.
    static func isFinite(_ model: Sequential) -> Bool {
        model.parameters.allSatisfy { $0.value.withUnsafeScalars { values in values.allSatisfy(\.isFinite) } }
    }
}
