import Course
import Foundation

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
