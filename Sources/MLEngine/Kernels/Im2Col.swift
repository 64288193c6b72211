import Dispatch
import Synchronization

/// The shape arithmetic of a 1-D sliding window (convolution or pooling): where window `t` starts
/// in the input, and how many windows fit.
///
/// Window t reads input positions `t * stride - padding + j * dilation` for taps j = 0 ..< kernel;
/// positions outside 0 ..< length read as zero (the padding).
struct WindowPlan: Sendable, Equatable {
    let length: Int
    let kernel: Int
    let stride: Int
    let padding: Int
    let dilation: Int

    /// floor((length + 2 padding - dilation (kernel - 1) - 1) / stride) + 1, or 0 when no window fits.
    var outputLength: Int {
        let span = dilation * (kernel - 1) + 1
        let room = length + 2 * padding - span
        return room < 0 ? 0 : room / stride + 1
    }

    /// The windows t in `result` for which tap j falls inside the input (the others read padding).
    func validWindows(tap j: Int) -> Range<Int> {
        let offset = j * dilation - padding          // input position of tap j in window 0
        // smallest t with t * stride + offset >= 0, and first t with t * stride + offset >= length
        let first = offset >= 0 ? 0 : (-offset + stride - 1) / stride
        let end = length - offset <= 0 ? 0 : (length - offset + stride - 1) / stride
        let lo = Swift.min(first, outputLength), hi = Swift.min(Swift.max(end, lo), outputLength)
        return lo..<hi
    }
}

/// im2col and col2im for one sample, the loops behind `conv1d`.
enum Im2Col {
    /// Unfolds one sample x [channels, length] into columns [channels * kernel, outputLength]:
    /// row (c, j) holds tap j of channel c for every window, so a window's dot product with the
    /// filters becomes one column of a matrix product.
    static func unfold(_ x: UnsafePointer<Float>, channels: Int, plan: WindowPlan, into col: UnsafeMutablePointer<Float>) {
        let n = plan.outputLength, k = plan.kernel, s = plan.stride
        for j in 0..<k {
            let valid = plan.validWindows(tap: j)
            let offset = j * plan.dilation - plan.padding
            for c in 0..<channels {
                let row = col + (c * k + j) * n
                let source = x + c * plan.length
                if valid.lowerBound > 0 { row.update(repeating: 0, count: valid.lowerBound) }
                if valid.upperBound < n { (row + valid.upperBound).update(repeating: 0, count: n - valid.upperBound) }
                if s == 1 {
                    if !valid.isEmpty { (row + valid.lowerBound).update(from: source + valid.lowerBound + offset, count: valid.count) }
                } else {
                    for t in valid { row[t] = source[t * s + offset] }
                }
            }
        }
    }

    /// One sample's column matrix: unfolded into `scratch`, or, for a pointwise convolution
    /// (no scratch), the signal itself, whose rows already are the columns.
    static func columns(of x: UnsafePointer<Float>, channels: Int, plan: WindowPlan,
                        scratch: UnsafeMutablePointer<Float>?) -> UnsafePointer<Float> {
        guard let scratch else { return x }
        unfold(x, channels: channels, plan: plan, into: scratch)
        return UnsafePointer(scratch)
    }

    /// The adjoint of `unfold`: adds each column entry back onto the input position it was read
    /// from. `dx` [channels, length] must hold zeros (or a sum to add to).
    static func fold(_ col: UnsafePointer<Float>, channels: Int, plan: WindowPlan, into dx: UnsafeMutablePointer<Float>) {
        let n = plan.outputLength, k = plan.kernel, s = plan.stride
        for c in 0..<channels {
            let target = dx + c * plan.length
            for j in 0..<k {
                let valid = plan.validWindows(tap: j)
                let offset = j * plan.dilation - plan.padding
                let row = col + (c * k + j) * n
                if s == 1 {
                    let shifted = target + offset
                    for t in valid { shifted[t] += row[t] }
                } else {
                    for t in valid { target[t * s + offset] += row[t] }
                }
            }
        }
    }
}

/// Splits `count` samples into a fixed number of contiguous groups (never more than `maxGroups`)
/// and runs `body(group, range)` for each on the available cores. The groups depend only on
/// `count` and `maxGroups`, never on the thread count, so per-group partial sums are always the
/// same.
func forEachSampleGroup(count: Int, maxGroups: Int = 8, _ body: @Sendable (_ group: Int, _ samples: Range<Int>) -> Void) {
    let groups = Swift.max(1, Swift.min(count, maxGroups))
    let per = (count + groups - 1) / Swift.max(groups, 1)
    @Sendable func range(_ g: Int) -> Range<Int> { Swift.min(count, g * per)..<Swift.min(count, (g + 1) * per) }
    let threads = GEMMPlan.defaultThreadCount
    if threads <= 1 || groups <= 1 {
        for g in 0..<groups { body(g, range(g)) }
        return
    }
    let next = Atomic<Int>(0)
    DispatchQueue.concurrentPerform(iterations: Swift.min(threads, groups)) { _ in
        while true {
            let g = next.wrappingAdd(1, ordering: .relaxed).oldValue
            if g >= groups { return }
            body(g, range(g))
        }
    }
}

/// A raw pointer that parallel tasks share: they read it, or each writes only its own part.
struct SharedPointer: @unchecked Sendable {
    let address: UnsafeMutablePointer<Float>
    init(_ address: UnsafeMutablePointer<Float>) { self.address = address }
    init(_ address: UnsafePointer<Float>) { self.address = UnsafeMutablePointer(mutating: address) }
}
