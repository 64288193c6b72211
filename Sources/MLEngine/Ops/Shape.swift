/// Ops that move scalars around without changing them: reshape, permute, slice, concat, stack.
/// Each backward moves the gradient back to where the scalars came from.
extension Tensor {
    /// The same scalars under a new shape (one dimension may be -1: inferred). Shares storage.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var resolved = newShape
        if let hole = newShape.firstIndex(of: -1) {
            let known = newShape.enumerated().filter { $0.offset != hole }.map(\.element).reduce(1, *)
            precondition(known > 0 && count % known == 0, "cannot reshape \(shape) to \(newShape)")
            resolved[hole] = count / known
        }
        precondition(resolved.allSatisfy { $0 >= 0 } && resolved.reduce(1, *) == count,
                     "cannot reshape \(shape) (\(count) scalars) to \(newShape)")
        if resolved == shape { return self }
        let a = self
        return Tensor.differentiable(Tensor(sharing: storage, shape: resolved), op: "reshape", inputs: [a]) { g in
            [g.reshaped(a.shape)]
        }
    }

    /// All scalars as a vector.
    public func flattened() -> Tensor { reshaped([count]) }

    /// Inserts an axis of size 1 at `axis`.
    public func unsqueezed(at axis: Int) -> Tensor {
        let ax = axis < 0 ? axis + rank + 1 : axis
        precondition(ax >= 0 && ax <= rank, "axis \(axis) out of range for unsqueeze of rank \(rank)")
        var s = shape
        s.insert(1, at: ax)
        return reshaped(s)
    }

    /// Removes an axis of size 1.
    public func squeezed(at axis: Int) -> Tensor {
        let ax = ShapeMath.axis(axis, rank: rank)
        precondition(shape[ax] == 1, "cannot squeeze axis \(axis) of size \(shape[ax])")
        var s = shape
        s.remove(at: ax)
        return reshaped(s)
    }

    /// Reorders the axes: result axis i is this tensor's axis `axes[i]`.
    public func permuted(_ axes: [Int]) -> Tensor {
        precondition(axes.sorted() == Array(0..<rank), "\(axes) is not a permutation of the \(rank) axes")
        if axes == Array(0..<rank) { return self }
        let a = self
        let strides = ShapeMath.strides(shape)
        let y = stridedCopy(storage.pointer, offset: 0, strides: axes.map { strides[$0] }, shape: axes.map { shape[$0] })
        var inverse = [Int](repeating: 0, count: rank)
        for (i, axis) in axes.enumerated() { inverse[axis] = i }
        return Tensor.differentiable(y, op: "permute", inputs: [a]) { [inverse] g in [g.permuted(inverse)] }
    }

    /// Swaps two axes (default: the last two, the matrix transpose).
    public func transposed(_ first: Int = -2, _ second: Int = -1) -> Tensor {
        precondition(rank >= 2 || (rank == 1 && first == -2), "transpose needs rank >= 2, got shape \(shape)")
        if rank < 2 { return self }
        var axes = Array(0..<rank)
        axes.swapAt(ShapeMath.axis(first, rank: rank), ShapeMath.axis(second, rank: rank))
        return permuted(axes)
    }

    /// The part with indices `range` along `axis`.
    public func slice(alongAxis axis: Int, _ range: Range<Int>) -> Tensor {
        let ax = ShapeMath.axis(axis, rank: rank), a = self
        precondition(range.lowerBound >= 0 && range.upperBound <= shape[ax],
                     "slice \(range) out of bounds for axis \(axis) of size \(shape[ax])")
        var outShape = shape
        outShape[ax] = range.count
        let strides = ShapeMath.strides(shape)
        let y = stridedCopy(storage.pointer, offset: range.lowerBound * strides[ax], strides: strides, shape: outShape)
        let before = range.lowerBound, after = shape[ax] - range.upperBound
        return Tensor.differentiable(y, op: "slice", inputs: [a]) { g in
            [g.padded(alongAxis: ax, before: before, after: after)]
        }
    }

    /// Adds `before` and `after` zeros along `axis` (the adjoint of `slice`).
    public func padded(alongAxis axis: Int, before: Int, after: Int) -> Tensor {
        let ax = ShapeMath.axis(axis, rank: rank), a = self
        precondition(before >= 0 && after >= 0, "negative padding")
        let (outer, length, inner) = ShapeMath.split(shape, at: ax)
        var outShape = shape
        outShape[ax] = before + length + after
        let total = before + length + after
        let p = storage.pointer
        let y = Tensor(shape: outShape) { out in
            out.initialize(repeating: 0, count: outer * total * inner)
            for o in 0..<outer {
                (out + (o * total + before) * inner).update(from: p + o * length * inner, count: length * inner)
            }
        }
        return Tensor.differentiable(y, op: "pad", inputs: [a]) { g in
            [g.slice(alongAxis: ax, before..<(before + length))]
        }
    }

    /// Joins tensors along an existing axis; all other dimensions must agree.
    public static func concatenate(_ tensors: [Tensor], alongAxis axis: Int = 0) -> Tensor {
        precondition(!tensors.isEmpty, "concatenate needs at least one tensor")
        let first = tensors[0]
        let ax = ShapeMath.axis(axis, rank: first.rank)
        for t in tensors {
            var s = t.shape, f = first.shape
            precondition(s.count == f.count, "concatenate: ranks differ (\(f) vs \(t.shape))")
            s[ax] = 0; f[ax] = 0
            precondition(s == f, "concatenate along axis \(axis): shapes \(first.shape) and \(t.shape) differ elsewhere")
        }
        let lengths = tensors.map { $0.shape[ax] }
        let total = lengths.reduce(0, +)
        let (outer, _, inner) = ShapeMath.split(first.shape, at: ax)
        var outShape = first.shape
        outShape[ax] = total
        let y = Tensor(shape: outShape) { out in
            var start = 0
            for (t, length) in zip(tensors, lengths) {
                let p = t.storage.pointer
                for o in 0..<outer {
                    (out + (o * total + start) * inner).update(from: p + o * length * inner, count: length * inner)
                }
                start += length
            }
        }
        return differentiable(y, op: "concat", inputs: tensors) { g in
            var start = 0
            return lengths.map { length in
                defer { start += length }
                return g.slice(alongAxis: ax, start..<(start + length))
            }
        }
    }

    /// Stacks equally shaped tensors along a new axis.
    public static func stack(_ tensors: [Tensor], alongAxis axis: Int = 0) -> Tensor {
        precondition(!tensors.isEmpty, "stack needs at least one tensor")
        precondition(tensors.allSatisfy { $0.shape == tensors[0].shape }, "stack needs tensors of one shape")
        return concatenate(tensors.map { $0.unsqueezed(at: axis) }, alongAxis: axis)
    }
}
