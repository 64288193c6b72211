/// Losses for classes, computed from logits (raw scores) rather than probabilities so that
/// no probability is ever rounded to exactly 0 or 1 before its logarithm is taken.

/// Binary cross-entropy, averaged: -[y log p + (1 - y) log(1 - p)] with p = sigmoid(z).
///
/// Rewritten in the logit z as softplus(z) - y z, which is exact and never overflows.
/// Targets are 0 or 1 (or soft labels in between), same shape as the logits.
public func binaryCrossEntropy(logits: Tensor, targets: Tensor) throws -> Tensor {
    try requireSameShape(logits, targets, "binaryCrossEntropy")
    let bad = targets.withUnsafeScalars { $0.first { !($0 >= 0 && $0 <= 1) } }
    if let bad { throw EngineError.invalidArgument("binary targets must lie in [0, 1], found \(bad)") }
    return (logits.softplus() - logits * targets).mean()
}

/// Cross-entropy over classes, averaged over the batch: -log softmax(z)[label].
///
/// - Parameters:
///   - logits: [batch, classes] raw scores.
///   - labels: one class index per row.
public func crossEntropy(logits: Tensor, labels: [Int]) throws -> Tensor {
    guard logits.rank == 2 else {
        throw EngineError.shapeMismatch("crossEntropy wants logits [batch, classes], got \(logits.shape)")
    }
    let (batch, classes) = (logits.shape[0], logits.shape[1])
    guard labels.count == batch else {
        throw EngineError.shapeMismatch("crossEntropy: \(batch) rows of logits but \(labels.count) labels")
    }
    if let bad = labels.first(where: { $0 < 0 || $0 >= classes }) {
        throw EngineError.labelOutOfRange(label: bad, classes: classes)
    }
    let picked = logits.logSoftmax(alongAxis: 1) * Tensor.oneHot(labels, classes: classes)
    return -picked.sum() / Float(Swift.max(batch, 1))
}
