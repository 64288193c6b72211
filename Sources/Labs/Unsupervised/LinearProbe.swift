import Foundation

/// A linear probe: multinomial logistic regression trained on a few labelled feature vectors,
/// then scored on test vectors. `simclr` runs the same probe on the encoder's features and on
/// the raw beats, with the same labelled beats, so the two accuracies compare the features only.
///
/// Each feature is first standardised with the mean and standard deviation of the labelled
/// vectors (a constant feature becomes 0). Then full-batch gradient descent on the mean
/// cross-entropy plus `l2` × the squared weights, `iterations` times with step `rate`, from zero
/// weights: deterministic, no random numbers.
enum LinearProbe {
    static let iterations = 300
    static let rate = 0.5
    static let l2 = 0.001

    /// The share of `testLabels` the probe trained on (`trainFeatures`, `trainLabels`) gets right.
    /// Features are row-major [count, dimension].
    static func accuracy(trainFeatures: [Double], trainLabels: [Int], testFeatures: [Double], testLabels: [Int],
                         dimension d: Int, classes c: Int) -> Double {
        let n = trainLabels.count, m = testLabels.count
        guard n > 0, m > 0, d > 0, c > 0 else { return 0 }
        var mean = [Double](repeating: 0, count: d), scale = [Double](repeating: 0, count: d)
        for i in 0..<n { for j in 0..<d { mean[j] += trainFeatures[i * d + j] } }
        for j in 0..<d { mean[j] /= Double(n) }
        for i in 0..<n { for j in 0..<d { let v = trainFeatures[i * d + j] - mean[j]; scale[j] += v * v } }
        for j in 0..<d {
            let deviation = (scale[j] / Double(n)).squareRoot()
            scale[j] = deviation > 1e-9 ? 1 / deviation : 0
        }
        func standardised(_ rows: [Double], _ count: Int) -> [Double] {
            var out = rows
            for i in 0..<count { for j in 0..<d { out[i * d + j] = (rows[i * d + j] - mean[j]) * scale[j] } }
            return out
        }
        let x = standardised(trainFeatures, n)
        var weights = [Double](repeating: 0, count: d * c), bias = [Double](repeating: 0, count: c)
        var gradW = [Double](repeating: 0, count: d * c), gradB = [Double](repeating: 0, count: c)
        var p = [Double](repeating: 0, count: c)
        x.withUnsafeBufferPointer { xs in
            for _ in 0..<iterations {
                for k in 0..<(d * c) { gradW[k] = 2 * l2 * weights[k] }
                for k in 0..<c { gradB[k] = 0 }
                weights.withUnsafeBufferPointer { w in
                    gradW.withUnsafeMutableBufferPointer { gw in
                        for i in 0..<n {
                            let row = xs.baseAddress! + i * d
                            for k in 0..<c { p[k] = bias[k] }
                            for j in 0..<d {
                                let v = row[j]
                                if v == 0 { continue }
                                for k in 0..<c { p[k] += v * w[j * c + k] }
                            }
                            softmax(&p)
                            p[trainLabels[i]] -= 1
                            for k in 0..<c { p[k] /= Double(n); gradB[k] += p[k] }
                            for j in 0..<d {
                                let v = row[j]
                                if v == 0 { continue }
                                for k in 0..<c { gw[j * c + k] += v * p[k] }
                            }
                        }
                    }
                }
                for k in 0..<(d * c) { weights[k] -= rate * gradW[k] }
                for k in 0..<c { bias[k] -= rate * gradB[k] }
            }
        }
        let t = standardised(testFeatures, m)
        var correct = 0
        for i in 0..<m {
            var best = 0, bestScore = -Double.infinity
            for k in 0..<c {
                var s = bias[k]
                for j in 0..<d { s += t[i * d + j] * weights[j * c + k] }
                if s > bestScore { bestScore = s; best = k }
            }
            if best == testLabels[i] { correct += 1 }
        }
        return Double(correct) / Double(m)
    }

    private static func softmax(_ p: inout [Double]) {
        let top = p.max() ?? 0
        var sum = 0.0
        for k in p.indices { p[k] = exp(p[k] - top); sum += p[k] }
        for k in p.indices { p[k] /= sum }
    }
}
