import CardioSim
import Course
import Foundation
import MLEngine
import TextPlot

/// `decision-transformer`: a causal transformer reads recorded dosing courses as
/// (return-to-go, state, dose) tokens and learns to predict each dose (cross-entropy, AdamW,
/// batches of 32 courses). CardioSim's `dosing-trajectories` holds courses of every quality:
/// the clinician's rule, the rule followed with 25%, 50% and 75% random doses, and random doses.
///
/// The trained model is then asked for a return and plays 20 patients of the dosing
/// environment, each reward subtracted from the return still wanted. A rollout of 20 patients
/// is about ten forward passes, so the lab spreads them over its steps: every step trains once
/// and, every `rolloutInterval` steps, plays one batch of patients for one target, alternating
/// between the learner's live `target_return` and a cycle through the measured targets (the
/// 25th and 90th percentile of the recorded returns and a sweep across and beyond them).
///
/// Metrics: `train_loss`; `achieved_return_low` and `achieved_return_high`, the mean return of
/// 20 patients when asked for the 25th and the 90th percentile; `normalized_return_high`, the
/// latter scored between the random policy (0) and the noise-free expert (1) on the same
/// patients (`DosingReferenceReturns`).
public struct DecisionTransformerLab: Lab {
    public static let labID = "decision-transformer"
    public static let labTitle = "A Decision Transformer asked for a return"
    public static let panelNames = ["targets", "doses", "loss", "score"]
    /// Training steps of a run (`mlcourse run`'s default count; `.ci/promises/ch9-dt.sh`).
    public static let stepBudget = 1000
    public static let batch = 32
    /// Patients per rollout.
    public static let patients = 20
    /// Steps between two rollouts.
    public static let rolloutInterval = 2
    /// Sweep targets, from the 10th percentile of the recorded returns to past the best one.
    static let sweepCount = 7

    public var id: String { Self.labID }
    public var title: String { Self.labTitle }
    public private(set) var seed: UInt64

    struct Settings: Equatable {
        var targetReturn = 8.0
        var learningRate = 0.001
    }
    private var settings = Settings()
    private var built = Settings()

    private let data: DecisionData
    private let environment: DosingConfig
    private var model: DecisionTransformer
    private var optimizer: any Optimizer
    private var sampler: BatchSampler
    private var steps = 0
    /// The random and noise-free expert returns on the rollout patients.
    public private(set) var references = DosingReferenceReturns(random: 0, expert: 1)
    /// Latest rollout of each sweep target (nil until played).
    private(set) var sweep: [DecisionRolloutResult?] = []
    /// Latest rollout asked for the live target.
    private(set) var live: DecisionRolloutResult?
    public private(set) var metrics = Metrics()

    public init(seed: UInt64) {
        self.seed = seed
        let recipe = BuiltInRecipes.recipe(named: "dosing-trajectories")!
        guard case .dosingTrajectories(let config) = recipe.parameters else { fatalError("dosing-trajectories is not a trajectory recipe") }
        environment = config.environment
        data = DecisionData((try? TrajectoryRecorder.record(config, seed: recipe.seed)) ?? [],
                            actionCount: config.environment.doses.count)
        var generator = SeededGenerator(seed: seed)
        model = Self.makeModel(data, generator: &generator)
        optimizer = AdamW(learningRate: 0.001)
        sampler = BatchSampler(generator: generator.split())
        reset(seed: seed)
    }

    static func makeModel(_ data: DecisionData, generator: inout SeededGenerator) -> DecisionTransformer {
        DecisionTransformer(stateSize: data.stateSize, actionCount: data.actionCount, maxSteps: data.steps,
                            width: 32, heads: 2, layers: 2, returnScale: 10, generator: &generator)
    }

    // MARK: Hyperparameters

    public var parameters: [Hyperparameter] { Self.parameters(settings) }
    public static var defaultParameters: [Hyperparameter] { parameters(Settings()) }

    static func parameters(_ s: Settings) -> [Hyperparameter] {
        [
            .linear("target_return", s.targetReturn, in: -20...30, step: 0.5,
                    help: "the return the model is asked to achieve in the live rollouts (the best recorded course earned about 9.9)"),
            .logScale("lr", s.learningRate, in: 0.00001...0.1, factor: 2, help: "AdamW learning rate"),
        ]
    }

    public mutating func set(_ name: String, to value: HyperValue) throws {
        let checked = try parameters.checked(name, value, lab: id)
        switch name {
        case "target_return":
            settings.targetReturn = checked.number ?? settings.targetReturn
        default:
            settings.learningRate = checked.number ?? settings.learningRate
            optimizer.learningRate = Float(settings.learningRate)
        }
    }

    // MARK: Targets

    /// The 25th and 90th percentile of the recorded returns.
    public var lowTarget: Double { data.percentile(0.25) }
    public var highTarget: Double { data.percentile(0.9) }
    public var bestRecorded: Double { data.best }
    /// Evenly spaced from the 10th percentile to a quarter of the range past the best course.
    public var sweepTargets: [Double] {
        let low = data.percentile(0.1), high = data.best + 0.25 * (data.best - low)
        return (0..<Self.sweepCount).map { low + (high - low) * Double($0) / Double(Self.sweepCount - 1) }
    }

    /// The rollout patients' seed.
    var patientSeed: UInt64 { SeedMixing.derive(seed, 5, 0) }

    // MARK: Training

    public mutating func reset(seed: UInt64) {
        self.seed = seed
        built = settings
        var generator = SeededGenerator(seed: seed)
        model = Self.makeModel(data, generator: &generator)
        optimizer = AdamW(learningRate: Float(settings.learningRate))
        sampler = BatchSampler(generator: generator.split())
        steps = 0
        references = (try? DosingReferenceReturns.measure(config: environment, episodes: Self.patients, seed: patientSeed))
            ?? DosingReferenceReturns(random: 0, expert: 1)
        sweep = Array(repeating: nil, count: Self.sweepCount)
        live = nil
        metrics = Metrics(series: ["train_loss", "achieved_return_low", "achieved_return_high", "normalized_return_high"]
            .map { .init(name: $0) })
        metrics.set("target_low", lowTarget)
        metrics.set("target_high", highTarget)
        metrics.set("best_recorded", bestRecorded)
        metrics.set("random_return", references.random)
        metrics.set("expert_return", references.expert)
    }

    /// One gradient step on a batch of 32 recorded courses (what `dt_step_ms` times); returns
    /// the batch's cross-entropy. `step()` adds the step count, the metrics and the rollouts.
    public mutating func trainingStep() throws -> Double {
        let picked = sampler.indices(size: Self.batch, from: data.episodes)
        let rows = data.rows.gathering(picked, alongAxis: 0)
        let labels = rows.slice(alongAxis: 2, (data.stateSize + 1)..<(data.stateSize + 2)).copyScalars().map { Int($0) }
        model.zeroGrad()
        let loss = try crossEntropy(logits: model(rows), labels: labels)
        loss.backward()
        optimizer.step(&model)
        return Double(loss.item)
    }

    /// One rollout of 20 patients asked for `target` with the current model (the work a step
    /// adds every `rolloutInterval` steps); the mean return.
    public func rolloutReturn(asking target: Double) throws -> Double {
        try play(target, key: 200).meanReturn
    }

    public mutating func step() throws -> StepReport {
        let loss = try trainingStep()
        steps += 1
        metrics.append(loss, to: "train_loss")
        if steps % Self.rolloutInterval == 0 { try rollout(slot: steps / Self.rolloutInterval) }
        let done = steps == Self.stepBudget
        if done {
            // The run's verdict comes from the final model, whatever the cycle had reached.
            try measure(kind: 0)
            try measure(kind: 1)
        }
        return StepReport(loss: loss, finished: done,
                          note: done ? "decision-transformer: the budget of \(Self.stepBudget) steps is spent" : nil)
    }

    /// Even slots ask for the live target; odd ones cycle through low, high and the sweep.
    private mutating func rollout(slot: Int) throws {
        if slot % 2 == 0 {
            live = try play(settings.targetReturn, key: 100)
        } else {
            try measure(kind: (slot / 2) % (2 + Self.sweepCount))
        }
    }

    /// Kind 0: the low target, 1: the high target, 2...: the sweep.
    private mutating func measure(kind: Int) throws {
        switch kind {
        case 0:
            metrics.append(try play(lowTarget, key: 0).meanReturn, to: "achieved_return_low")
        case 1:
            let achieved = try play(highTarget, key: 1).meanReturn
            metrics.append(achieved, to: "achieved_return_high")
            metrics.append(references.normalized(achieved), to: "normalized_return_high")
        default:
            sweep[kind - 2] = try play(sweepTargets[kind - 2], key: UInt64(kind))
        }
    }

    private func play(_ target: Double, key: UInt64) throws -> DecisionRolloutResult {
        try DecisionRollouts.run(model, target: target, patients: Self.patients, config: environment, seed: patientSeed,
                                 drawSeed: SeedMixing.derive(seed, 6, key))
    }

    public var isFinite: Bool {
        model.parameters.allSatisfy { $0.value.withUnsafeScalars { $0.allSatisfy(\.isFinite) } }
    }

    public func divergenceHint() -> String? {
        "learning rate \(NumberText.format(settings.learningRate)) is too high for AdamW here; lower lr (0.001 works) and press r"
    }

    // MARK: Panels

    public var panelIDs: [String] { Self.panelNames }

    public func panel(_ id: String) -> Panel? {
        switch id {
        case "targets": return targetsPanel()
        case "doses": return dosesPanel()
        case "loss":
            return MetricChart.panel(title: "Training loss (cross-entropy of the recorded doses)", metrics: metrics,
                                     series: ["train_loss"], labels: ["train_loss"], smoothing: 0.9, finiteOnly: true)
        case "score": return scorePanel()
        default: return nil
        }
    }

    private func targetsPanel() -> Panel {
        let targets = sweepTargets
        let played = zip(targets, sweep).compactMap { target, result in result.map { (target, $0.meanReturn) } }
        var lines = [LineSeries(name: "asked for", values: targets, x: targets),
                     LineSeries(name: "best recorded", values: targets.map { _ in bestRecorded }, x: targets)]
        if !played.isEmpty {
            lines.insert(LineSeries(name: "achieved", values: played.map(\.1), x: played.map(\.0)), at: 0)
        }
        return Panel(title: "Asked-for vs achieved return (20 patients each)", content: .lineChart(LineChartSpec(series: lines)))
    }

    private func dosesPanel() -> Panel {
        let asked = NumberText.format(live?.asked ?? settings.targetReturn)
        let doses = live?.meanDoses ?? Array(repeating: 0, count: data.steps)
        let bars = doses.enumerated().map { Bar(label: "step \($0.offset + 1)", value: $0.element) }
        return Panel(title: "Doses chosen when asked for \(asked) (mean of 20 patients, mg/L)",
                     content: .bars(BarChartSpec(bars: bars, orientation: .horizontal, maxValue: environment.doses.max())))
    }

    private func scorePanel() -> Panel {
        func text(_ x: Double?) -> String { x.map { NumberText.format($0) } ?? "-" }
        let rows = [
            ["target_return (live)", text(live?.asked ?? settings.targetReturn), text(live?.meanReturn)],
            ["25th percentile (low)", text(lowTarget), text(metrics.latest("achieved_return_low"))],
            ["90th percentile (high)", text(highTarget), text(metrics.latest("achieved_return_high"))],
            ["best recorded course", text(bestRecorded), "-"],
            ["random doses / expert rule", "-", "\(text(references.random)) / \(text(references.expert))"],
            ["normalized_return_high", "-", text(metrics.latest("normalized_return_high"))],
        ]
        return Panel(title: "Asked for and achieved (mean return of 20 patients)",
                     content: .table(TableSpec(headers: ["asked for", "return asked", "achieved"], rows: rows,
                                               alignments: [.left, .right, .right], highlightedRows: [0])))
    }

    // MARK: Checkpoints

    private static func json(_ result: DecisionRolloutResult?) -> JSONValue {
        guard let result else { return .null }
        return .object(["asked": StateCoding.json(result.asked),
                        "returns": .array(result.returns.map(StateCoding.json)),
                        "doses": .array(result.meanDoses.map(StateCoding.json))])
    }

    private func result(from value: JSONValue?, key: String) throws -> DecisionRolloutResult? {
        guard let value, value != .null else { return nil }
        func numbers(_ name: String) throws -> [Double] {
            guard let items = value.object?[name]?.array else {
                throw LabStateError.badMetadata(lab: id, key: key, problem: "\(name) must be a list of numbers")
            }
            return try items.map { try StateCoding.double($0, key: key, lab: id) }
        }
        let asked = try StateCoding.double(value.object?["asked"], key: key, lab: id)
        let returns = try numbers("returns"), doses = try numbers("doses")
        guard returns.count == Self.patients, doses.count == data.steps else {
            throw LabStateError.badMetadata(lab: id, key: key, problem: "must hold \(Self.patients) returns and \(data.steps) doses")
        }
        return DecisionRolloutResult(asked: asked, returns: returns, meanDoses: doses)
    }

    public func snapshot() -> LabState {
        var tensors: [String: Tensor] = [:]
        CheckpointParts.store(model, as: "model", into: &tensors)
        CheckpointParts.store(optimizer, as: "optimizer", into: &tensors)
        var metadata = CheckpointParts.runMetadata(of: self, seed: seed, step: steps, built: Self.parameters(built), metrics: metrics)
        metadata["sampler"] = StateCoding.json(sampler.generator)
        metadata["live"] = Self.json(live)
        metadata["sweep"] = .array(sweep.map(Self.json))
        return LabState(labID: id, tensors: tensors, metadata: metadata)
    }

    public mutating func restore(_ state: LabState) throws {
        try state.expect(lab: id)
        let saved = try CheckpointParts.savedRun(in: state)
        var copy = try CheckpointParts.rebuild(self, from: state, seed: saved.seed)
        try CheckpointParts.load(&copy.model, from: "model", in: state)
        try CheckpointParts.load(&copy.optimizer, from: "optimizer", in: state, for: copy.model)
        copy.sampler = BatchSampler(generator: try StateCoding.generator(from: state.metadata["sampler"], key: "sampler", lab: id))
        copy.steps = saved.step
        copy.metrics = saved.metrics
        copy.live = try result(from: state.metadata["live"], key: "live")
        guard let savedSweep = state.metadata["sweep"]?.array, savedSweep.count == Self.sweepCount else {
            throw LabStateError.badMetadata(lab: id, key: "sweep", problem: "must list \(Self.sweepCount) rollouts")
        }
        copy.sweep = try savedSweep.map { try result(from: $0, key: "sweep") }
        self = copy
    }
}
