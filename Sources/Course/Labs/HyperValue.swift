/// The value of one hyperparameter: a number (`lr = 0.01`, `hidden = 256`) or one of a list of
/// named choices (`activation = relu`, `permute = on`).
public enum HyperValue: Sendable, Hashable, Codable, CustomStringConvertible {
    case number(Double)
    case choice(String)

    public var number: Double? { if case .number(let n) = self { return n } else { return nil } }
    public var choice: String? { if case .choice(let c) = self { return c } else { return nil } }

    /// As the learner would type it: "0.01", "256", "relu".
    public var description: String {
        switch self {
        case .number(let n): return NumberText.format(n)
        case .choice(let c): return c
        }
    }
}
