/// For one tree node: the sums of the loss's gradients (G) and second derivatives (H) over the
/// node's rows, bin by bin, feature by feature.
///
/// This is all split finding needs. Every candidate split "bin <= b goes left" has
/// G_left = the sum of the bins 0...b, so one pass over the rows and one running sum per feature
/// replace sorting the rows for every feature at every node.
public struct GradientHistogram: Sendable, Equatable {
    public let features: Int
    /// Bins per feature (room for the widest feature).
    public let binsPerFeature: Int
    /// `gradients[feature * binsPerFeature + bin]`, and the same for `hessians` and `counts`.
    public private(set) var gradients: [Double]
    public private(set) var hessians: [Double]
    public private(set) var counts: [Int]
    /// Totals over the node's rows (the same for every feature).
    public private(set) var totalGradient = 0.0
    public private(set) var totalHessian = 0.0

    /// Sums `gradient[r]` and `hessian[r]` of each row `r` in `rows` into its bin of every
    /// feature. Rows are added in the order given, so the sums are the same on every run.
    public init(binned: BinnedMatrix, rows: ArraySlice<Int>, gradient: [Double], hessian: [Double], binsPerFeature: Int = 256) {
        features = binned.features
        self.binsPerFeature = binsPerFeature
        let size = features * binsPerFeature
        var g = [Double](repeating: 0, count: size), h = [Double](repeating: 0, count: size)
        var n = [Int](repeating: 0, count: size)
        var (sumG, sumH) = (0.0, 0.0)
        let width = features
        binned.bins.withUnsafeBufferPointer { bins in
            g.withUnsafeMutableBufferPointer { g in
                h.withUnsafeMutableBufferPointer { h in
                    n.withUnsafeMutableBufferPointer { n in
                        for r in rows {
                            let (gr, hr) = (gradient[r], hessian[r])
                            sumG += gr
                            sumH += hr
                            let base = r * width
                            for f in 0..<width {
                                let slot = f * binsPerFeature + Int(bins[base + f])
                                g[slot] += gr
                                h[slot] += hr
                                n[slot] += 1
                            }
                        }
                    }
                }
            }
        }
        (gradients, hessians, counts) = (g, h, n)
        (totalGradient, totalHessian) = (sumG, sumH)
    }
}
