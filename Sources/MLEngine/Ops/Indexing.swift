/// Picking slices by index (embedding lookup, choosing samples) and its adjoint, scatter-add.
extension Tensor {
    /// The slices at `indices` along `axis`, in that order (indices may repeat).
    /// `weight.gathering([3, 1], alongAxis: 0)` is an embedding lookup of rows 3 and 1.
    public func gathering(_ indices: [Int], alongAxis axis: Int = 0) -> Tensor {
        let ax = ShapeMath.axis(axis, rank: rank), a = self
        let (outer, length, inner) = ShapeMath.split(shape, at: ax)
        for i in indices { precondition(i >= 0 && i < length, "gather index \(i) out of range 0..<\(length) on axis \(axis)") }
        var outShape = shape
        outShape[ax] = indices.count
        let p = storage.pointer, k = indices.count
        let y = Tensor(shape: outShape) { out in
            for o in 0..<outer {
                for (j, i) in indices.enumerated() {
                    (out + (o * k + j) * inner).update(from: p + (o * length + i) * inner, count: inner)
                }
            }
        }
        return Tensor.differentiable(y, op: "gather", inputs: [a]) { g in
            [g.scatterAdding(indices, alongAxis: ax, size: length)]
        }
    }

    /// A tensor with `size` slices along `axis`, zero except that slice j of this tensor is added
    /// at position `indices[j]` (repeats add up): the adjoint of `gathering`.
    public func scatterAdding(_ indices: [Int], alongAxis axis: Int, size: Int) -> Tensor {
        let ax = ShapeMath.axis(axis, rank: rank), a = self
        let (outer, k, inner) = ShapeMath.split(shape, at: ax)
        precondition(indices.count == k, "scatter needs one index per slice: \(indices.count) for \(k)")
        for i in indices { precondition(i >= 0 && i < size, "scatter index \(i) out of range 0..<\(size)") }
        var outShape = shape
        outShape[ax] = size
        let p = storage.pointer
        let y = Tensor(shape: outShape) { out in
            out.initialize(repeating: 0, count: outer * size * inner)
            for o in 0..<outer {
                for (j, i) in indices.enumerated() {
                    let dst = out + (o * size + i) * inner, src = p + (o * k + j) * inner
                    for e in 0..<inner { dst[e] += src[e] }
                }
            }
        }
        return Tensor.differentiable(y, op: "scatter-add", inputs: [a]) { g in
            [g.gathering(indices, alongAxis: ax)]
        }
    }

    /// Rows of one-hot vectors: shape [indices.count, classes].
    public static func oneHot(_ indices: [Int], classes: Int) -> Tensor {
        Tensor(shape: [indices.count, classes]) { out in
            out.initialize(repeating: 0, count: indices.count * classes)
            for (row, c) in indices.enumerated() {
                precondition(c >= 0 && c < classes, "class index \(c) out of range 0..<\(classes)")
                out[row * classes + c] = 1
            }
        }
    }
}
