/// The buffer behind a `Tensor`: one heap allocation of Float32 scalars.
///
/// A final class so that copies of a tensor share one buffer until one of them writes
/// (copy-on-write, checked with `isKnownUniquelyReferenced`). Kernels take its pointer once and
/// run their loops on it; touching elements through the class inside a loop would cost ~100x.
/// `@unchecked Sendable` is sound because a shared buffer is never written: writers copy first.
final class TensorStorage: @unchecked Sendable {
    let count: Int
    let pointer: UnsafeMutablePointer<Float>

    /// Uninitialised storage; the caller writes every scalar before anyone reads it.
    init(count: Int) {
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
    }

    convenience init(repeating value: Float, count: Int) {
        self.init(count: count)
        pointer.initialize(repeating: value, count: count)
    }

    convenience init(copying source: UnsafePointer<Float>, count: Int) {
        self.init(count: count)
        pointer.initialize(from: source, count: count)
    }

    deinit { pointer.deallocate() }
}
