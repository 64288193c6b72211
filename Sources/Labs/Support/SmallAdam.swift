import Course
import Foundation
import MLEngine

/// Adam over a handful of numbers held in plain arrays: the chapter 8 labs that fit two
/// numbers (outliers' slope and intercept, kl's mean and log spread) write the update out in
/// full, so a learner reading the lab sees the moments and the bias correction the lesson
/// describes, not a call into the engine's optimizer.
struct SmallAdam: Equatable, Sendable {
    /// The numbers being fitted.
    var values: [Float]
    /// Running mean of the gradients (m) and of their squares (v), one per number.
    private(set) var firstMoment: [Float]
    private(set) var secondMoment: [Float]
    /// Updates taken so far; the bias correction divides by 1 - beta^updates.
    private(set) var updates = 0

    static let (beta1, beta2): (Float, Float) = (0.9, 0.999)

    init(values: [Float]) {
        self.values = values
        firstMoment = [Float](repeating: 0, count: values.count)
        secondMoment = firstMoment
    }

    /// One Adam update of every number with its gradient, at step size `rate`.
    mutating func update(gradient: [Float], rate: Float) {
        precondition(gradient.count == values.count, "one gradient per fitted number")
        updates += 1
        let (b1, b2) = (Self.beta1, Self.beta2)
        for i in values.indices {
            firstMoment[i] = b1 * firstMoment[i] + (1 - b1) * gradient[i]
            secondMoment[i] = b2 * secondMoment[i] + (1 - b2) * gradient[i] * gradient[i]
            let mHat = firstMoment[i] / (1 - Foundation.pow(b1, Float(updates)))
            let vHat = secondMoment[i] / (1 - Foundation.pow(b2, Float(updates)))
            values[i] -= rate * mHat / (vHat.squareRoot() + 1e-8)
        }
    }

    // MARK: Checkpoints

    /// The numbers as tensor `name`, the moments as "adam.m" and "adam.v", the update count as
    /// metadata "updates".
    func store(as name: String, into tensors: inout [String: Tensor], metadata: inout [String: JSONValue]) {
        tensors[name] = Tensor(values)
        tensors["adam.m"] = Tensor(firstMoment)
        tensors["adam.v"] = Tensor(secondMoment)
        metadata["updates"] = .number(Double(updates))
    }

    /// The state `store(as:into:metadata:)` wrote, each tensor checked for its shape and for
    /// finite numbers (a corrupt file must not leave NaN in a fit that draws itself).
    static func load(_ name: String, count: Int, from state: LabState) throws -> SmallAdam {
        let saved = try [name, "adam.m", "adam.v"].map { try state.tensor($0, shape: [count]).copyScalars() }
        guard saved.allSatisfy({ $0.allSatisfy(\.isFinite) }) else {
            throw LabStateError.badMetadata(lab: state.labID, key: name, problem: "must hold finite numbers")
        }
        var adam = SmallAdam(values: saved[0])
        adam.firstMoment = saved[1]; adam.secondMoment = saved[2]
        adam.updates = try CheckpointParts.integer("updates", in: state)
        return adam
    }
}
