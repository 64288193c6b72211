/// Central-difference gradient checking: compares the gradients backprop computes with
/// (f(x + h) - f(x - h)) / 2h, element by element.
///
/// A function with a non-scalar output is first contracted with fixed seeded random weights,
/// L = sum(f(x) * R), so that every output element is tested (a plain sum would hide errors in
/// ops like softmax, whose outputs always sum to 1). Inputs are Float32, so the differences are
/// taken in Float32 but the contraction is accumulated in Double, and the step `epsilon` is
/// large enough (default 5e-3) for rounding error to stay far below the tolerance.
public enum GradientChecker {
    /// Checks d f / d input for every input and every scalar of it.
    /// - Parameters:
    ///   - inputs: named tensors to differentiate with respect to (their grad flags are ignored).
    ///   - tolerance: an element passes when |backprop - numeric| <= tolerance * max(0.1, |backprop|, |numeric|).
    ///   - function: the computation; it may itself use autodiff (e.g. `gradients(of:wrt:)`).
    public static func check(_ inputs: [(name: String, value: Tensor)], epsilon: Float = 5e-3,
                             tolerance: Double = 1e-2, seed: UInt64 = 0x6A1D,
                             _ function: ([Tensor]) -> Tensor) -> GradientCheckReport {
        // Backprop side.
        let leaves = inputs.map { $0.value.detached().requiringGrad() }
        let output = withGradMode(true) { function(leaves) }
        var generator = SeededGenerator(seed: seed)
        let weights = output.count == 1 ? Tensor(ones: output.shape)
                                        : Tensor.normal(output.shape, generator: &generator)
        var analytic: [[Float]] = leaves.map { Tensor(zeros: $0.shape).copyScalars() }
        if output.requiresGrad {
            let loss = withGradMode(true) { (output * weights).sum() }
            analytic = gradients(of: loss, wrt: leaves).map({ $0.copyScalars() })
        }
        // Finite differences, one scalar at a time.
        func contracted(_ values: [Tensor]) -> Double {
            let out = withGradMode(true) { function(values) }
            precondition(out.shape == weights.shape, "function output shape changed between calls")
            return out.withUnsafeScalars { o in weights.withUnsafeScalars { w in
                var total = 0.0
                for i in 0..<o.count { total += Double(o[i]) * Double(w[i]) }
                return total
            } }
        }
        var entries: [GradientCheckReport.Entry] = []
        for (which, input) in inputs.enumerated() {
            for index in 0..<input.value.count {
                var values = inputs.map { $0.value.detached() }
                var plus = values[which], minus = values[which]
                let x = input.value.withUnsafeScalars { $0[index] }
                plus.withUnsafeMutableScalars { $0[index] = x + epsilon }
                minus.withUnsafeMutableScalars { $0[index] = x - epsilon }
                // The step actually taken in Float32 may differ slightly from 2 * epsilon.
                let step = Double(x + epsilon) - Double(x - epsilon)
                values[which] = plus
                let up = contracted(values)
                values[which] = minus
                let down = contracted(values)
                entries.append(.init(name: input.name, index: index, backprop: Double(analytic[which][index]),
                                     numeric: (up - down) / step))
            }
        }
        return GradientCheckReport(entries: entries, tolerance: tolerance)
    }
}

/// The result of a gradient check: one entry per scalar, a summary per input.
public struct GradientCheckReport: Sendable, CustomStringConvertible {
    public struct Entry: Sendable {
        public let name: String
        public let index: Int
        public let backprop: Double
        public let numeric: Double
        public var absoluteError: Double { Swift.abs(backprop - numeric) }
        /// |backprop - numeric| / max(|backprop|, |numeric|), 0 when both are 0.
        public var relativeError: Double {
            let scale = Swift.max(Swift.abs(backprop), Swift.abs(numeric))
            return scale == 0 ? 0 : absoluteError / scale
        }
    }

    /// Per input: the worst disagreement over its scalars.
    public struct Summary: Sendable {
        public let name: String
        public let count: Int
        public let maxAbsoluteError: Double
        public let maxRelativeError: Double
        public let passed: Bool
    }

    public let entries: [Entry]
    public let tolerance: Double

    public func passes(_ e: Entry) -> Bool {
        e.absoluteError <= tolerance * Swift.max(0.1, Swift.abs(e.backprop), Swift.abs(e.numeric))
    }

    /// True when every scalar's gradient agrees within the tolerance.
    public var passed: Bool { entries.allSatisfy(passes) }

    public var failures: [Entry] { entries.filter { !passes($0) } }

    public var summaries: [Summary] {
        var order: [String] = []
        var groups: [String: [Entry]] = [:]
        for e in entries {
            if groups[e.name] == nil { order.append(e.name) }
            groups[e.name, default: []].append(e)
        }
        return order.map { name in
            let g = groups[name]!
            return Summary(name: name, count: g.count,
                           maxAbsoluteError: g.map(\.absoluteError).max() ?? 0,
                           maxRelativeError: g.map(\.relativeError).max() ?? 0,
                           passed: g.allSatisfy(passes))
        }
    }

    /// A table: per input, the worst errors and whether it passed.
    public var description: String {
        var lines = ["parameter        scalars   max abs error   max rel error   ok"]
        for s in summaries {
            lines.append("\(s.name.padding(toLength: 16, withPad: " ", startingAt: 0)) \(String(s.count).leftPadded(7))   "
                + "\(format(s.maxAbsoluteError).leftPadded(13))   \(format(s.maxRelativeError).leftPadded(13))   \(s.passed ? "yes" : "NO")")
        }
        return lines.joined(separator: "\n")
    }

    private func format(_ x: Double) -> String {
        if x == 0 { return "0" }
        var exponent = 0
        var m = x
        while m >= 10 { m /= 10; exponent += 1 }
        while m < 1 { m *= 10; exponent -= 1 }
        return "\(Double(Int(m * 100)) / 100)e\(exponent)"
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}

extension GradientChecker {
    /// Checks the gradients of `loss` with respect to every parameter of `model`, named as the
    /// model names them (`fc1.weight`, ...): the table a lab shows.
    public static func check<Model: Layer>(_ model: Model, epsilon: Float = 5e-3, tolerance: Double = 1e-2,
                                           loss: @escaping (Model) -> Tensor) -> GradientCheckReport {
        check(model.parameters, epsilon: epsilon, tolerance: tolerance) { values in
            var copy = model
            var next = 0
            copy.visitParameters { _, p in p = values[next]; next += 1 }
            return loss(copy)
        }
    }
}
