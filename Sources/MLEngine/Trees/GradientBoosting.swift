/// How each round's trees are grown and added.
public struct BoostingSettings: Sendable, Equatable {
    /// Each tree's output is scaled by this before it is added (XGBoost's `eta`).
    public var learningRate: Double
    public var maxDepth: Int
    public var rules: SplitRules

    public init(learningRate: Double = 0.1, maxDepth: Int = 4, rules: SplitRules = SplitRules()) {
        self.learningRate = learningRate
        self.maxDepth = maxDepth
        self.rules = rules
    }
}

/// A gradient-boosted model, built as the XGBoost paper describes: start every row at the base
/// score; each round, take every row's gradient and hessian of the loss at its current score,
/// grow a tree on them whose leaves take the Newton step `-G/(H+lambda)`, and add that tree,
/// scaled by the learning rate, to every score. Softmax grows one tree per class per round.
public struct GradientBoostedTrees: Sendable, Equatable {
    public let objective: BoostingObjective
    public let bins: FeatureBins
    /// The starting score of every row, one per output.
    public let baseScore: [Double]
    /// The trees, round by round; each round holds `objective.outputs` trees.
    public private(set) var rounds: [[DecisionTree]] = []

    public init(objective: BoostingObjective, bins: FeatureBins, baseScore: [Double]) {
        precondition(baseScore.count == objective.outputs, "one base score per output")
        self.objective = objective
        self.bins = bins
        self.baseScore = baseScore
    }

    /// Every row's starting scores [rows * outputs].
    public func initialScores(rows: Int) -> [Double] {
        (0..<rows).flatMap { _ in baseScore }
    }

    /// Grows one round of trees on `binned` rows whose current scores are `scores` and adds it,
    /// updating `scores` in place. Returns the round's trees.
    @discardableResult
    public mutating func addRound(binned: BinnedMatrix, labels: [Double], scores: inout [Double],
                                  settings: BoostingSettings) -> [DecisionTree] {
        let outputs = objective.outputs, rows = binned.rows
        var gradient = [Double](repeating: 0, count: rows * outputs), hessian = gradient
        objective.derivatives(scores: scores, labels: labels, gradient: &gradient, hessian: &hessian)
        var round: [DecisionTree] = []
        for k in 0..<outputs {
            let g = outputs == 1 ? gradient : (0..<rows).map { gradient[$0 * outputs + k] }
            let h = outputs == 1 ? hessian : (0..<rows).map { hessian[$0 * outputs + k] }
            let (tree, leafOfRow) = DecisionTree.growWithLeaves(binned: binned, bins: bins, gradient: g, hessian: h,
                                                                 rules: settings.rules, maxDepth: settings.maxDepth,
                                                                 learningRate: settings.learningRate)
            // The rows grew the tree, so each one's leaf is known: no walk down the tree again.
            for r in 0..<rows { scores[r * outputs + k] += tree.output(leaf: leafOfRow[r]) }
            round.append(tree)
        }
        rounds.append(round)
        return round
    }

    /// Adds one round's outputs to `scores` of `binned` rows (binned with `bins`).
    public func add(round: [DecisionTree], to scores: inout [Double], binned: BinnedMatrix) {
        let outputs = objective.outputs, width = binned.features
        binned.bins.withUnsafeBufferPointer { b in
            for r in 0..<binned.rows {
                for (k, tree) in round.enumerated() {
                    scores[r * outputs + k] += tree.output(leaf: tree.leaf(binnedRow: b, at: r * width))
                }
            }
        }
    }

    /// The scores of `binned` rows after every round so far, added in round order (the same sums,
    /// in the same order, as the incremental updates during training).
    public func scores(binned: BinnedMatrix) -> [Double] {
        var scores = initialScores(rows: binned.rows)
        for round in rounds { add(round: round, to: &scores, binned: binned) }
        return scores
    }

    /// The scores of raw rows `features` [rows, features].
    public func scores(features: Tensor) throws -> [Double] {
        scores(binned: try bins.binned(features))
    }

    /// Keeps the first `count` rounds (early stopping rolls back to the best round).
    public mutating func truncate(toRounds count: Int) {
        rounds.removeLast(max(0, rounds.count - count))
    }

    /// Puts back rounds saved from a model with the same bins and objective (a checkpoint).
    public mutating func append(round: [DecisionTree]) {
        precondition(round.count == objective.outputs, "a round holds one tree per output")
        rounds.append(round)
    }

    /// Each feature's total split gain over every tree: how much of the loss's fall the model
    /// owes to questions about it.
    public var gainImportance: [Double] {
        var total = [Double](repeating: 0, count: bins.featureCount)
        for round in rounds {
            for tree in round {
                for node in tree.nodes where !node.isLeaf { total[node.feature] += node.gain }
            }
        }
        return total
    }
}

extension GradientBoostedTrees {
    /// What `fit` did: the loss after every round, and where early stopping would stop.
    public struct FitHistory: Sendable, Equatable {
        public var trainLoss: [Double] = []
        public var validationLoss: [Double] = []
        /// Rounds kept: all of them, or the best validation round when early stopping fired.
        public var roundsKept = 0
    }

    /// Fits `rounds` rounds on `features` [rows, features] with `labels` (targets, 0/1, or class
    /// indices as numbers). With a `validation` set and `earlyStoppingRounds` > 0, stops once the
    /// validation loss has not improved for that many rounds and keeps the best round's trees.
    public static func fit(features: Tensor, labels: [Double], objective: BoostingObjective, settings: BoostingSettings,
                           rounds: Int, maxBins: Int = 256, validation: (features: Tensor, labels: [Double])? = nil,
                           earlyStoppingRounds: Int = 0) throws -> (model: GradientBoostedTrees, history: FitHistory) {
        guard features.rank == 2, features.shape[0] == labels.count else {
            throw EngineError.shapeMismatch("features \(features.shape) for \(labels.count) labels")
        }
        if case .softmax(let classes) = objective, labels.contains(where: { $0 < 0 || Int($0) >= classes || $0 != $0.rounded() }) {
            throw EngineError.invalidArgument("softmax labels must be whole numbers in 0..<\(classes)")
        }
        let bins = try FeatureBins.quantiles(of: features, maxBins: maxBins)
        let binned = try bins.binned(features)
        var model = GradientBoostedTrees(objective: objective, bins: bins, baseScore: objective.baseScore(labels: labels))
        var scores = model.initialScores(rows: binned.rows)
        let checked = try validation.map { (binned: try bins.binned($0.features), labels: $0.labels) }
        var validationScores = checked.map { model.initialScores(rows: $0.binned.rows) } ?? []
        var history = FitHistory()
        var best = (loss: Double.infinity, round: 0)
        for round in 1...max(rounds, 1) where rounds > 0 {
            let trees = model.addRound(binned: binned, labels: labels, scores: &scores, settings: settings)
            history.trainLoss.append(objective.loss(scores: scores, labels: labels))
            guard let checked else { continue }
            model.add(round: trees, to: &validationScores, binned: checked.binned)
            let loss = objective.loss(scores: validationScores, labels: checked.labels)
            history.validationLoss.append(loss)
            if loss < best.loss { best = (loss, round) }
            if earlyStoppingRounds > 0 && round - best.round >= earlyStoppingRounds {
                model.truncate(toRounds: best.round)
                break
            }
        }
        history.roundsKept = model.rounds.count
        return (model, history)
    }
}
