import Foundation
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

/// The sentence a lab gives when plain gradient descent blew up.
public enum LearningRateAdvice {
    /// "learning rate 0.64 is too high for this problem (above about 0.39 each step lands
    /// further from the bottom than the one before); reset or lower it".
    ///
    /// - Parameter limit: the largest stable learning rate when the lab can compute it (for a
    ///   squared-error bowl it is 2 / the largest curvature), else nil.
    public static func tooHigh(_ lr: Double, stableBelow limit: Double?) -> String {
        var text = "learning rate \(NumberText.format(lr)) is too high for this problem"
        if let limit, limit.isFinite, limit > 0 {
            text += " (above about \(NumberText.format(significant(limit)))"
                + " each step lands further from the bottom than the one before)"
        }
        return text + "; reset or lower it"
    }

    /// Two significant digits are plenty for advice.
    static func significant(_ x: Double) -> Double {
        Double(String(format: "%.2g", x)) ?? x
    }
}
