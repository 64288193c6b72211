import MLEngine

/// Draws minibatches: `size` training examples chosen uniformly at random (with replacement)
/// from the lab's own generator, so the batches depend only on the seed and the step.
struct BatchSampler: Sendable {
    var generator: SeededGenerator

    mutating func indices(size: Int, from count: Int) -> [Int] {
        (0..<size).map { _ in generator.int(below: count) }
    }
}
