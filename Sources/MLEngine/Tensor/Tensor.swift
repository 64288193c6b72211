/// A Float32 tensor: contiguous row-major scalars and a shape, with value semantics.
///
/// Copies share one buffer until one of them is written (copy-on-write). A tensor may also carry
/// a node of the autodiff graph (see `requiresGrad`, `backward()`): ops on such tensors record
/// how to send gradients back to their inputs.
public struct Tensor: Sendable {
    /// The size of each dimension; `[]` is a scalar, `[3]` a vector, `[2, 3]` a 2 x 3 matrix.
    public private(set) var shape: [Int]
    var storage: TensorStorage
    /// This tensor's place in the autodiff graph; nil when no gradient flows through it.
    var node: GradNode?

    /// A tensor with the given shape and scalars in row-major order.
    /// - Precondition: `scalars.count` equals the product of `shape`, and no dimension is negative.
    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
        precondition(shape.reduce(1, *) == scalars.count,
                     "shape \(shape) needs \(shape.reduce(1, *)) scalars, got \(scalars.count)")
        self.shape = shape
        storage = scalars.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map { TensorStorage(copying: $0, count: buffer.count) } ?? TensorStorage(count: 0)
        }
    }

    /// A tensor of zeros.
    public init(zeros shape: [Int]) { self.init(filled: 0, shape: shape) }

    /// A tensor of ones.
    public init(ones shape: [Int]) { self.init(filled: 1, shape: shape) }

    /// A tensor with every scalar equal to `value`.
    public init(filled value: Float, shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
        self.shape = shape
        storage = TensorStorage(repeating: value, count: shape.reduce(1, *))
    }

    /// A rank-0 tensor holding one number.
    public init(_ value: Float) { self.init(filled: value, shape: []) }

    /// A vector.
    public init(_ values: [Float]) { self.init(shape: [values.count], scalars: values) }

    /// A matrix from its rows, which must all have the same length.
    public init(rows: [[Float]]) {
        let width = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == width }, "rows have different lengths")
        self.init(shape: [rows.count, width], scalars: rows.flatMap { $0 })
    }

    /// Internal: a tensor whose scalars `fill` writes, all of them, into fresh storage.
    init(shape: [Int], fill: (UnsafeMutablePointer<Float>) throws -> Void) rethrows {
        self.shape = shape
        storage = TensorStorage(count: shape.reduce(1, *))
        try fill(storage.pointer)
    }

    /// Internal: same storage, new shape (the count must match).
    init(sharing storage: TensorStorage, shape: [Int]) {
        self.shape = shape
        self.storage = storage
    }

    /// A copy of all the scalars in row-major order.
    ///
    /// A method, not a property, because it copies the whole storage each time: reading
    /// `t.copyScalars()[i]` in a loop is quadratic. Take the copy once, use `scalar(at:)` for one
    /// number, or `withUnsafeScalars` in a hot loop.
    public func copyScalars() -> [Float] { Array(UnsafeBufferPointer(start: storage.pointer, count: storage.count)) }

    /// One scalar by its flat row-major index, without copying anything.
    public func scalar(at index: Int) -> Float {
        precondition(index >= 0 && index < storage.count, "index \(index) out of range for \(storage.count) scalars")
        return storage.pointer[index]
    }
    /// The number of scalars.
    public var count: Int { storage.count }
    /// The number of dimensions.
    public var rank: Int { shape.count }

    /// The single scalar of a one-element tensor (a loss, for example).
    public var item: Float {
        precondition(count == 1, "item needs a tensor with one scalar, this one has shape \(shape)")
        return storage.pointer[0]
    }

    /// Reads one scalar by its index in each dimension (convenient, not for hot loops).
    public subscript(_ indices: Int...) -> Float {
        precondition(indices.count == rank, "\(indices.count) indices for a rank-\(rank) tensor")
        var offset = 0
        for (axis, i) in indices.enumerated() {
            precondition(i >= 0 && i < shape[axis], "index \(i) out of range for axis \(axis) of size \(shape[axis])")
            offset = offset * shape[axis] + i
        }
        return storage.pointer[offset]
    }

    /// Runs `body` on the scalars without copying them.
    public func withUnsafeScalars<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.pointer, count: storage.count))
    }

    /// Runs `body` on the scalars for writing, copying them first if another tensor shares them.
    ///
    /// The write is not recorded by autodiff (optimizers use it to update parameters in place);
    /// the tensor keeps its gradient and its place in the graph.
    public mutating func withUnsafeMutableScalars<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        if !isKnownUniquelyReferenced(&storage) {
            storage = TensorStorage(copying: storage.pointer, count: storage.count)
        }
        return try body(UnsafeMutableBufferPointer(start: storage.pointer, count: storage.count))
    }
}

extension Tensor: Equatable {
    /// Equal when shapes and scalars are equal (autodiff state is ignored).
    public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
        guard lhs.shape == rhs.shape else { return false }
        if lhs.storage === rhs.storage { return true }
        for i in 0..<lhs.count where lhs.storage.pointer[i] != rhs.storage.pointer[i] { return false }
        return true
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let shown = (0..<Swift.min(count, 12)).map { String(scalar(at: $0)) }.joined(separator: ", ")
        return "Tensor(shape: \(shape), scalars: [\(shown)\(count > 12 ? ", ..." : "")]\(requiresGrad ? ", requiresGrad" : ""))"
    }
}
