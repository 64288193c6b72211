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

    /// The histogram of this node's sibling: the parent's sums minus this child's, bin by bin.
    ///
    /// The trick the histogram-based libraries (LightGBM, XGBoost's `hist`) use: only the child
    /// with fewer rows is summed row by row and the other comes from one subtraction per bin,
    /// which halves the work of a level. A bin the sibling has no rows in is set to exactly zero,
    /// so no rounding residue can pass for a hessian.
    public func sibling(inParent parent: GradientHistogram) -> GradientHistogram {
        precondition(parent.features == features && parent.binsPerFeature == binsPerFeature, "histograms of different shapes")
        var sibling = self
        let size = counts.count
        // Fresh arrays written through pointers: copying the parent's and then editing them
        // cost a copy and a uniqueness check per bin.
        sibling.counts = [Int](unsafeUninitializedCapacity: size) { out, written in
            parent.counts.withUnsafeBufferPointer { p in
                counts.withUnsafeBufferPointer { c in
                    for slot in 0..<size { out[slot] = p[slot] - c[slot] }
                }
            }
            written = size
        }
        func difference(_ parentSums: [Double], _ childSums: [Double], rows: [Int]) -> [Double] {
            [Double](unsafeUninitializedCapacity: size) { out, written in
                parentSums.withUnsafeBufferPointer { p in
                    childSums.withUnsafeBufferPointer { c in
                        rows.withUnsafeBufferPointer { n in
                            for slot in 0..<size { out[slot] = n[slot] == 0 ? 0 : p[slot] - c[slot] }
                        }
                    }
                }
                written = size
            }
        }
        sibling.gradients = difference(parent.gradients, gradients, rows: sibling.counts)
        sibling.hessians = difference(parent.hessians, hessians, rows: sibling.counts)
        sibling.totalGradient = parent.totalGradient - totalGradient
        sibling.totalHessian = parent.totalHessian - totalHessian
        return sibling
    }
}
