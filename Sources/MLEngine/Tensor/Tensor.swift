/// A Float32 tensor: contiguous row-major scalars and a shape, with value semantics.
///
/// Skeleton laid down with the package so that other targets can build against the stable part
/// of the API: `Tensor(shape:scalars:)`, `Tensor(zeros:)`, `shape`, `scalars`, `count`.
/// The engine issue grows it into the real thing (copy-on-write storage, ops, autodiff).
public struct Tensor: Sendable {
    public private(set) var shape: [Int]
    public private(set) var scalars: [Float]

    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
        precondition(shape.reduce(1, *) == scalars.count,
                     "shape \(shape) needs \(shape.reduce(1, *)) scalars, got \(scalars.count)")
        self.shape = shape
        self.scalars = scalars
    }

    public init(zeros shape: [Int]) {
        self.init(shape: shape, scalars: [Float](repeating: 0, count: shape.reduce(1, *)))
    }

    public var count: Int { scalars.count }
    public var rank: Int { shape.count }
}
