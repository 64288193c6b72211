/// The regularisation and limits that decide whether and where a node splits (XGBoost's
/// `lambda`, `gamma`, `min_child_weight`).
public struct SplitRules: Sendable, Equatable, Codable {
    /// L2 penalty on leaf weights: added to every H, it shrinks leaves that rest on few rows.
    public var lambda: Double
    /// The least gain a split must bring (`min_split_loss`).
    public var gamma: Double
    /// The least total hessian each child must keep (for squared error: the least row count).
    public var minChildWeight: Double

    public init(lambda: Double = 1, gamma: Double = 0, minChildWeight: Double = 1) {
        self.lambda = lambda
        self.gamma = gamma
        self.minChildWeight = minChildWeight
    }

    /// The Newton step for a leaf holding gradient sum `g` and hessian sum `h`: the weight that
    /// minimises the second-order approximation `g w + (h + lambda) w^2 / 2` of the loss.
    @inline(__always)
    public func leafWeight(gradient g: Double, hessian h: Double) -> Double { -g / (h + lambda) }

    /// How much a leaf with these sums lowers the loss, times two: `g^2 / (h + lambda)`.
    @inline(__always)
    public func score(gradient g: Double, hessian h: Double) -> Double { g * g / (h + lambda) }

    /// Gain of splitting (G, H) into (G_L, H_L) and (G_R, H_R):
    /// `G_L^2/(H_L+lambda) + G_R^2/(H_R+lambda) - G^2/(H+lambda) - gamma`.
    public func gain(left: (g: Double, h: Double), right: (g: Double, h: Double)) -> Double {
        score(gradient: left.g, hessian: left.h) + score(gradient: right.g, hessian: right.h)
            - score(gradient: left.g + right.g, hessian: left.h + right.h) - gamma
    }
}

/// The best split of one node: rows whose `feature` falls in bins `0...bin` (values below
/// `threshold`) go left.
public struct Split: Sendable, Equatable {
    public var feature: Int
    public var bin: Int
    public var gain: Double
    public var leftGradient: Double
    public var leftHessian: Double
    public var rightGradient: Double
    public var rightHessian: Double
}

extension SplitRules {
    /// Scans every boundary between bins of every feature, left to right, and returns the split
    /// with the largest positive gain that leaves each child at least `minChildWeight` of
    /// hessian; nil when no split gains anything. Ties keep the first found (the lowest feature,
    /// then the lowest bin), so the choice never depends on timing.
    public func bestSplit(_ histogram: GradientHistogram, bins: FeatureBins) -> Split? {
        let (totalG, totalH) = (histogram.totalGradient, histogram.totalHessian)
        // Every row lands in exactly one bin of feature 0.
        let totalRows = histogram.counts.prefix(histogram.binsPerFeature).reduce(0, +)
        var best: Split?
        histogram.gradients.withUnsafeBufferPointer { g in
            histogram.hessians.withUnsafeBufferPointer { h in
            histogram.counts.withUnsafeBufferPointer { n in
                for feature in 0..<histogram.features {
                    let base = feature * histogram.binsPerFeature
                    var (leftG, leftH, leftRows) = (0.0, 0.0, 0)
                    // Splitting after the last bin would leave the right child empty.
                    for bin in 0..<(bins.binCount(feature) - 1) {
                        leftG += g[base + bin]
                        leftH += h[base + bin]
                        // An empty bin moves no row: its split has the previous bin's sums and gain,
                        // and a tie keeps the first, so skipping it changes nothing but the time (a
                        // deep node of 60 rows leaves most of 250 x 256 bins empty).
                        guard n[base + bin] > 0 else { continue }
                        leftRows += n[base + bin]
                        let (rightG, rightH) = (totalG - leftG, totalH - leftH)
                        // Each child needs rows, and a positive H: with lambda 0 a child whose H
                        // cancelled to 0 in the subtraction would get an infinite weight.
                        guard leftRows > 0, leftRows < totalRows, leftH > 0, rightH > 0,
                              leftH >= minChildWeight, rightH >= minChildWeight else { continue }
                        let gain = self.gain(left: (leftG, leftH), right: (rightG, rightH))
                        if gain > (best?.gain ?? 0) {
                            best = Split(feature: feature, bin: bin, gain: gain, leftGradient: leftG, leftHessian: leftH,
                                         rightGradient: rightG, rightHessian: rightH)
                        }
                    }
                }
                }
            }
        }
        return best
    }
}
