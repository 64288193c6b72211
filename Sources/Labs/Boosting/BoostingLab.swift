import Foundation
import Course
import MLEngine
import TextPlot

/// `boosting`: gradient-boosted trees on CardioSim's patients table, one tree per step, and an
/// MLP on the same table for comparison (`model=mlp`), and, for `task=regress`, ordinary least
/// squares on every standardised feature in one closed-form step (`model=linear`, `TabularLinear`)
/// or the same line by minibatch SGD (`model=sgd`, `TabularSGD`).
///
/// `task=beats` boosts on another table: the 250 samples of each "beats-hard" beat, five
/// classes, softmax log-loss (`BeatTable`), so one round grows five trees, one per class.
///
/// Trees: every row starts at the base score (the mean risk, or the log-odds of the event
/// rate); each step takes every training row's gradient and hessian of the loss, grows one tree
/// on them (`DecisionTree.grow`, depth `depth`, Newton leaves `-G/(H+lambda)`), and adds it
/// scaled by `lr`. The lab keeps every split's sums, so the ledger panel can show the arithmetic.
/// With `early_stopping=N` the last fifth of the training rows is held out as a validation
/// split; once its loss has not improved for N rounds the model rolls back to its best round.
public struct BoostingLab: Lab {
    public static let labID = "boosting"
    /// MLP steps: the issue's comparison trains the MLP for 2,000 minibatches.
    public static let mlpSteps = TabularMLP.steps
    /// The MLP's test set is measured after the first step and every this many steps.
    static let evaluationInterval = 20

    /// Everything that takes effect at the next reset.
    struct Config: Equatable, Sendable {
        var task = BoostingTask.classify
        var model = "trees"
        var depth = 4
        var lambda = 1.0
        var minChildWeight = 1.0
        var bins = 256
        var earlyStopping = 0
    }

    public let id = BoostingLab.labID
    public let title = "Gradient-boosted trees on a patients table"
    public private(set) var seed: UInt64

    private var config = Config()
    private var built = Config()
    // Live settings.
    private var rounds = 200
    private var learningRate = 0.1
    private var selectedNode = 0

    private let data: PatientData
    // Trees.
    private var booster: GradientBoostedTrees
    private var fitRows: BinnedMatrix
    private var fitLabels: [Double] = []
    private var validRows: BinnedMatrix?
    private var validLabels: [Double] = []
    private var testRows: BinnedMatrix
    private var fitScores: [Double] = []
    private var validScores: [Double] = []
    private var testScores: [Double] = []
    private var best = (loss: Double.infinity, round: 0)
    private var stoppedEarly = false
    // MLP.
    private var mlp: TabularMLP?
    private var mlpTrainScores: [Double] = []
    // Least squares (nil until its one step).
    private var linear: TabularLinear?
    private var linearTrainScores: [Double] = []
    // The line by SGD, and the least-squares answer it is heading for (the score panel's target).
    private var sgd: TabularSGD?
    private var sgdTarget: Double?

    private var steps = 0
    /// The spread of the training residuals before any tree (the residual panel's fixed range).
    private var startingResidualRange = 1.0
    private var startingResidualRMS = 0.0
    public private(set) var metrics = Metrics()
    /// Final results of finished runs, kept across resets so the two models stand side by side:
    /// "trees regress" -> (test loss, test score, steps).
    private var finishedRuns: [String: [Double]] = [:]

    public init(seed: UInt64) {
        self.init(seed: seed, data: PatientData.shared)
    }

    init(seed: UInt64, data: PatientData) {
        self.seed = seed
        self.data = data
        let bins = (try? FeatureBins.quantiles(of: data.trainFeatures, maxBins: 256)) ?? FeatureBins(edges: [])
        booster = GradientBoostedTrees(objective: .logLoss, bins: bins, baseScore: [0])
        fitRows = BinnedMatrix(rows: 0, features: 0, bins: [])
        testRows = fitRows
        reset(seed: seed)
    }

    // MARK: Hyperparameters

    public var parameters: [Hyperparameter] {
        Self.parameters(config: config, rounds: rounds, learningRate: learningRate, node: selectedNode)
    }

    public static var defaultParameters: [Hyperparameter] {
        parameters(config: Config(), rounds: 200, learningRate: 0.1, node: 0)
    }

    private static func parameters(config: Config, rounds: Int, learningRate: Double, node: Int) -> [Hyperparameter] {
        [
            .choice("task", config.task.rawValue, among: BoostingTask.names,
                    help: "classify: the event, with log-loss; regress: the 10-year risk in %, with squared error; "
                        + "beats: the 5 classes of beats-hard from their 250 samples, softmax log-loss (trees only)"),
            .choice("model", config.model, among: ["trees", "mlp", "linear", "sgd"],
                    help: "trees: boosting; mlp: 2 x 64 ReLU, AdamW lr 0.001, batch 64, 2000 steps; "
                        + "linear (task=regress only): least squares on every standardised feature, in one step; "
                        + "sgd (task=regress only): the same line by minibatch SGD at lr, \(TabularSGD.steps) steps"),
            .linear("rounds", Double(rounds), in: 1...1000, step: 50, integer: true,
                    help: "trees to add before the lab stops (one per step)"),
            .logScale("lr", learningRate, in: 0.001...1, factor: 2,
                      help: "learning rate: each tree's leaves are scaled by it before they are added (model=sgd: SGD's step size)"),
            .linear("depth", Double(config.depth), in: 1...8, step: 1, integer: true, effect: .reset,
                    help: "largest number of questions from a tree's root to a leaf"),
            .linear("lambda", config.lambda, in: 0...100, step: 1, effect: .reset,
                    help: "L2 penalty added to every H: shrinks leaves that rest on few rows"),
            .linear("min_child_weight", config.minChildWeight, in: 0...100, step: 1, effect: .reset,
                    help: "least hessian sum each side of a split must keep (rows, for squared error)"),
            .logScale("bins", Double(config.bins), in: 2...256, factor: 2, integer: true, effect: .reset,
                      help: "histogram bins per feature (quantile edges)"),
            .linear("early_stopping", Double(config.earlyStopping), in: 0...100, step: 5, integer: true, effect: .reset,
                    help: "0 = off; N = hold out a fifth of the training rows, stop after N rounds without improvement"),
            .linear("node", Double(node), in: 0...510, step: 1, integer: true,
                    help: "the node of the latest tree the ledger explains (the flowchart scrolls to it)"),
        ]
    }

    public mutating func set(_ name: String, to value: HyperValue) throws {
        let checked = try parameters.checked(name, value, lab: id)
        let number = checked.number ?? 0
        switch name {
        case "task": config.task = checked.choice.flatMap(BoostingTask.init(rawValue:)) ?? config.task
        case "model": config.model = checked.choice ?? config.model
        case "rounds": rounds = Int(number)
        case "lr": learningRate = number
        case "depth": config.depth = Int(number)
        case "lambda": config.lambda = number
        case "min_child_weight": config.minChildWeight = number
        case "bins": config.bins = Int(number)
        case "early_stopping": config.earlyStopping = Int(number)
        default: selectedNode = Int(number)
        }
    }

    // MARK: Training

    private var isMLP: Bool { built.model == "mlp" }
    private var isLinear: Bool { built.model == "linear" }
    private var isSGD: Bool { built.model == "sgd" }
    private var scoreMetric: String {
        switch built.task {
        case .classify: return "test_auc"
        case .regress: return "test_rmse"
        case .beats: return "test_accuracy"
        }
    }

    // The table the built task reads: the patients, or the beats.
    private var trainFeatures: Tensor { built.task == .beats ? BeatTable.shared.trainFeatures : data.trainFeatures }
    private var testFeatures: Tensor { built.task == .beats ? BeatTable.shared.testFeatures : data.testFeatures }
    private func labels(test: Bool) -> [Double] {
        guard built.task == .beats else { return data.labels(built.task, test: test) }
        return test ? BeatTable.shared.testLabels : BeatTable.shared.trainLabels
    }
    private var featureNames: [String] { built.task == .beats ? BeatTable.shared.featureNames : PatientData.featureNames }

    public mutating func reset(seed: UInt64) {
        self.seed = seed
        built = config
        steps = 0
        best = (.infinity, 0)
        stoppedEarly = false
        let objective = built.task.objective
        let labels = labels(test: false)
        let trainCount = labels.count
        // With early stopping, the last fifth of the training rows becomes the validation split.
        let fitCount = built.earlyStopping > 0 ? trainCount - trainCount / 5 : trainCount
        let trainFeatures = trainFeatures
        let fitFeatures = trainFeatures.slice(alongAxis: 0, 0..<fitCount)
        fitLabels = Array(labels[0..<fitCount])
        let bins = (try? FeatureBins.quantiles(of: fitFeatures, maxBins: built.bins)) ?? booster.bins
        fitRows = (try? bins.binned(fitFeatures)) ?? BinnedMatrix(rows: 0, features: bins.featureCount, bins: [])
        testRows = (try? bins.binned(testFeatures)) ?? BinnedMatrix(rows: 0, features: bins.featureCount, bins: [])
        if built.earlyStopping > 0 {
            validRows = try? bins.binned(trainFeatures.slice(alongAxis: 0, fitCount..<trainCount))
            validLabels = Array(labels[fitCount...])
        } else {
            validRows = nil
            validLabels = []
        }
        booster = GradientBoostedTrees(objective: objective, bins: bins, baseScore: objective.baseScore(labels: fitLabels))
        fitScores = booster.initialScores(rows: fitRows.rows)
        validScores = booster.initialScores(rows: validRows?.rows ?? 0)
        testScores = booster.initialScores(rows: testRows.rows)
        var generator = SeededGenerator(seed: seed)
        // The networks and lines read the patients only; their step says so for task=beats.
        let onPatients = built.task != .beats
        mlp = isMLP && onPatients ? TabularMLP(data: data, task: built.task, generator: &generator) : nil
        mlpTrainScores = mlp?.scores(mlp!.train) ?? []
        linear = nil
        // Before its fit, the line predicts the base score (the mean risk) for every row, as the trees start.
        linearTrainScores = booster.initialScores(rows: isLinear || isSGD ? trainCount : 0)
        let onRisk = built.task == .regress
        sgd = isSGD && onRisk ? TabularSGD(data: data, generator: &generator) : nil
        sgdTarget = isSGD && onRisk ? (try? TabularLinear(data: data)).map { Self.rmse($0.scores(data.testFeatures), data.testRisk) } : nil

        metrics = Metrics(series: (["train_loss", "test_loss", scoreMetric] + (built.task == .beats ? ["train_accuracy"] : [])
                                   + (isMLP ? ["test_step"] : [])
                                   + (validRows != nil ? ["valid_loss"] : [])).map { .init(name: $0) })
        let residuals = trainResiduals
        startingResidualRMS = Self.rms(residuals)
        let sorted = residuals.map(Swift.abs).sorted()
        startingResidualRange = max(sorted.isEmpty ? 1 : sorted[min(sorted.count - 1, sorted.count * 98 / 100)], 1e-6)
    }

    public mutating func step() throws -> StepReport {
        if built.task == .beats && built.model != "trees" {
            throw HyperparameterError.outOfRange(name: "model", valid: "trees with task=beats (the MLP and the lines read the "
                                                 + "patients table; set model=trees, then press r)", got: built.model)
        }
        if isSGD { return try sgdStep() }
        return isLinear ? try linearStep() : isMLP ? try mlpStep() : treeStep()
    }

    /// A few minibatch steps of SGD on the line, then the whole training and test sets measured.
    private mutating func sgdStep() throws -> StepReport {
        guard built.task == .regress, var line = sgd else {
            throw HyperparameterError.outOfRange(name: "model", valid: "trees or mlp with task=\(built.task.rawValue) (sgd fits "
                                                 + "a line to a number, for task=regress only; set task=regress, then press r)",
                                                 got: "sgd")
        }
        guard steps < TabularSGD.steps else {
            return StepReport(finished: true, note: "SGD has had its \(TabularSGD.steps) steps")
        }
        for _ in 0..<TabularSGD.minibatchesPerStep { _ = line.step(learningRate: learningRate) }
        sgd = line
        steps += 1
        linearTrainScores = line.scores(data.trainFeatures)
        let trainLoss = BoostingObjective.squaredError.loss(scores: linearTrainScores, labels: data.trainRisk)
        metrics.append(trainLoss, to: "train_loss")
        recordTest(line.scores(data.testFeatures))
        let done = steps >= TabularSGD.steps
        if done { remember() }
        return StepReport(loss: trainLoss, finished: done, note: done ? "SGD has had its \(TabularSGD.steps) steps" : nil)
    }

    static func rmse(_ scores: [Double], _ labels: [Double]) -> Double {
        BoostingObjective.squaredError.loss(scores: scores, labels: labels).squareRoot()
    }

    /// Least squares needs a number to fit: with task=classify the step refuses rather than
    /// fitting a line to 0/1 events (that would be a linear probability model, not logistic regression).
    private mutating func linearStep() throws -> StepReport {
        guard built.task == .regress else {
            throw HyperparameterError.outOfRange(name: "model", valid: "trees or mlp with task=classify (linear is least squares, "
                                                 + "for task=regress only; set task=regress or another model, then press r)",
                                                 got: "linear")
        }
        guard linear == nil else {
            return StepReport(finished: true, note: "least squares is solved in one step; the fit is done")
        }
        let fit = try fitLinear()
        steps += 1
        let trainLoss = BoostingObjective.squaredError.loss(scores: linearTrainScores, labels: data.labels(.regress, test: false))
        metrics.append(trainLoss, to: "train_loss")
        recordTest(fit.scores(data.testFeatures))
        remember()
        return StepReport(loss: trainLoss, finished: true,
                          note: "least squares in closed form: test RMSE \(TreeFlowchart.number(metrics.latest("test_rmse") ?? .nan))")
    }

    /// Solves the least-squares fit on all training rows (early stopping does not apply to it).
    private mutating func fitLinear() throws -> TabularLinear {
        let fit = try TabularLinear(data: data)
        linear = fit
        linearTrainScores = fit.scores(data.trainFeatures)
        return fit
    }

    private mutating func treeStep() -> StepReport {
        guard !stoppedEarly, booster.rounds.count < rounds else {
            return StepReport(finished: true, note: "all \(booster.rounds.count) trees are in; raise rounds to add more")
        }
        let settings = BoostingSettings(learningRate: learningRate, maxDepth: built.depth,
                                        rules: SplitRules(lambda: built.lambda, minChildWeight: built.minChildWeight))
        let objective = booster.objective
        let round = booster.addRound(binned: fitRows, labels: fitLabels, scores: &fitScores, settings: settings)
        booster.add(round: round, to: &testScores, binned: testRows)
        steps += 1
        let trainLoss = objective.loss(scores: fitScores, labels: fitLabels)
        metrics.append(trainLoss, to: "train_loss")
        if case .softmax = objective { metrics.append(Self.accuracy(fitScores, fitLabels, objective: objective), to: "train_accuracy") }
        recordTest(testScores)
        var note: String?
        if let validRows {
            booster.add(round: round, to: &validScores, binned: validRows)
            let loss = objective.loss(scores: validScores, labels: validLabels)
            metrics.append(loss, to: "valid_loss")
            if loss < best.loss { best = (loss, booster.rounds.count) }
            if booster.rounds.count - best.round >= built.earlyStopping {
                rollBack(to: best.round)
                note = "early stopping: validation loss last improved at round \(best.round); the model keeps those \(best.round) rounds"
            }
        }
        let done = stoppedEarly || booster.rounds.count >= rounds
        if done { remember() }
        return StepReport(loss: trainLoss, finished: done,
                          note: note ?? (done ? "\(booster.rounds.count) trees: the run is complete" : nil))
    }

    /// Keeps the first `round` rounds and recomputes every score from them.
    private mutating func rollBack(to round: Int) {
        stoppedEarly = true
        booster.truncate(toRounds: round)
        fitScores = booster.scores(binned: fitRows)
        testScores = booster.scores(binned: testRows)
        metrics.set("best_round", Double(round))
    }

    private mutating func mlpStep() throws -> StepReport {
        guard var network = mlp, steps < Self.mlpSteps else {
            return StepReport(finished: true, note: "the MLP has had its \(Self.mlpSteps) steps")
        }
        let loss = try network.step()
        mlp = network
        steps += 1
        metrics.append(loss, to: "train_loss")
        if steps == 1 || steps % Self.evaluationInterval == 0 || steps == Self.mlpSteps {
            recordTest(network.scores(network.test))
            metrics.append(Double(steps), to: "test_step")
            mlpTrainScores = network.scores(network.train)
        }
        let done = steps >= Self.mlpSteps
        if done { remember() }
        return StepReport(loss: loss, finished: done, note: done ? "the MLP has had its \(Self.mlpSteps) steps" : nil)
    }

    private mutating func recordTest(_ scores: [Double]) {
        let objective = built.task.objective, labels = labels(test: true)
        let loss = objective.loss(scores: scores, labels: labels)
        metrics.append(loss, to: "test_loss")
        switch built.task {
        case .classify: metrics.append(RankingScore.auc(scores: scores, labels: labels), to: scoreMetric)
        case .regress: metrics.append(loss.squareRoot(), to: scoreMetric)
        case .beats: metrics.append(Self.accuracy(scores, labels, objective: objective), to: scoreMetric)
        }
    }

    /// The share of rows whose highest score is their class (ties go to the lower class).
    static func accuracy(_ scores: [Double], _ labels: [Double], objective: BoostingObjective) -> Double {
        let classes = objective.outputs
        guard !labels.isEmpty else { return 0 }
        var correct = 0
        for (row, label) in labels.enumerated() where predictedClass(scores, row: row, classes: classes) == Int(label) { correct += 1 }
        return Double(correct) / Double(labels.count)
    }

    static func predictedClass(_ scores: [Double], row: Int, classes: Int) -> Int {
        var best = 0
        for k in 1..<classes where scores[row * classes + k] > scores[row * classes + best] { best = k }
        return best
    }

    /// Files this finished run's test figures under its model and task, for the comparison panel.
    private mutating func remember() {
        let score = stoppedEarly ? metrics.values(scoreMetric)[max(0, best.round - 1)] : (metrics.values(scoreMetric).last ?? .nan)
        let loss = stoppedEarly ? metrics.values("test_loss")[max(0, best.round - 1)] : (metrics.values("test_loss").last ?? .nan)
        finishedRuns["\(built.model) \(built.task.rawValue)"] = [loss, score, Double(built.model == "trees" ? booster.rounds.count : steps)]
    }

    public var isFinite: Bool {
        if let mlp { return MLPBuilder.isFinite(mlp.model) }
        if isLinear || isSGD { return linearTrainScores.allSatisfy(\.isFinite) }
        return fitScores.allSatisfy(\.isFinite)
    }

    /// Regression's goal: trees and the MLP get below 3 points; a straight line cannot (least
    /// squares stops at about 5.3), so SGD's goal is least squares' own RMSE, within 1%, and least
    /// squares, solved in one step, has none.
    public var completion: CompletionCondition? {
        guard built.task == .regress, !isLinear else { return nil }
        if let sgdTarget {
            return CompletionCondition(metric: "test_rmse", .atMost, sgdTarget * 1.01,
                                       description: "test RMSE within 1% of least squares' \(TreeFlowchart.number(sgdTarget))")
        }
        return CompletionCondition(metric: "test_rmse", .atMost, 3, description: "test RMSE fell below 3 percentage points")
    }

    public func divergenceHint() -> String? {
        isMLP ? "the MLP diverged; its settings are fixed, so report this run's seed" : "lr \(NumberText.format(learningRate)) is too high; lower it and press r"
    }

    // MARK: What the panels read

    /// Training rows' residuals now: truth minus prediction (risk in %, event minus probability,
    /// or for the beats 1 minus the probability of the true class).
    var trainResiduals: [Double] {
        let objective = built.task.objective
        if case .softmax = objective {
            return fitLabels.indices.map { 1 - objective.prediction(scores: fitScores, row: $0)[Int(fitLabels[$0])] }
        }
        if isMLP {
            let labels = data.labels(built.task, test: false)
            return zip(labels, mlpTrainScores).map { y, s in y - (built.task == .classify ? BoostingObjective.logLoss.prediction(scores: [s], row: 0)[0] : s) }
        }
        if isLinear || isSGD { return zip(data.labels(.regress, test: false), linearTrainScores).map { $0 - $1 } }
        return fitLabels.indices.map { fitLabels[$0] - objective.prediction(scores: fitScores, row: $0)[0] }
    }

    static func rms(_ values: [Double]) -> Double {
        values.isEmpty ? 0 : (values.reduce(0) { $0 + $1 * $1 } / Double(values.count)).squareRoot()
    }

    var latestTree: DecisionTree? { booster.rounds.last?.first }
    /// On the beats a round grows one tree per class and the panels show the first class's.
    private var latestTreeOwner: String? {
        built.task == .beats ? BeatTable.shared.classNames.first.map { "the \($0) class's tree of \(BeatTable.shared.classCount)" } : nil
    }

    // MARK: Panels

    public var panelIDs: [String] { Self.panelNames }
    public static let panelNames = ["loss", "score", "residuals", "tree", "ledger", "importance", "comparison", "confusion"]

    public func panel(_ id: String) -> Panel? {
        let names = featureNames
        switch id {
        case "loss":
            var series = ["train_loss", "test_loss"], labels = ["train", "test"]
            if validRows != nil { series.append("valid_loss"); labels.append("validation") }
            if isMLP {
                let chart = LineChartSpec(series: [
                    LineSeries(name: "train", values: metrics.values("train_loss"), x: metrics.measurementIndices("train_loss")),
                    LineSeries(name: "test", values: metrics.values("test_loss"), x: metrics.values("test_step")),
                ], smoothing: 0.9)
                return Panel(title: "MLP loss (\(built.task.lossName)) by step", content: .lineChart(chart))
            }
            return MetricChart.panel(title: "Loss (\(built.task.lossName)) by \(isSGD ? "step" : "round")", metrics: metrics,
                                     series: series, labels: labels)
        case "score":
            let name = ["classify": "AUC", "regress": "RMSE, %", "beats": "accuracy"][built.task.rawValue] ?? ""
            let latest = metrics.latest(scoreMetric).map { TreeFlowchart.number($0) } ?? "-"
            if let sgdTarget {
                // The least-squares answer as a flat line: where SGD's test RMSE is heading.
                return MetricChart.panel(title: "Test RMSE, % (sgd): \(latest); least squares \(TreeFlowchart.number(sgdTarget))",
                                         metrics: metrics, series: [scoreMetric], labels: ["sgd"],
                                         references: [(name: "least squares", value: sgdTarget)])
            }
            if built.task == .beats {
                return MetricChart.panel(title: "Accuracy (trees): test \(latest), train "
                                            + (metrics.latest("train_accuracy").map { TreeFlowchart.number($0) } ?? "-"),
                                         metrics: metrics, series: ["train_accuracy", scoreMetric], labels: ["train", "test"],
                                         yRange: 0...1)
            }
            return MetricChart.panel(title: "Test \(name) (\(built.model)): \(latest)", metrics: metrics, series: [scoreMetric],
                                     labels: ["test"], x: isMLP ? "test_step" : nil)
        case "residuals": return residualPanel()
        case "tree":
            if built.model != "trees" { return Panel(title: "Latest tree", content: .text("model=\(built.model) has no trees: set model=trees.")) }
            return TreeFlowchart.panel(latestTree, round: booster.rounds.count, selected: selectedNode, featureNames: names,
                                       owner: latestTreeOwner)
        case "ledger":
            if built.model != "trees" { return Panel(title: "Newton ledger", content: .text("model=\(built.model) has no trees.")) }
            return TreeFlowchart.ledger(latestTree, selected: selectedNode, lambda: built.lambda, gamma: 0, featureNames: names,
                                        owner: latestTreeOwner)
        case "importance":
            if isMLP { return Panel(title: "Feature importance", content: .text("model=mlp has no splits to count.")) }
            if isLinear || isSGD {
                let fitted = isSGD ? sgd?.weights : linear?.fit.weights
                guard let weights = fitted, weights.contains(where: { $0 != 0 }) else {
                    return Panel(title: "Feature importance", content: .text("Press Space: \(isSGD ? "SGD moves" : "one step fits") the line."))
                }
                let total = max(weights.reduce(0) { $0 + Swift.abs($1) }, 1e-300)
                let bars = zip(names, weights).map { Bar(label: $0, value: Swift.abs($1) / total) }
                return Panel(title: "Feature importance: share of |weight| (risk % per SD of the feature)",
                             content: .bars(BarChartSpec(bars: bars, maxValue: 1)))
            }
            let gains = booster.gainImportance, total = max(gains.reduce(0, +), 1e-300)
            if built.task == .beats {
                // 250 features are too many bars: the share of gain drawn along the beat instead.
                let chart = LineChartSpec(series: [LineSeries(name: "share of gain", values: gains.map { $0 / total })])
                return Panel(title: "Feature importance: share of split gain at each sample of the beat (0-249)",
                             content: .lineChart(chart))
            }
            let bars = zip(names, gains).map { Bar(label: $0, value: $1 / total) }
            return Panel(title: "Feature importance: share of total split gain", content: .bars(BarChartSpec(bars: bars, maxValue: 1)))
        case "comparison": return comparisonPanel()
        case "confusion": return confusionPanel()
        default: return nil
        }
    }

    /// The training residuals as a histogram on the range they had before the first tree, so
    /// the bars visibly gather towards 0 round by round.
    private func residualPanel() -> Panel {
        let residuals = trainResiduals
        let binCount = 11, range = startingResidualRange
        var counts = [Double](repeating: 0, count: binCount)
        for r in residuals {
            let position = Int(((r + range) / (2 * range) * Double(binCount)).rounded(.down))
            counts[min(max(position, 0), binCount - 1)] += 1
        }
        let width = 2 * range / Double(binCount)
        let bars = counts.enumerated().map { i, c in
            // Bin centres with as few digits as the range needs, so narrow bars keep their labels.
            Bar(label: String(format: range >= 10 ? "%.0f" : range >= 1 ? "%.1f" : "%.2f", -range + (Double(i) + 0.5) * width),
                value: c / Double(max(residuals.count, 1)))
        }
        let what = ["classify": "event - p", "regress": "risk - prediction, %", "beats": "1 - p of the true class"][built.task.rawValue] ?? ""
        let now = TreeFlowchart.number(Self.rms(residuals)), start = TreeFlowchart.number(startingResidualRMS)
        let when = built.model == "trees" ? "round \(booster.rounds.count)" : "step \(steps)"
        return Panel(title: "Training residuals (\(what)), \(when): RMS \(now), at start \(start)",
                     content: .bars(BarChartSpec(bars: bars, orientation: .vertical, showValues: false)))
    }

    /// The finished runs side by side: each model's final test figures on each task.
    private func comparisonPanel() -> Panel {
        var rows: [[String]] = []
        for task in BoostingTask.allCases {
            for model in ["trees", "mlp", "linear", "sgd"] where Self.runs(model, on: task) {
                let key = "\(model) \(task.rawValue)"
                guard let result = finishedRuns[key] else {
                    rows.append([model, task.rawValue, "-", "-", "not run yet"])
                    continue
                }
                let score = (["classify": "AUC ", "regress": "RMSE ", "beats": "accuracy "][task.rawValue] ?? "")
                    + TreeFlowchart.number(result[1])
                rows.append([model, task.rawValue, TreeFlowchart.number(result[0]), score,
                             model == "linear" ? "closed form" : "\(Int(result[2])) \(model == "trees" ? "rounds" : "steps")"])
            }
        }
        return Panel(title: "Finished runs: trees vs MLP vs line on the same test rows",
                     content: .table(TableSpec(headers: ["model", "task", "test loss", "test score", "trained"], rows: rows,
                                               alignments: [.left, .left, .right, .right, .left])))
    }

    /// Which model trains on which task: the lines fit numbers, and only the trees read the beats.
    static func runs(_ model: String, on task: BoostingTask) -> Bool {
        switch model {
        case "trees": return true
        case "mlp": return task != .beats
        default: return task == .regress
        }
    }

    /// Test beats by true class (rows) and predicted class (columns), from the current scores.
    private func confusionPanel() -> Panel {
        guard built.task == .beats else {
            return Panel(title: "Confusion", content: .text("task=\(built.task.rawValue) has no classes to confuse: set task=beats."))
        }
        let names = BeatTable.shared.classNames, classes = names.count, labels = labels(test: true)
        var counts = [Double](repeating: 0, count: classes * classes)
        for (row, label) in labels.enumerated() {
            counts[Int(label) * classes + Self.predictedClass(testScores, row: row, classes: classes)] += 1
        }
        let spec = HeatmapSpec(rows: classes, columns: classes, values: counts, palette: .sequential,
                               rowLabels: names, columnLabels: names, showValues: true, showColorBar: false)
        return Panel(title: "Confusion (trees, round \(booster.rounds.count)): true rows, predicted columns", content: .heatmap(spec))
    }

    // MARK: Checkpoints

    public func snapshot() -> LabState {
        var tensors: [String: Tensor] = [:]
        if let mlp {
            CheckpointParts.store(mlp.model, as: "mlp", into: &tensors)
            CheckpointParts.store(mlp.optimizer, as: "optimizer", into: &tensors)
        }
        var metadata: [String: JSONValue] = [
            "seed": .string(String(seed)),
            "step": .number(Double(steps)),
            "settings": StateCoding.json(parameters),
            "built": StateCoding.json(Self.parameters(config: built, rounds: rounds, learningRate: learningRate, node: selectedNode)),
            "trees": .array(booster.rounds.map { .array($0.map(TreeCoding.json)) }),
            "best": .array([StateCoding.json(best.loss), .number(Double(best.round))]),
            "stopped": .bool(stoppedEarly),
            "finished": .object(finishedRuns.mapValues { .array($0.map(StateCoding.json)) }),
            "metrics": StateCoding.json(metrics),
        ]
        if let mlp { metadata["sampler"] = StateCoding.json(mlp.sampler.generator) }
        if let sgd {
            metadata["sampler"] = StateCoding.json(sgd.sampler.generator)
            metadata["line"] = .array((sgd.weights + [sgd.intercept]).map(StateCoding.json))
        }
        return LabState(labID: id, tensors: tensors, metadata: metadata)
    }

    public mutating func restore(_ state: LabState) throws {
        try state.expect(lab: id)
        func bad(_ key: String, _ problem: String) -> LabStateError { .badMetadata(lab: id, key: key, problem: problem) }
        let savedSeed = try CheckpointParts.seed(in: state)
        // Put the settings the run was built with in place, reset, then the live and pending ones.
        var probe = BoostingLab(seed: savedSeed, data: data, skipReset: true)
        for (name, value) in try StateCoding.settings(from: state.metadata["built"], for: parameters, key: "built", lab: id) {
            try probe.set(name, to: value)
        }
        let pending = try StateCoding.settings(from: state.metadata["settings"], for: parameters, key: "settings", lab: id)
        let savedSteps = try CheckpointParts.integer("step", in: state)
        let savedMetrics = try StateCoding.metrics(from: state.metadata["metrics"], key: "metrics", lab: id)
        guard let treeList = state.metadata["trees"]?.array else { throw bad("trees", "must be a list of rounds") }
        let rounds = try treeList.map { round -> [DecisionTree] in
            guard let trees = round.array else { throw bad("trees", "each round must be a list of trees") }
            return try trees.map { try TreeCoding.tree(from: $0, lab: id) }
        }
        guard let bestPair = state.metadata["best"]?.array, bestPair.count == 2, let bestLoss = StateCoding.double(from: bestPair[0]),
              let bestRound = bestPair[1].number.flatMap({ StateCoding.int($0, in: 0...100_000) }) else {
            throw bad("best", "must be [loss, round]")
        }
        var finished: [String: [Double]] = [:]
        for (key, value) in state.metadata["finished"]?.object ?? [:] {
            finished[key] = value.array?.compactMap(StateCoding.double(from:))
        }

        config = probe.config
        reset(seed: savedSeed)
        guard rounds.allSatisfy({ $0.count == booster.objective.outputs && $0.allSatisfy { TreeCoding.fits($0, bins: booster.bins) } }) else {
            throw bad("trees", "do not fit the \(built.task.rawValue) task's features and bins")
        }
        for round in rounds { booster.append(round: round) }
        fitScores = booster.scores(binned: fitRows)
        testScores = booster.scores(binned: testRows)
        if let validRows { validScores = booster.scores(binned: validRows) }
        if var network = mlp {
            try CheckpointParts.load(&network.model, from: "mlp", in: state)
            try CheckpointParts.load(&network.optimizer, from: "optimizer", in: state, for: network.model)
            network.sampler = BatchSampler(generator: try StateCoding.generator(from: state.metadata["sampler"], key: "sampler", lab: id))
            mlp = network
            mlpTrainScores = network.scores(network.train)
        }
        // The least-squares fit is a function of the training rows alone: fitting again restores it bit for bit.
        if isLinear && built.task == .regress && savedSteps > 0 { _ = try fitLinear() }
        if var line = sgd {
            let values = state.metadata["line"]?.array?.compactMap(StateCoding.double(from:)) ?? []
            guard values.count == line.width + 1 else { throw bad("line", "must hold \(line.width) weights and the intercept") }
            line.weights = Array(values[0..<line.width])
            line.intercept = values[line.width]
            line.sampler = BatchSampler(generator: try StateCoding.generator(from: state.metadata["sampler"], key: "sampler", lab: id))
            sgd = line
            linearTrainScores = line.scores(data.trainFeatures)
        }
        best = (bestLoss, bestRound)
        if case .bool(let stopped) = state.metadata["stopped"] { stoppedEarly = stopped }
        steps = savedSteps
        metrics = savedMetrics
        finishedRuns = finished
        for (name, value) in pending { try set(name, to: value) }
    }

    private init(seed: UInt64, data: PatientData, skipReset: Bool) {
        self.seed = seed
        self.data = data
        booster = GradientBoostedTrees(objective: .logLoss, bins: FeatureBins(edges: []), baseScore: [0])
        fitRows = BinnedMatrix(rows: 0, features: 0, bins: [])
        testRows = fitRows
    }
}
