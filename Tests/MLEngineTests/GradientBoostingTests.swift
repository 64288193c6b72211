import Foundation
import Testing
@testable import MLEngine

/// Gradient-boosted trees against numbers worked out by hand on tables of four rows.
@Suite struct GradientBoostingTests {
    /// x0 = 1, 2, 3, 4 and a constant x1 = 5 (nothing to split on).
    let table = Tensor(rows: [[1, 5], [2, 5], [3, 5], [4, 5]])

    @Test func binsCutHalfwayBetweenFewValuesAndAtQuantilesOtherwise() throws {
        let few = try FeatureBins.quantiles(of: Tensor(shape: [4, 1], scalars: [0, 1, 0, 1]), maxBins: 256)
        #expect(few.edges == [[0.5]])
        // 1...10 into 4 bins: the values at positions 10/4, 20/4, 30/4 (rounded down) of the
        // sorted column: 3, 6, 8.
        let many = try FeatureBins.quantiles(of: Tensor(shape: [10, 1], scalars: (1...10).map(Float.init)), maxBins: 4)
        #expect(many.edges == [[3, 6, 8]])
        let binned = try many.binned(Tensor(shape: [10, 1], scalars: (1...10).map(Float.init)))
        #expect(binned.bins == [0, 0, 1, 1, 1, 2, 2, 3, 3, 3])
        #expect(throws: EngineError.self) { try FeatureBins.quantiles(of: table, maxBins: 300) }
    }

    @Test func histogramSumsGradientsAndHessiansPerBin() throws {
        let bins = try FeatureBins.quantiles(of: table, maxBins: 256)
        let binned = try bins.binned(table)
        let h = GradientHistogram(binned: binned, rows: [0, 1, 2, 3][...], gradient: [1, 1, -1, -1], hessian: [1, 2, 3, 4],
                                  binsPerFeature: 4)
        #expect(Array(h.gradients[0..<4]) == [1, 1, -1, -1])
        #expect(Array(h.hessians[0..<4]) == [1, 2, 3, 4])
        // The constant feature puts every row in its one bin.
        #expect(h.gradients[4] == 0 && h.hessians[4] == 10 && h.counts[4] == 4)
        #expect(h.totalGradient == 0 && h.totalHessian == 10)
    }

    @Test func aSiblingHistogramIsTheParentMinusTheChildAndEmptyBinsAreExactlyZero() {
        // 3 features x 8 bins, 60 rows with irregular gradients; the first 23 rows are one child.
        var rng = SeededGenerator(seed: 17)
        let binned = BinnedMatrix(rows: 60, features: 3, bins: (0..<180).map { _ in UInt8(rng.int(below: 8)) })
        let gradient = (0..<60).map { _ in Double(rng.uniform(Float(-1), 1)) / 3 }
        let hessian = (0..<60).map { _ in Double(rng.uniform(Float(0.1), 1)) / 7 }
        let rows = Array(0..<60)
        func histogram(_ slice: ArraySlice<Int>) -> GradientHistogram {
            GradientHistogram(binned: binned, rows: slice, gradient: gradient, hessian: hessian, binsPerFeature: 8)
        }
        let parent = histogram(rows[...]), child = histogram(rows[0..<23]), direct = histogram(rows[23...])
        let sibling = child.sibling(inParent: parent)
        #expect(sibling.counts == direct.counts)
        for slot in sibling.counts.indices {
            #expect(abs(sibling.gradients[slot] - direct.gradients[slot]) < 1e-12)
            #expect(abs(sibling.hessians[slot] - direct.hessians[slot]) < 1e-12)
            if direct.counts[slot] == 0 { #expect(sibling.gradients[slot] == 0 && sibling.hessians[slot] == 0) }
        }
        #expect(abs(sibling.totalGradient - direct.totalGradient) < 1e-12)
        #expect(abs(sibling.totalHessian - direct.totalHessian) < 1e-12)
    }

    @Test func theLeafEachRowGrewIntoIsTheLeafTheTreeSendsItTo() throws {
        var rng = SeededGenerator(seed: 5)
        let features = Tensor(shape: [200, 4], scalars: (0..<800).map { _ in rng.uniform(Float(-2), 2) })
        let bins = try FeatureBins.quantiles(of: features, maxBins: 16)
        let binned = try bins.binned(features)
        let gradient = (0..<200).map { _ in Double(rng.uniform(Float(-1), 1)) }
        let (tree, leafOfRow) = DecisionTree.growWithLeaves(binned: binned, bins: bins, gradient: gradient,
                                                            hessian: [Double](repeating: 1, count: 200),
                                                            rules: SplitRules(lambda: 1), maxDepth: 4, learningRate: 0.1)
        #expect(tree.nodes.count > 7, "a depth-4 tree on random gradients should split several times")
        binned.bins.withUnsafeBufferPointer { b in
            for r in 0..<200 { #expect(leafOfRow[r] == tree.leaf(binnedRow: b, at: r * 4)) }
        }
    }

    @Test func squaredErrorSplitAndLeavesMatchTheHandComputation() throws {
        // Targets 1, 1, 3, 3; base score = mean 2, so gradients (score - y) are 1, 1, -1, -1, hessians 1.
        // lambda 1. Split after x = 2: G_L = 2, H_L = 2 -> 4/3; G_R = -2, H_R = 2 -> 4/3; parent 0/5.
        // Gain 8/3; the other cuts give 1/2 + 1/4 = 0.75. Leaves -2/3 and +2/3.
        let (model, history) = try GradientBoostedTrees.fit(
            features: table, labels: [1, 1, 3, 3], objective: .squaredError,
            settings: BoostingSettings(learningRate: 0.1, maxDepth: 1, rules: SplitRules(lambda: 1)), rounds: 1)
        #expect(model.baseScore == [2])
        let tree = model.rounds[0][0]
        #expect(tree.nodes.count == 3)
        let root = tree.nodes[0]
        #expect(root.feature == 0 && root.threshold == 2.5)
        #expect(Swift.abs(root.gain - 8.0 / 3) < 1e-12)
        #expect(Swift.abs(tree.nodes[root.left].weight + 2.0 / 3) < 1e-12)
        #expect(Swift.abs(tree.nodes[root.right].weight - 2.0 / 3) < 1e-12)
        #expect(tree.nodes[root.left].gradient == 2 && tree.nodes[root.left].hessian == 2)
        // Scores move by lr x weight: 2 - 0.0667 on the left, 2 + 0.0667 on the right.
        let scores = try model.scores(features: table)
        for (s, want) in zip(scores, [2 - 0.2 / 3, 2 - 0.2 / 3, 2 + 0.2 / 3, 2 + 0.2 / 3]) { #expect(Swift.abs(s - want) < 1e-12) }
        #expect(model.gainImportance.count == 2)
        #expect(Swift.abs(model.gainImportance[0] - 8.0 / 3) < 1e-12 && model.gainImportance[1] == 0)
        // MSE: every residual is 1 - 0.2/3 in size.
        #expect(Swift.abs(history.trainLoss[0] - (1 - 0.2 / 3) * (1 - 0.2 / 3)) < 1e-12)
    }

    @Test func minChildWeightAndGammaRefuseSplits() throws {
        // Each child would hold H = 2 < 3; and gamma 3 exceeds the best gain 8/3.
        for rules in [SplitRules(lambda: 1, minChildWeight: 3), SplitRules(lambda: 1, gamma: 3)] {
            let (model, _) = try GradientBoostedTrees.fit(features: table, labels: [1, 1, 3, 3], objective: .squaredError,
                                                          settings: BoostingSettings(maxDepth: 3, rules: rules), rounds: 1)
            #expect(model.rounds[0][0].nodes.count == 1, "rules \(rules) still split")
        }
        // gamma 2 is below the gain: the split stays, its gain lowered by 2.
        let (kept, _) = try GradientBoostedTrees.fit(features: table, labels: [1, 1, 3, 3], objective: .squaredError,
                                                     settings: BoostingSettings(maxDepth: 1, rules: SplitRules(lambda: 1, gamma: 2)), rounds: 1)
        #expect(Swift.abs(kept.rounds[0][0].nodes[0].gain - (8.0 / 3 - 2)) < 1e-12)
    }

    @Test func logLossLeafIsTheNewtonStep() throws {
        // Labels 0, 0, 1, 1: base log-odds 0, p = 0.5, gradients p - y = 0.5, 0.5, -0.5, -0.5,
        // hessians p(1 - p) = 0.25. lambda 0: the left leaf has G = 1, H = 0.5, weight -2; gain 2 + 2 - 0 = 4.
        let (model, history) = try GradientBoostedTrees.fit(
            features: table, labels: [0, 0, 1, 1], objective: .logLoss,
            settings: BoostingSettings(learningRate: 1, maxDepth: 1, rules: SplitRules(lambda: 0, minChildWeight: 0)), rounds: 1)
        #expect(model.baseScore == [0])
        let tree = model.rounds[0][0]
        #expect(Swift.abs(tree.nodes[0].gain - 4) < 1e-12)
        #expect(Swift.abs(tree.nodes[tree.nodes[0].left].weight + 2) < 1e-12)
        #expect(Swift.abs(tree.nodes[tree.nodes[0].right].weight - 2) < 1e-12)
        // log-loss at score +-2 on the right side: log(1 + e^-2).
        #expect(Swift.abs(history.trainLoss[0] - log1p(exp(-2.0))) < 1e-12)
    }

    @Test func softmaxDerivativesMatchTheHandComputation() {
        // Row 0: scores 0, 0, 0, label 1: p = 1/3 each, g = p - [y = k] = 1/3, -2/3, 1/3, h = p(1 - p) = 2/9.
        // Row 1: scores ln 2, 0, 0, label 0: p = 2/4, 1/4, 1/4, g = -1/2, 1/4, 1/4, h = 1/4, 3/16, 3/16.
        let objective = BoostingObjective.softmax(classes: 3)
        let scores = [0, 0, 0, log(2.0), 0, 0], labels: [Double] = [1, 0]
        var gradient = [Double](repeating: 0, count: 6), hessian = gradient
        objective.derivatives(scores: scores, labels: labels, gradient: &gradient, hessian: &hessian)
        for (got, want) in zip(gradient, [1.0 / 3, -2.0 / 3, 1.0 / 3, -0.5, 0.25, 0.25]) { #expect(Swift.abs(got - want) < 1e-12) }
        for (got, want) in zip(hessian, [2.0 / 9, 2.0 / 9, 2.0 / 9, 0.25, 3.0 / 16, 3.0 / 16]) { #expect(Swift.abs(got - want) < 1e-12) }
        // The loss is the mean of -log p(true class): (ln 3 + ln 2) / 2.
        #expect(Swift.abs(objective.loss(scores: scores, labels: labels) - log(6.0) / 2) < 1e-12)
        // The base scores are the log class frequencies: labels 0, 0, 1, 2 give ln 1/2, ln 1/4, ln 1/4.
        #expect(objective.baseScore(labels: [0, 0, 1, 2]) == [log(0.5), log(0.25), log(0.25)])
    }

    @Test func softmaxLeavesAreEachClassesNewtonStep() throws {
        // Two classes, labels 0, 0, 1, 1: base scores ln 1/2 each, p = 1/2, so class 0's gradients are
        // -1/2, -1/2, 1/2, 1/2 and its hessians 1/4. lambda 0: the left leaf has G = -1, H = 1/2, weight +2,
        // the right -2, gain 2 + 2 - 0 = 4; class 1's tree is the mirror image.
        let (model, history) = try GradientBoostedTrees.fit(
            features: table, labels: [0, 0, 1, 1], objective: .softmax(classes: 2),
            settings: BoostingSettings(learningRate: 1, maxDepth: 1, rules: SplitRules(lambda: 0, minChildWeight: 0)), rounds: 1)
        let round = model.rounds[0]
        #expect(round.count == 2)
        for (k, sign) in [(0, 1.0), (1, -1.0)] {
            let tree = round[k]
            #expect(Swift.abs(tree.nodes[0].gain - 4) < 1e-12)
            #expect(Swift.abs(tree.nodes[tree.nodes[0].left].weight - 2 * sign) < 1e-12)
            #expect(Swift.abs(tree.nodes[tree.nodes[0].right].weight + 2 * sign) < 1e-12)
        }
        // Every row's true class now leads by 4: p = sigmoid(4), loss log(1 + e^-4).
        #expect(Swift.abs(history.trainLoss[0] - log1p(exp(-4.0))) < 1e-12)
    }

    @Test func softmaxGrowsOneTreePerClassAndLearnsThreeGroups() throws {
        let x = Tensor(shape: [6, 1], scalars: [1, 2, 3, 4, 5, 6])
        let labels: [Double] = [0, 0, 1, 1, 2, 2]
        let (model, history) = try GradientBoostedTrees.fit(features: x, labels: labels, objective: .softmax(classes: 3),
                                                            settings: BoostingSettings(learningRate: 0.5, maxDepth: 2,
                                                                                       rules: SplitRules(lambda: 1, minChildWeight: 0)),
                                                            rounds: 20)
        #expect(model.rounds.count == 20 && model.rounds.allSatisfy { $0.count == 3 })
        let scores = try model.scores(features: x)
        for row in 0..<6 {
            let p = model.objective.prediction(scores: scores, row: row)
            #expect(p.firstIndex(of: p.max()!) == Int(labels[row]), "row \(row): \(p)")
        }
        #expect(history.trainLoss.last! < 0.1 && history.trainLoss.last! < history.trainLoss.first!)
        #expect(throws: EngineError.self) {
            try GradientBoostedTrees.fit(features: x, labels: [0, 0, 1, 1, 2, 3], objective: .softmax(classes: 3),
                                         settings: BoostingSettings(), rounds: 1)
        }
    }

    @Test func trainingLossNeverRisesAndRefitsAreIdentical() throws {
        // A noisy step function: squared error with Newton leaves and lr <= 1 cannot raise the loss.
        var g = SeededGenerator(seed: 3)
        let x = Tensor.uniform([300, 3], low: 0, high: 10, generator: &g)
        let values = x.copyScalars()
        let y = (0..<300).map { Double(values[$0 * 3] > 5 ? 4 : 1) + Double(values[$0 * 3 + 1]) * 0.3 + g.normal(mean: 0, std: 0.5) }
        let settings = BoostingSettings(learningRate: 0.3, maxDepth: 3)
        let (model, history) = try GradientBoostedTrees.fit(features: x, labels: y, objective: .squaredError, settings: settings,
                                                            rounds: 30, maxBins: 16)
        for (before, after) in zip(history.trainLoss, history.trainLoss.dropFirst()) { #expect(after <= before) }
        #expect(history.trainLoss.last! < 0.4)
        let (again, _) = try GradientBoostedTrees.fit(features: x, labels: y, objective: .squaredError, settings: settings,
                                                      rounds: 30, maxBins: 16)
        #expect(again == model)
        // Predicting raw values agrees with the scores kept during training (x < edge <=> bin <= b).
        let binned = try model.bins.binned(x)
        #expect(try model.scores(features: x) == model.scores(binned: binned))
    }

    @Test func earlyStoppingKeepsTheBestValidationRound() throws {
        // The validation labels are the training labels flipped: every round makes them worse,
        // so the best round is the first, and after 2 rounds without improvement fitting stops.
        // (Each child holds H = 2 x 0.25 = 0.5, below the default min_child_weight of 1.)
        let (model, history) = try GradientBoostedTrees.fit(
            features: table, labels: [0, 0, 1, 1], objective: .logLoss,
            settings: BoostingSettings(learningRate: 0.3, maxDepth: 1, rules: SplitRules(minChildWeight: 0)),
            rounds: 50, validation: (table, [1, 1, 0, 0]), earlyStoppingRounds: 2)
        #expect(history.validationLoss.count == 3)
        #expect(history.validationLoss[1] > history.validationLoss[0])
        #expect(history.roundsKept == 1 && model.rounds.count == 1)
    }
}
