/// An input moved and rescaled before it reaches a model, x' = (x - centre) / unit, so that
/// gradient descent sees numbers near 1 whatever units the data came in.
///
/// Why it matters: with raw ages (30-80) the loss bowl is hundreds of times steeper along the
/// weight than along the bias, and no single learning rate suits both. Centring makes the two
/// directions independent; rescaling makes their steepness comparable.
public struct InputScaling: Sendable, Equatable {
    public var centre: Double
    public var unit: Double

    /// - Precondition: `unit` is positive and finite.
    public init(centre: Double, unit: Double) {
        precondition(unit > 0 && unit.isFinite, "an input scaling needs a positive unit, got \(unit)")
        self.centre = centre
        self.unit = unit
    }

    /// Centre on the mean and divide by the standard deviation (1 for constant data): the usual
    /// standardisation, giving mean 0 and variance 1.
    public static func standardizing(_ values: [Double]) -> InputScaling {
        let mean = values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
        let variance = values.isEmpty ? 0 : values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
        return InputScaling(centre: mean, unit: variance > 0 ? variance.squareRoot() : 1)
    }

    /// Centre on the mean and count in a fixed, readable `unit` (ages in decades).
    public static func centring(_ values: [Double], unit: Double) -> InputScaling {
        let mean = values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
        return InputScaling(centre: mean, unit: unit)
    }

    public func apply(_ x: Double) -> Double { (x - centre) / unit }

    public func apply(_ values: [Double]) -> [Double] { values.map(apply) }

    /// A line fitted on scaled inputs, guess = w x' + b, said in the original units:
    /// guess = (w / unit) x + (b - w centre / unit).
    public func lineInOriginalUnits(weight w: Double, bias b: Double) -> (weight: Double, bias: Double) {
        (w / unit, b - w * centre / unit)
    }
}
