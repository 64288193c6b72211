/// Shape arithmetic shared by the kernels: strides, broadcasting, axis normalisation.
enum ShapeMath {
    /// Row-major strides: the distance in scalars between neighbours along each axis.
    static func strides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var step = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[axis] = step
            step *= shape[axis]
        }
        return strides
    }

    /// The shape two operands broadcast to (NumPy rules: align on the right; sizes equal or 1).
    static func broadcast(_ a: [Int], _ b: [Int]) -> [Int] {
        let rank = max(a.count, b.count)
        var out = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            precondition(da == db || da == 1 || db == 1, "shapes \(a) and \(b) do not broadcast")
            out[i] = da == 1 ? db : da
        }
        return out
    }

    /// Strides for reading a tensor of `shape` as if it had the (larger) shape `target`:
    /// broadcast axes get stride 0 so the same scalar is read again.
    static func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
        let own = strides(shape)
        let pad = target.count - shape.count
        precondition(pad >= 0, "cannot broadcast \(shape) to \(target)")
        return (0..<target.count).map { i in
            if i < pad { return 0 }
            let d = shape[i - pad]
            precondition(d == target[i] || d == 1, "cannot broadcast \(shape) to \(target)")
            return d == 1 && target[i] != 1 ? 0 : own[i - pad]
        }
    }

    /// A possibly negative axis (-1 = last) turned into 0..<rank.
    static func axis(_ axis: Int, rank: Int) -> Int {
        let a = axis < 0 ? axis + rank : axis
        precondition(a >= 0 && a < rank, "axis \(axis) out of range for rank \(rank)")
        return a
    }

    /// Splits `shape` around `axis` into (product before, size of axis, product after).
    static func split(_ shape: [Int], at axis: Int) -> (outer: Int, length: Int, inner: Int) {
        (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
    }
}
