import Foundation
import MLEngine

/// One-dimensional age-to-risk data sets for the first regression labs.
public struct RiskCurveConfig: Codable, Sendable, Equatable {
    /// "line": risk = intercept + slope * age + noise.
    /// "bend": risk flat until `bendAge`, then rising by `slopeAfterBend` a year, plus noise.
    public var shape: String
    public var count: Int
    public var ageRange: [Double]
    public var intercept: Double
    public var slope: Double
    public var bendAge: Double
    public var slopeAfterBend: Double
    /// Standard deviation of the noise, percentage points.
    public var noise: Double

    public init(shape: String, count: Int = 200, ageRange: [Double] = [30, 80], intercept: Double = -10,
                slope: Double = 0.5, bendAge: Double = 55, slopeAfterBend: Double = 1.5, noise: Double = 2) {
        self.shape = shape
        self.count = count
        self.ageRange = ageRange
        self.intercept = intercept
        self.slope = slope
        self.bendAge = bendAge
        self.slopeAfterBend = slopeAfterBend
        self.noise = noise
    }

    /// The noise-free curve.
    public func risk(age: Double) -> Double {
        if shape == "bend" { return intercept + slope * age + slopeAfterBend * Swift.max(0, age - bendAge) }
        return intercept + slope * age
    }
}

/// Ages and risks, sorted by age.
public struct RiskCurve: Sendable, Equatable {
    public var ages: [Double]
    public var risks: [Double]

    public static func generate(_ config: RiskCurveConfig, seed: UInt64) throws -> RiskCurve {
        guard config.shape == "line" || config.shape == "bend" else {
            throw CardioSimError.invalidParameter("shape must be \"line\" or \"bend\", got \"\(config.shape)\"")
        }
        guard config.ageRange.count == 2, config.ageRange[0] < config.ageRange[1], config.count > 0 else {
            throw CardioSimError.invalidParameter("ageRange must be [low, high] with low < high, count > 0")
        }
        var rng = SeededGenerator(seed: seed)
        let ages = (0..<config.count).map { _ in rng.uniform(config.ageRange[0], config.ageRange[1]) }.sorted()
        let risks = ages.map { config.risk(age: $0) + rng.normal(mean: 0, std: config.noise) }
        return RiskCurve(ages: ages, risks: risks)
    }
}
