/// Losses for segmentation: one class per sample of a signal, from logits [batch, classes, length].
///
/// Labels are one class index per sample, row by row: labels[b * length + t] is the class of
/// sample t of signal b. All three losses start from softmax over the class axis.
///
/// Why more than cross-entropy: when most samples are background, a network that says
/// "background" everywhere already has a small per-sample cross-entropy and a high accuracy, and
/// the few samples of a short wave barely move the average. Dice scores each class by its
/// overlap with the truth, so a class that is missed scores 0 however small it is:
///
///     Dice_k = (2 sum_t p_k(t) y_k(t) + s) / (sum_t p_k(t) + sum_t y_k(t) + s)
///
/// with p the softmax probabilities, y the one-hot truth and s a small smoothing term that keeps
/// the ratio defined (and equal to 1) for a class absent from both. Sums run over every sample of
/// every signal in the batch, so a signal without a P wave does not divide by zero on its own.

/// The one-hot truth [batch, classes, length] of per-sample labels.
public func segmentationOneHot(_ labels: [Int], batch: Int, classes: Int, length: Int) -> Tensor {
    Tensor(shape: [batch, classes, length]) { out in
        out.update(repeating: 0, count: batch * classes * length)
        for b in 0..<batch {
            for t in 0..<length { out[(b * classes + labels[b * length + t]) * length + t] = 1 }
        }
    }
}

/// Checks segmentation logits against their labels; returns (batch, classes, length).
func checkSegmentation(_ logits: Tensor, _ labels: [Int], _ name: String) throws -> (Int, Int, Int) {
    guard logits.rank == 3 else {
        throw EngineError.shapeMismatch("\(name) wants logits [batch, classes, length], got \(logits.shape)")
    }
    let (batch, classes, length) = (logits.shape[0], logits.shape[1], logits.shape[2])
    guard labels.count == batch * length else {
        throw EngineError.shapeMismatch("\(name): logits \(logits.shape) need \(batch * length) labels, got \(labels.count)")
    }
    if let bad = labels.first(where: { $0 < 0 || $0 >= classes }) {
        throw EngineError.labelOutOfRange(label: bad, classes: classes)
    }
    return (batch, classes, length)
}

/// Soft Dice per class [classes], pooled over the batch (see the top of this file).
public func softDiceScores(logits: Tensor, labels: [Int], smoothing: Float = 1) throws -> Tensor {
    let (batch, classes, length) = try checkSegmentation(logits, labels, "softDice")
    let truth = segmentationOneHot(labels, batch: batch, classes: classes, length: length)
    let p = logits.softmax(alongAxis: 1)
    let overlap = (p * truth).sum(alongAxis: 2).sum(alongAxis: 0)
    let predicted = p.sum(alongAxis: 2).sum(alongAxis: 0)
    let actual = truth.sum(alongAxis: 2).sum(alongAxis: 0)
    return (2 * overlap + smoothing) / (predicted + actual + smoothing)
}

/// 1 - the mean soft Dice over `classes` (default: every class but 0, the background, as
/// nnU-Net does: the background is easy and would only dilute the score).
public func softDiceLoss(logits: Tensor, labels: [Int], smoothing: Float = 1, classes: [Int]? = nil) throws -> Tensor {
    let scores = try softDiceScores(logits: logits, labels: labels, smoothing: smoothing)
    let chosen = classes ?? Array(1..<Swift.max(logits.shape[1], 2))
    guard !chosen.isEmpty, chosen.allSatisfy({ $0 >= 0 && $0 < logits.shape[1] }) else {
        throw EngineError.invalidArgument("softDiceLoss: classes \(chosen) do not lie in 0..<\(logits.shape[1])")
    }
    return 1 - scores.gathering(chosen, alongAxis: 0).mean()
}

/// Per-sample cross-entropy, averaged over every sample of every signal: -log softmax(z)[label].
///
/// With `classWeights` (one per class) each sample's term is multiplied by its true class's
/// weight and the sum divided by the total weight (PyTorch's convention), so a rare class can be
/// made to count as much as a common one.
public func segmentationCrossEntropy(logits: Tensor, labels: [Int], classWeights: [Float]? = nil) throws -> Tensor {
    let (batch, classes, length) = try checkSegmentation(logits, labels, "segmentationCrossEntropy")
    let truth = segmentationOneHot(labels, batch: batch, classes: classes, length: length)
    let picked = (logits.logSoftmax(alongAxis: 1) * truth).sum(alongAxis: 1)          // [batch, length]
    guard let classWeights else { return -picked.mean() }
    guard classWeights.count == classes, classWeights.allSatisfy({ $0 >= 0 && $0.isFinite }) else {
        throw EngineError.invalidArgument("segmentationCrossEntropy: \(classes) non-negative class weights needed, got \(classWeights)")
    }
    let weights = labels.map { classWeights[$0] }
    let total = weights.reduce(0, +)
    guard total > 0 else { throw EngineError.invalidArgument("segmentationCrossEntropy: the labels present all have weight 0") }
    return -(picked * Tensor(shape: [batch, length], scalars: weights)).sum() / total
}

/// nnU-Net's default: soft Dice loss (foreground classes) + per-sample cross-entropy, weights 1 and 1.
public func diceCrossEntropy(logits: Tensor, labels: [Int], diceWeight: Float = 1, crossEntropyWeight: Float = 1,
                             smoothing: Float = 1) throws -> Tensor {
    let dice = try softDiceLoss(logits: logits, labels: labels, smoothing: smoothing)
    let ce = try segmentationCrossEntropy(logits: logits, labels: labels)
    return diceWeight * dice + crossEntropyWeight * ce
}
