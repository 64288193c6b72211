/// Ordinary least squares in closed form: the weights w (and intercept) that minimise
/// sum((X w + b - y)^2), from the normal equations (X^T X) w = X^T y.
///
/// Solved in Double with a Cholesky factorisation X^T X = L L^T (stable for a symmetric
/// positive definite matrix). Features are centred first when fitting an intercept, which keeps
/// X^T X well conditioned when a feature has a large offset.
public struct LeastSquares: Sendable, Equatable {
    public let weights: [Double]
    public let intercept: Double

    /// Fits features [n, d] to targets [n] or [n, 1].
    /// - Throws: on shape mismatch, too few rows, or collinear (or constant) features.
    public static func fit(features: Tensor, targets: Tensor, intercept fitIntercept: Bool = true) throws -> LeastSquares {
        guard features.rank == 2 else { throw EngineError.shapeMismatch("features must be [rows, features], got \(features.shape)") }
        let (n, d) = (features.shape[0], features.shape[1])
        guard targets.count == n, targets.rank == 1 || (targets.rank == 2 && targets.shape[1] == 1) else {
            throw EngineError.shapeMismatch("targets must be [\(n)] or [\(n), 1], got \(targets.shape)")
        }
        guard n >= d + (fitIntercept ? 1 : 0), d > 0 else {
            throw EngineError.invalidArgument("least squares needs at least as many rows as unknowns (\(n) rows, \(d) features)")
        }
        let x = features.copyScalars().map(Double.init), y = targets.copyScalars().map(Double.init)
        var featureMean = [Double](repeating: 0, count: d), targetMean = 0.0
        if fitIntercept {
            for r in 0..<n { for c in 0..<d { featureMean[c] += x[r * d + c] }; targetMean += y[r] }
            for c in 0..<d { featureMean[c] /= Double(n) }
            targetMean /= Double(n)
        }
        // Normal equations on the centred data.
        var gram = [Double](repeating: 0, count: d * d), rhs = [Double](repeating: 0, count: d)
        for r in 0..<n {
            for i in 0..<d {
                let xi = x[r * d + i] - featureMean[i]
                rhs[i] += xi * (y[r] - targetMean)
                for j in 0...i { gram[i * d + j] += xi * (x[r * d + j] - featureMean[j]) }
            }
        }
        let w = try choleskySolve(gram, rhs, size: d)
        var b = targetMean
        for c in 0..<d { b -= w[c] * featureMean[c] }
        return LeastSquares(weights: w, intercept: fitIntercept ? b : 0)
    }

    /// Predictions for features [n, d], as a tensor [n].
    public func predict(_ features: Tensor) -> Tensor {
        precondition(features.rank == 2 && features.shape[1] == weights.count,
                     "predict wants [rows, \(weights.count)], got \(features.shape)")
        let d = weights.count, x = features.copyScalars()
        return Tensor((0..<features.shape[0]).map { r in
            var s = intercept
            for c in 0..<d { s += weights[c] * Double(x[r * d + c]) }
            return Float(s)
        })
    }

    /// Solves A w = b for symmetric positive definite A (lower triangle used).
    static func choleskySolve(_ a: [Double], _ b: [Double], size d: Int) throws -> [Double] {
        var l = [Double](repeating: 0, count: d * d)
        var largest = 0.0
        for i in 0..<d { largest = Swift.max(largest, a[i * d + i]) }
        for i in 0..<d {
            for j in 0...i {
                var s = a[i * d + j]
                for k in 0..<j { s -= l[i * d + k] * l[j * d + k] }
                if i == j {
                    // A pivot that is tiny relative to the largest diagonal means a feature is
                    // (nearly) a combination of the others: the answer would not be unique.
                    guard s > 1e-12 * Swift.max(largest, 1e-300) else {
                        throw EngineError.notPositiveDefinite("feature \(i) is constant or a linear combination of other features")
                    }
                    l[i * d + i] = s.squareRoot()
                } else {
                    l[i * d + j] = s / l[j * d + j]
                }
            }
        }
        var z = [Double](repeating: 0, count: d)      // L z = b
        for i in 0..<d {
            var s = b[i]
            for k in 0..<i { s -= l[i * d + k] * z[k] }
            z[i] = s / l[i * d + i]
        }
        var w = [Double](repeating: 0, count: d)      // L^T w = z
        for i in stride(from: d - 1, through: 0, by: -1) {
            var s = z[i]
            for k in (i + 1)..<d { s -= l[k * d + i] * w[k] }
            w[i] = s / l[i * d + i]
        }
        return w
    }
}
