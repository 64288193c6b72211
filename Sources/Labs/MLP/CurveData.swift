import CardioSim
import Foundation
import MLEngine

/// The target shapes of the `mlp-curve` lab, all over the same patient ages.
enum CurveShape: String, CaseIterable, Sendable {
    /// Chapter 1's risk data: flat until 55, then rising steeply (the "risk-bend" recipe).
    case bend
    /// A jump at 55: risk 10 before, 30 after.
    case step
    /// Two full waves over the age range, between 10 and 30.
    case sine
    /// A V with its point at 55: 5 + 1.2 |age - 55|.
    case abs

    static var names: [String] { allCases.map(\.rawValue) }

    /// The noise-free value of the shapes made here; nil for `bend`, whose data come from the
    /// "risk-bend" recipe as they are.
    func value(age: Double) -> Double? {
        switch self {
        case .bend: return nil
        case .step: return age < 55 ? 10 : 30
        case .sine: return 20 + 10 * Foundation.sin(2 * Double.pi * (age - 30) / 25)
        case .abs: return 5 + 1.2 * Swift.abs(age - 55)
        }
    }
}

/// Ages and risks for one shape, with the best straight line through them.
struct CurveData: Sendable {
    var ages: [Double]
    var risks: [Double]
    /// The least-squares line risk = slope x age + intercept, and its mean squared error.
    var lineSlope: Double
    var lineIntercept: Double
    var lineLoss: Double

    /// Inputs and targets are standardised for training (mean 0, standard deviation 1), so one
    /// learning rate suits every shape; losses are reported back in the data's own units.
    var ageMean: Double
    var ageScale: Double
    var riskMean: Double
    var riskScale: Double
    var inputs: Tensor
    var targets: Tensor

    /// The ages of the "risk-bend" recipe, with `shape`'s risks. `bend` is the recipe's data as
    /// it is; the other shapes reuse its ages and add noise of the recipe's size (2 points),
    /// drawn from a generator seeded by the recipe's seed, so the data never depend on the lab's
    /// seed (that only sets the network's starting weights).
    static func make(_ shape: CurveShape, recipe: RiskCurve) -> CurveData {
        guard shape != .bend else { return CurveData(ages: recipe.ages, risks: recipe.risks) }
        var noise = SeededGenerator(seed: 48 &+ UInt64(CurveShape.allCases.firstIndex(of: shape) ?? 0))
        let risks = recipe.ages.map { (shape.value(age: $0) ?? 0) + noise.normal(mean: 0, std: 2) }
        return CurveData(ages: recipe.ages, risks: risks)
    }

    init(ages: [Double], risks: [Double]) {
        self.ages = ages
        self.risks = risks
        let n = Double(ages.count)
        let am = ages.reduce(0, +) / n, rm = risks.reduce(0, +) / n
        ageMean = am
        riskMean = rm
        ageScale = max(1e-9, (ages.reduce(0) { $0 + ($1 - am) * ($1 - am) } / n).squareRoot())
        riskScale = max(1e-9, (risks.reduce(0) { $0 + ($1 - rm) * ($1 - rm) } / n).squareRoot())
        // Ordinary least squares in closed form, in Double: the line no MLP without bends can beat.
        var sxy = 0.0, sxx = 0.0
        for (a, r) in zip(ages, risks) { sxy += (a - ageMean) * (r - riskMean); sxx += (a - ageMean) * (a - ageMean) }
        lineSlope = sxx > 0 ? sxy / sxx : 0
        lineIntercept = riskMean - lineSlope * ageMean
        var squares = 0.0
        for (a, r) in zip(ages, risks) { let e = lineSlope * a + lineIntercept - r; squares += e * e }
        lineLoss = squares / n
        let (asc, rsc) = (ageScale, riskScale)
        inputs = Tensor(shape: [ages.count, 1], scalars: ages.map { Float(($0 - am) / asc) })
        targets = Tensor(shape: [risks.count, 1], scalars: risks.map { Float(($0 - rm) / rsc) })
    }

    /// Standardised ages for arbitrary ages (for drawing the fitted curve).
    func standardised(ages: [Double]) -> Tensor {
        Tensor(shape: [ages.count, 1], scalars: ages.map { Float(($0 - ageMean) / ageScale) })
    }

    /// Mean squared error, in the data's units, of standardised predictions.
    func loss(ofStandardised predictions: Tensor) -> Double {
        var squares = 0.0
        predictions.withUnsafeScalars { p in
            for i in risks.indices {
                let e = Double(p[i]) * riskScale + riskMean - risks[i]
                squares += e * e
            }
        }
        return squares / Double(risks.count)
    }
}
