/// Losses for learning from rewards (chapter 8 explains them; chapter 9 trains with them).

/// The temporal-difference (Bellman) loss, averaged over a batch: 0.5 x (Q(s, a) - target)^2,
/// with the target (reward + discount x best next value) held fixed as a label would be.
///
/// Its gradient with respect to Q(s, a) is (Q(s, a) - target): gradient descent with step size
/// alpha is exactly the tabular update Q += alpha x (target - Q) of `QTable.update`.
/// - Parameters:
///   - values: [batch, actions] Q-values of each sample's state.
///   - actions: the action taken in each sample.
///   - targets: [batch] Bellman targets.
public func temporalDifferenceLoss(values: Tensor, actions: [Int], targets: Tensor) throws -> Tensor {
    let taken = try takenEntries(values, actions, "temporalDifferenceLoss")
    try requireSameShape(taken, targets, "temporalDifferenceLoss")
    return (taken - targets).squared().mean() * 0.5
}

/// The policy-gradient loss, averaged over a batch: -log pi(a | s) x advantage.
///
/// Descending it raises the log-probability of each action taken in proportion to how much
/// better than expected it turned out (its advantage), and lowers it when worse. Advantages are
/// data, not differentiated through.
/// - Parameters:
///   - logits: [batch, actions] the policy's raw scores; pi = softmax(logits).
///   - actions: the action taken in each sample.
///   - advantages: [batch].
public func policyGradientLoss(logits: Tensor, actions: [Int], advantages: Tensor) throws -> Tensor {
    let logProbabilities = try takenEntries(logits.logSoftmax(alongAxis: 1), actions, "policyGradientLoss")
    try requireSameShape(logProbabilities, advantages, "policyGradientLoss")
    return -(logProbabilities * advantages).mean()
}

/// Row i's entry at column actions[i], as a [batch] tensor (differentiable).
func takenEntries(_ table: Tensor, _ actions: [Int], _ what: String) throws -> Tensor {
    guard table.rank == 2 else { throw EngineError.shapeMismatch("\(what) wants [batch, actions], got \(table.shape)") }
    guard actions.count == table.shape[0] else {
        throw EngineError.shapeMismatch("\(what): \(table.shape[0]) rows but \(actions.count) actions")
    }
    if let bad = actions.first(where: { $0 < 0 || $0 >= table.shape[1] }) {
        throw EngineError.labelOutOfRange(label: bad, classes: table.shape[1])
    }
    return (table * Tensor.oneHot(actions, classes: table.shape[1])).sum(alongAxis: 1)
}

/// PPO's clipped surrogate loss, averaged over a batch:
///
///     ratio = pi_new(a | s) / pi_old(a | s)
///     loss  = -min(ratio x advantage, clip(ratio, 1 - epsilon, 1 + epsilon) x advantage)
///
/// While the ratio stays within 1 +- epsilon this has the policy-gradient loss's gradient (at
/// ratio 1 exactly the same). Once an action's probability has already moved more than epsilon
/// in the direction its advantage asks for, the clipped term wins the min and is flat: that
/// sample stops pushing, so one batch of data cannot drag the policy far from the one that
/// collected it.
/// - Parameters:
///   - logits: [batch, actions] the current policy's raw scores.
///   - actions: the action taken in each sample.
///   - oldLogProbabilities: [batch] log pi_old(a | s), recorded when the data were collected.
///   - advantages: [batch].
///   - clip: epsilon, e.g. 0.2.
public func clippedSurrogateLoss(logits: Tensor, actions: [Int], oldLogProbabilities: Tensor, advantages: Tensor,
                                 clip: Float) throws -> Tensor {
    guard clip > 0 else { throw EngineError.invalidArgument("the clip range must be above 0, got \(clip)") }
    let logProbabilities = try takenEntries(logits.logSoftmax(alongAxis: 1), actions, "clippedSurrogateLoss")
    try requireSameShape(logProbabilities, oldLogProbabilities, "clippedSurrogateLoss")
    try requireSameShape(logProbabilities, advantages, "clippedSurrogateLoss")
    let ratio = (logProbabilities - oldLogProbabilities).exp()
    let unclipped = ratio * advantages
    let clipped = ratio.clamped(min: 1 - clip, max: 1 + clip) * advantages
    return -minimum(unclipped, clipped).mean()
}
