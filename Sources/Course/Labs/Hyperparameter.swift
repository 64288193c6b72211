import Foundation

/// One knob of a lab that the learner may turn: its name, current value, the values it may
/// take, a one-line help text, and whether a change applies to the running training or needs
/// the lab to restart.
public struct Hyperparameter: Sendable, Hashable {
    /// How a numeric value is stepped by the + and - keys.
    public enum Scale: Sendable, Hashable {
        /// Adds or subtracts `step`.
        case linear(step: Double)
        /// Multiplies or divides by `factor` (> 1): the right scale for learning rates, sizes,
        /// anything whose interesting values span powers of ten.
        case log(factor: Double)
    }

    /// The values a hyperparameter may take.
    public enum Domain: Sendable, Hashable {
        /// A number in `range`; `integer` numbers must be whole.
        case numeric(range: ClosedRange<Double>, scale: Scale, integer: Bool)
        /// One of a fixed list of names (`relu`, `tanh`; `on`, `off`).
        case choices([String])
    }

    /// When a change takes effect.
    public enum Effect: Sendable, Hashable {
        /// At the next step boundary, without losing what the lab has learned (learning rate,
        /// momentum, noise).
        case live
        /// Only when the lab restarts (model size, data set, activation): changing it resets.
        case reset
    }

    public var name: String
    public var value: HyperValue
    public var domain: Domain
    public var effect: Effect
    /// One line for the help panel and completions.
    public var help: String

    public init(name: String, value: HyperValue, domain: Domain, effect: Effect, help: String) {
        self.name = name
        self.value = value
        self.domain = domain
        self.effect = effect
        self.help = help
    }

    /// A number on a log scale, stepped by multiplying by `factor`.
    public static func logScale(_ name: String, _ value: Double, in range: ClosedRange<Double>,
                                factor: Double = 2, integer: Bool = false,
                                effect: Effect = .live, help: String) -> Hyperparameter {
        // Multiplying can never leave 0 or change sign: a log scale needs a positive range.
        precondition(range.lowerBound > 0 && factor > 1, "log-scale \(name) needs a positive range and a factor above 1")
        return Hyperparameter(name: name, value: .number(value),
                       domain: .numeric(range: range, scale: .log(factor: factor), integer: integer),
                       effect: effect, help: help)
    }

    /// A number on a linear scale, stepped by adding `step`.
    public static func linear(_ name: String, _ value: Double, in range: ClosedRange<Double>,
                              step: Double, integer: Bool = false,
                              effect: Effect = .live, help: String) -> Hyperparameter {
        Hyperparameter(name: name, value: .number(value),
                       domain: .numeric(range: range, scale: .linear(step: step), integer: integer),
                       effect: effect, help: help)
    }

    /// One of a list of named values.
    public static func choice(_ name: String, _ value: String, among choices: [String],
                              effect: Effect = .reset, help: String) -> Hyperparameter {
        Hyperparameter(name: name, value: .choice(value), domain: .choices(choices),
                       effect: effect, help: help)
    }

    /// The valid values in words: "between 0.0001 and 1 (log scale)", "one of relu, tanh".
    public var rangeDescription: String {
        switch domain {
        case .numeric(let range, let scale, let integer):
            let kind = integer ? "a whole number " : ""
            let scaleText: String
            switch scale {
            case .linear: scaleText = ""
            case .log: scaleText = " (log scale)"
            }
            return "\(kind)between \(NumberText.format(range.lowerBound)) and \(NumberText.format(range.upperBound))\(scaleText)"
        case .choices(let names):
            return "one of " + names.joined(separator: ", ")
        }
    }

    /// Checks a value against the domain.
    /// - Throws: `HyperparameterError` naming the valid values.
    public func validated(_ candidate: HyperValue) throws(HyperparameterError) -> HyperValue {
        switch (domain, candidate) {
        case (.numeric(let range, _, let integer), .number(let x)):
            guard x.isFinite, range.contains(x), !integer || x == x.rounded() else {
                throw .outOfRange(name: name, valid: rangeDescription, got: candidate.description)
            }
            return candidate
        case (.choices(let names), .choice(let c)):
            if let match = names.first(where: { $0.lowercased() == c.lowercased() }) { return .choice(match) }
            throw .outOfRange(name: name, valid: rangeDescription, got: c)
        case (.choices, .number(let x)):
            // A choice list of numbers ("heads: 1, 2, 4") typed as a number.
            return try validated(.choice(NumberText.format(x)))
        case (.numeric, .choice(let c)):
            throw .notANumber(name: name, valid: rangeDescription, got: c)
        }
    }

    /// Reads a value as typed on the command line or written in a lesson (`0.01`, `1e-3`, `relu`),
    /// then validates it.
    public func parse(_ text: String) throws(HyperparameterError) -> HyperValue {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        switch domain {
        case .numeric:
            guard let x = NumberText.parse(trimmed) else {
                throw .notANumber(name: name, valid: rangeDescription, got: trimmed)
            }
            return try validated(.number(x))
        case .choices:
            return try validated(.choice(trimmed))
        }
    }

    /// The value one press of + (`up`) or - away: log scales multiply or divide by their factor,
    /// linear scales add or subtract their step, both stop at the ends of the range; choices
    /// cycle round.
    public func stepped(up: Bool) -> HyperValue {
        switch (domain, value) {
        case (.numeric(let range, let scale, let integer), .number(let x)):
            var next: Double
            switch scale {
            case .linear(let step): next = up ? x + step : x - step
            case .log(let factor): next = up ? x * factor : x / factor
            }
            if integer {
                next = next.rounded()
                // A small integer times a small factor may round back to itself; always move.
                if next == x { next = up ? x + 1 : x - 1 }
            } else {
                // Keep values tidy (0.1 * 3 must show as 0.3, not 0.30000000000000004).
                next = Double(String(format: "%.10g", next)) ?? next
            }
            return .number(min(max(next, range.lowerBound), range.upperBound))
        case (.choices(let names), .choice(let c)):
            guard let i = names.firstIndex(of: c), !names.isEmpty else { return value }
            let j = (i + (up ? 1 : names.count - 1)) % names.count
            return .choice(names[j])
        default:
            return value
        }
    }
}

/// Why a hyperparameter value was refused.
public enum HyperparameterError: Error, Equatable, CustomStringConvertible {
    case outOfRange(name: String, valid: String, got: String)
    case notANumber(name: String, valid: String, got: String)
    case unknown(name: String, lab: String, known: [String])

    public var description: String {
        switch self {
        case .outOfRange(let name, let valid, let got):
            return "\(name) must be \(valid); got \(got)"
        case .notANumber(let name, let valid, let got):
            return "\(name) must be a number \(valid); got '\(got)'"
        case .unknown(let name, let lab, let known):
            return "lab '\(lab)' has no hyperparameter '\(name)'" + Suggestion.didYouMean(name, in: known)
                + (known.isEmpty ? "" : " (it has: \(known.joined(separator: ", ")))")
        }
    }
}

extension Array where Element == Hyperparameter {
    /// The hyperparameter called `name`, if any.
    public subscript(named name: String) -> Hyperparameter? { first { $0.name == name } }
}
