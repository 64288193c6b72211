import Course

extension Array where Element == Hyperparameter {
    /// Checks a new value for hyperparameter `name` of lab `lab` against its declared domain.
    ///
    /// Every lab's `set(_:to:)` starts here, so an unknown name or an out-of-range value is
    /// refused the same way everywhere, with the valid values in the message.
    /// - Throws: `HyperparameterError.unknown` or `.outOfRange` / `.notANumber`.
    public func checked(_ name: String, _ value: HyperValue, lab: String) throws -> HyperValue {
        guard let parameter = self[named: name] else {
            throw HyperparameterError.unknown(name: name, lab: lab, known: map(\.name))
        }
        return try parameter.validated(value)
    }
}
