/// Reductions along an axis and their adjoint, broadcasting. Sums accumulate in Double.
extension Tensor {
    /// Sum of all scalars, as a rank-0 tensor.
    public func sum() -> Tensor {
        reshaped([count]).sum(alongAxis: 0)
    }

    /// Mean of all scalars, as a rank-0 tensor.
    public func mean() -> Tensor { sum() / Float(Swift.max(count, 1)) }

    /// Sums along `axis`; with `keepDims` the axis stays with size 1 (handy for broadcasting back).
    public func sum(alongAxis axis: Int, keepDims: Bool = false) -> Tensor {
        let ax = ShapeMath.axis(axis, rank: rank), a = self
        let (outer, length, inner) = ShapeMath.split(shape, at: ax)
        let p = storage.pointer
        var kept = shape
        kept[ax] = 1
        var acc = [Double](repeating: 0, count: outer * inner)
        for o in 0..<outer {
            for l in 0..<length {
                let base = (o * length + l) * inner
                for i in 0..<inner { acc[o * inner + i] += Double(p[base + i]) }
            }
        }
        let outShape = keepDims ? kept : shape.enumerated().filter { $0.offset != ax }.map(\.element)
        let y = Tensor(shape: outShape) { out in for i in 0..<acc.count { out[i] = Float(acc[i]) } }
        return Tensor.differentiable(y, op: "sum", inputs: [a]) { [kept] g in
            [g.reshaped(kept).broadcast(to: a.shape)]
        }
    }

    public func mean(alongAxis axis: Int, keepDims: Bool = false) -> Tensor {
        let ax = ShapeMath.axis(axis, rank: rank)
        return sum(alongAxis: ax, keepDims: keepDims) / Float(Swift.max(shape[ax], 1))
    }

    /// Population variance (divides by n) along `axis`, as mean((x - mean)^2).
    public func variance(alongAxis axis: Int, keepDims: Bool = false) -> Tensor {
        let centred = self - mean(alongAxis: axis, keepDims: true)
        return centred.squared().mean(alongAxis: axis, keepDims: keepDims)
    }

    /// Maximum along `axis`; the gradient goes to the first position holding the maximum.
    public func max(alongAxis axis: Int, keepDims: Bool = false) -> Tensor {
        extremum(alongAxis: axis, keepDims: keepDims, largest: true)
    }

    /// Minimum along `axis`; the gradient goes to the first position holding the minimum.
    public func min(alongAxis axis: Int, keepDims: Bool = false) -> Tensor {
        extremum(alongAxis: axis, keepDims: keepDims, largest: false)
    }

    /// Index of the largest scalar along `axis` (first one on ties), as Float values.
    public func argmax(alongAxis axis: Int, keepDims: Bool = false) -> Tensor {
        let ax = ShapeMath.axis(axis, rank: rank)
        var kept = shape
        kept[ax] = 1
        let idx = extremumIndices(axis: ax, largest: true)
        let outShape = keepDims ? kept : shape.enumerated().filter { $0.offset != ax }.map(\.element)
        return Tensor(shape: outShape) { out in for i in 0..<idx.count { out[i] = Float(idx[i]) } }
    }

    /// Index of the largest scalar in the whole tensor (row-major, first on ties).
    public func argmax() -> Int {
        precondition(count > 0, "argmax of an empty tensor")
        let p = storage.pointer
        var best = 0
        for i in 1..<count where p[i] > p[best] { best = i }
        return best
    }

    /// For each line along `axis`, the index of its extremum.
    func extremumIndices(axis ax: Int, largest: Bool) -> [Int] {
        let (outer, length, inner) = ShapeMath.split(shape, at: ax)
        precondition(length > 0, "max/min/argmax along an empty axis")
        let p = storage.pointer
        var idx = [Int](repeating: 0, count: outer * inner)
        for o in 0..<outer {
            for i in 0..<inner {
                let base = o * length * inner + i
                var best = 0, value = p[base]
                for l in 1..<length {
                    let v = p[base + l * inner]
                    if largest ? v > value : v < value { best = l; value = v }
                }
                idx[o * inner + i] = best
            }
        }
        return idx
    }

    private func extremum(alongAxis axis: Int, keepDims: Bool, largest: Bool) -> Tensor {
        let ax = ShapeMath.axis(axis, rank: rank), a = self
        let (outer, length, inner) = ShapeMath.split(shape, at: ax)
        var kept = shape
        kept[ax] = 1
        let idx = extremumIndices(axis: ax, largest: largest)
        let p = storage.pointer
        let outShape = keepDims ? kept : shape.enumerated().filter { $0.offset != ax }.map(\.element)
        let y = Tensor(shape: outShape) { out in
            for o in 0..<outer { for i in 0..<inner { out[o * inner + i] = p[o * length * inner + i + idx[o * inner + i] * inner] } }
        }
        let shape = self.shape
        return Tensor.differentiable(y, op: largest ? "max" : "min", inputs: [a]) { [kept] g in
            let mask = Tensor(shape: shape) { m in
                m.initialize(repeating: 0, count: outer * length * inner)
                for o in 0..<outer { for i in 0..<inner { m[o * length * inner + i + idx[o * inner + i] * inner] = 1 } }
            }
            return [g.reshaped(kept).broadcast(to: shape) * mask]
        }
    }

    /// Sums this tensor down to `shape`, which must broadcast to this tensor's shape: the
    /// gradient of broadcasting. Returns self unchanged when the shapes already agree.
    public func sum(toShape target: [Int]) -> Tensor {
        if target == shape { return self }
        let a = self
        return Tensor.differentiable(sumToShapeKernel(self, target), op: "sum-to-shape", inputs: [a]) { g in
            [g.broadcast(to: a.shape)]
        }
    }

    /// Repeats this tensor along broadcast axes to reach `target` (NumPy broadcasting rules).
    public func broadcast(to target: [Int]) -> Tensor {
        if target == shape { return self }
        let a = self
        let y = stridedCopy(storage.pointer, offset: 0, strides: ShapeMath.broadcastStrides(shape, to: target), shape: target)
        return Tensor.differentiable(y, op: "broadcast", inputs: [a]) { g in [g.sum(toShape: a.shape)] }
    }
}
