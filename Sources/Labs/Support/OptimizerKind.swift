import MLEngine

/// The four optimizers of chapter 3, by the names the labs' `optimizer` choices use, in the
/// order the races list, draw and colour them.
public enum OptimizerKind: String, CaseIterable, Sendable {
    /// Plain stochastic gradient descent: new = old - lr x gradient.
    case sgd
    /// SGD with momentum 0.9: steps along a running sum of recent gradients.
    case momentum
    /// Adam: momentum plus a per-weight step size from the gradient's recent size.
    case adam
    /// AdamW: Adam plus weight decay 0.01 applied to the weights directly.
    case adamw

    static var names: [String] { allCases.map(\.rawValue) }

    /// The letter that marks this optimizer's racer on a map or in a legend.
    public var head: Character {
        switch self {
        case .sgd: "S"
        case .momentum: "M"
        case .adam: "A"
        case .adamw: "W"
        }
    }

    /// The metric holding this optimizer's loss after each step in a race ("loss_adam").
    public var lossMetric: String { "loss_\(rawValue)" }

    func make(learningRate: Double) -> any Optimizer {
        let lr = Float(learningRate)
        switch self {
        case .sgd: return SGD(learningRate: lr)
        case .momentum: return SGD(learningRate: lr, momentum: 0.9)
        case .adam: return Adam(learningRate: lr)
        case .adamw: return AdamW(learningRate: lr, weightDecay: 0.01)
        }
    }
}
