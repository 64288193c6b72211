import Foundation

/// The loss a boosted model lowers, with the two things each round needs from it: every row's
/// gradient and second derivative (hessian) with respect to the current score.
///
/// Scores are raw margins: the number itself for squared error, the log-odds for log-loss, one
/// logit per class for softmax (`outputs` scores per row, row-major).
public enum BoostingObjective: Sendable, Equatable {
    /// Squared error `(score - y)^2 / 2`: gradient `score - y`, hessian 1, so a leaf's Newton
    /// weight is the mean residual of its rows (shrunk by lambda).
    case squaredError
    /// Binary log-loss on labels 0/1 with `p = sigmoid(score)`: gradient `p - y`, hessian `p (1 - p)`.
    case logLoss
    /// Multiclass cross-entropy on labels 0..<classes with `p = softmax(scores)`: for class k,
    /// gradient `p_k - [y = k]` and hessian `p_k (1 - p_k)`; one tree per class per round.
    case softmax(classes: Int)

    /// Scores per row: 1, or the number of classes.
    public var outputs: Int {
        if case .softmax(let classes) = self { return classes }
        return 1
    }

    /// Hessians below this are raised to it: a row the model is already sure of (p near 0 or 1)
    /// would otherwise make H + lambda vanish in a leaf with lambda = 0.
    static let smallestHessian = 1e-16

    /// The starting score of every row: the best constant. The mean target for squared error,
    /// the log-odds of the positive rate for log-loss, the log of each class's frequency for
    /// softmax.
    public func baseScore(labels: [Double]) -> [Double] {
        let n = Double(max(labels.count, 1))
        switch self {
        case .squaredError:
            return [labels.reduce(0, +) / n]
        case .logLoss:
            let p = min(max(labels.reduce(0, +) / n, 1e-6), 1 - 1e-6)
            return [log(p / (1 - p))]
        case .softmax(let classes):
            var counts = [Double](repeating: 0, count: classes)
            for y in labels { counts[Int(y)] += 1 }
            return counts.map { log(max($0 / n, 1e-6)) }
        }
    }

    /// Fills `gradient` and `hessian` ([rows * outputs], class-major within a row like `scores`).
    public func derivatives(scores: [Double], labels: [Double], gradient: inout [Double], hessian: inout [Double]) {
        let rows = labels.count
        switch self {
        case .squaredError:
            for i in 0..<rows { gradient[i] = scores[i] - labels[i]; hessian[i] = 1 }
        case .logLoss:
            for i in 0..<rows {
                let p = Self.sigmoid(scores[i])
                gradient[i] = p - labels[i]
                hessian[i] = max(p * (1 - p), Self.smallestHessian)
            }
        case .softmax(let classes):
            var p = [Double](repeating: 0, count: classes)
            for i in 0..<rows {
                Self.softmax(scores, row: i, classes: classes, into: &p)
                for k in 0..<classes {
                    gradient[i * classes + k] = p[k] - (Int(labels[i]) == k ? 1 : 0)
                    hessian[i * classes + k] = max(p[k] * (1 - p[k]), Self.smallestHessian)
                }
            }
        }
    }

    /// The mean loss: squared error as the plain mean of (score - y)^2 (the MSE), log-loss and
    /// softmax as the mean negative log-probability of the true label.
    public func loss(scores: [Double], labels: [Double]) -> Double {
        let rows = labels.count
        guard rows > 0 else { return 0 }
        var total = 0.0
        switch self {
        case .squaredError:
            for i in 0..<rows { total += (scores[i] - labels[i]) * (scores[i] - labels[i]) }
        case .logLoss:
            // -log sigmoid(s) = log(1 + e^-s), written to stay finite for large |s|.
            for i in 0..<rows {
                let s = labels[i] > 0.5 ? scores[i] : -scores[i]
                total += s > 0 ? log1p(exp(-s)) : -s + log1p(exp(s))
            }
        case .softmax(let classes):
            for i in 0..<rows {
                let row = scores[(i * classes)..<((i + 1) * classes)]
                let top = row.max() ?? 0
                let logSum = top + log(row.reduce(0) { $0 + exp($1 - top) })
                total += logSum - scores[i * classes + Int(labels[i])]
            }
        }
        return total / Double(rows)
    }

    /// What a score means: the number itself, the probability of class 1, or the class
    /// probabilities.
    public func prediction(scores: [Double], row: Int) -> [Double] {
        switch self {
        case .squaredError: return [scores[row]]
        case .logLoss: return [Self.sigmoid(scores[row])]
        case .softmax(let classes):
            var p = [Double](repeating: 0, count: classes)
            Self.softmax(scores, row: row, classes: classes, into: &p)
            return p
        }
    }

    @inline(__always)
    static func sigmoid(_ s: Double) -> Double { s >= 0 ? 1 / (1 + exp(-s)) : exp(s) / (1 + exp(s)) }

    static func softmax(_ scores: [Double], row: Int, classes: Int, into p: inout [Double]) {
        let base = row * classes
        var top = -Double.infinity
        for k in 0..<classes { top = max(top, scores[base + k]) }
        var sum = 0.0
        for k in 0..<classes { p[k] = exp(scores[base + k] - top); sum += p[k] }
        for k in 0..<classes { p[k] /= sum }
    }
}
