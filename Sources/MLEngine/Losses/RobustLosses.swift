import Foundation

/// The losses chapter 8 adds beside MSE, MAE and cross-entropy: Huber (between MSE and MAE),
/// focal loss (cross-entropy that mutes easy examples), the categorical KL divergence and the
/// discounted return the Bellman loss is built on. Each is written with differentiable ops, so
/// its backward comes with its forward.

/// Huber loss, averaged: 0.5 r^2 where |r| <= delta, delta (|r| - 0.5 delta) beyond, r the miss.
///
/// Small misses cost as under MSE (halved), large ones grow only linearly as under MAE, so an
/// outlier pushes with a force of at most delta. Written as 0.5 q^2 + delta (|r| - q) with
/// q = min(|r|, delta), which is the same function and needs no branch.
public func huberLoss(_ predictions: Tensor, _ targets: Tensor, delta: Float = 1) throws -> Tensor {
    try requireSameShape(predictions, targets, "huberLoss")
    guard delta > 0, delta.isFinite else { throw EngineError.invalidArgument("huberLoss delta must be positive, got \(delta)") }
    let miss = (predictions - targets).abs()
    let inner = miss.clamped(max: delta)
    return (inner.squared() * 0.5 + (miss - inner) * delta).mean()
}

/// Focal loss (Lin et al., 2017), averaged over the batch: -alpha_y (1 - p_y)^gamma log p_y,
/// with p = softmax(logits) and y the true class.
///
/// gamma = 0 and no alpha is plain cross-entropy. With gamma = 2 a sample the model already gets
/// right with p_y = 0.9 keeps (0.1)^2 = 1% of its cross-entropy, while a missed one with
/// p_y = 0.1 keeps 81%: the easy majority stops drowning out the hard cases. `alpha`, one
/// weight per class, reweights classes on top (e.g. rare classes up).
public func focalLoss(logits: Tensor, labels: [Int], gamma: Float, alpha: [Float]? = nil) throws -> Tensor {
    let logProbability = try takenEntries(logits.logSoftmax(alongAxis: 1), labels, "focalLoss")   // [batch]
    guard gamma >= 0, gamma.isFinite else { throw EngineError.invalidArgument("focalLoss gamma must be 0 or more, got \(gamma)") }
    var perSample = -logProbability
    if gamma > 0 {
        // 1 - p kept off exactly 0 so that (1 - p)^gamma has a finite gradient for gamma < 1.
        let missing = (1 - logProbability.exp()).clamped(min: 1e-12)
        perSample = perSample * missing.pow(gamma)
    }
    if let alpha {
        guard alpha.count == logits.shape[1], alpha.allSatisfy({ $0 >= 0 && $0.isFinite }) else {
            throw EngineError.invalidArgument("focalLoss: \(logits.shape[1]) non-negative class weights needed, got \(alpha)")
        }
        perSample = perSample * Tensor(labels.map { alpha[$0] })
    }
    return perSample.mean()
}

/// The factor focal loss multiplies each sample's cross-entropy by, alpha_y (1 - p_y)^gamma,
/// as plain numbers (no gradient): what the focal lab draws as the distribution of loss weights.
public func focalWeights(probabilities: [Float], gamma: Float, alpha: Float = 1) -> [Float] {
    probabilities.map { alpha * Foundation.pow(Swift.max(1 - $0, 0), gamma) }
}

/// Categorical KL divergence KL(p || q) = sum_k p_k log(p_k / q_k), in nats, per row and
/// averaged over rows.
///
/// Both are [rows, classes] probability tables whose rows sum to 1 (within 0.01). It is 0 when the rows
/// agree and positive otherwise, and it is not symmetric: KL([0.3, 0.7] || [0.5, 0.5]) = 0.0823
/// but KL([0.5, 0.5] || [0.3, 0.7]) = 0.0872. A p_k of 0 contributes 0 (0 log 0 = 0); a q_k of
/// 0 where p_k > 0 makes it infinite. Gradients flow to both p and q.
public func categoricalKL(_ p: Tensor, _ q: Tensor) throws -> Tensor {
    guard p.rank == 2, p.shape == q.shape else {
        throw EngineError.shapeMismatch("categoricalKL wants two [rows, classes] tables alike, got \(p.shape), \(q.shape)")
    }
    let classes = p.shape[1]
    for (name, table) in [("p", p), ("q", q)] {
        let rows = table.copyScalars()
        if let bad = rows.first(where: { !($0 >= 0 && $0 <= 1) }) {
            throw EngineError.invalidArgument("categoricalKL: \(name) holds \(bad), not a probability")
        }
        for start in stride(from: 0, to: rows.count, by: Swift.max(classes, 1)) {
            let total = rows[start..<(start + classes)].reduce(0, +)
            guard Swift.abs(total - 1) <= 0.01 else {
                throw EngineError.invalidArgument("categoricalKL: a row of \(name) sums to \(total), not 1")
            }
        }
    }
    // p log p with log of p kept off 0: where p is 0 the product is 0 whatever the log says.
    let terms = p * (p.clamped(min: 1e-30).log() - q.log())
    return terms.sum() / Float(Swift.max(p.shape[0], 1))
}

/// The discounted return of a reward sequence: r_0 + g r_1 + g^2 r_2 + ..., summed from the end
/// so that each step multiplies once. A reward 100 steps away is worth 0.99^100 = 0.366 of itself.
public func discountedReturn(rewards: [Float], discount: Float) throws -> Float {
    guard discount >= 0, discount <= 1 else { throw EngineError.invalidArgument("discount must lie in [0, 1], got \(discount)") }
    return rewards.reversed().reduce(0) { $1 + discount * $0 }
}
