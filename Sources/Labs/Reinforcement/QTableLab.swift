import CardioSim
import Course
import Foundation
import MLEngine
import TextPlot

/// `q-table`: tabular Q-learning on CardioSim's chain world. The agent starts a third of the way
/// along a chain of 7 states; the left end pays 1, the right end (farther) pays 10, and each move
/// slips the other way with probability `slip`. One `step()` plays 50 episodes (an episode is a
/// few moves, microseconds of work, and the screen paces labs by steps), updating one cell of the
/// table toward its Bellman target after every move.
///
/// `max_q_error` is the largest gap between the table and the exact values value iteration
/// finds for the same chain and discount: the lab's claim is that experience alone reaches them.
/// `discount` is live: lower it below about 0.3 and the near, small reward becomes worth more
/// than the far, large one, and the arrows turn left.
///
/// `env` dosing (reset-only) puts the same learner on CardioSim's dosing environment, the task
/// of `ppo` and the Decision Transformer: the patient's drug level and severity go into 18 bins
/// (`DosingStateBins`), the 4 doses are the actions. Episode patients come from their own seeds;
/// after every step the greedy policy treats the reference patients (`DosingReferenceReturns`,
/// measured as `ppo` measures them) and `normalized_return` places its mean return between
/// random doses (0) and the clinician's rule (1). There is no `max_q_error` on dosing: binning
/// hides the exact level and each patient's own rates, so the binned process is not Markov and
/// has no exact values to compare with.
public struct QTableLab: Lab {
    public static let labID = "q-table"
    public static let labTitle = "A Q-table filling in on the chain world"
    public static let panelNames = ["qtable", "policy", "returns", "error"]
    /// Episodes played by one step.
    public static let episodesPerStep = 50
    /// Steps in a run: 100,000 episodes, well under a second of work; the rarely visited cells
    /// (a move toward the small reward from near the large one) need thousands of updates before
    /// the slips' noise averages out below 0.05.
    public static let stepBudget = 2000

    public var id: String { Self.labID }
    public var title: String { Self.labTitle }
    public private(set) var seed: UInt64

    /// The task the table learns.
    enum Environment: String, CaseIterable, Sendable {
        case chain, dosing
    }

    struct Settings: Equatable {
        var environment = Environment.chain
        var discount = 0.9
        var epsilon = 0.5
        /// 0: the decaying rate k / (k + visits).
        var stepSize = 0.0
        var stepDecay = 5.0
        var slip = 0.1
    }
    private var settings = Settings()
    private var built = Settings()

    private var world = ChainWorld()
    private let dosingConfig = DosingConfig()
    /// Random and clinician's returns on the reference patients (dosing only; measured at reset).
    public private(set) var references = DosingReferenceReturns(random: 0, expert: 1)
    public private(set) var table = QTable(states: 7, actions: 2)
    /// Exact Q-values for the current discount and slip (value iteration).
    public private(set) var exact: [Double] = []
    private var exactDiscount = -1.0
    /// Exploration draws (episode dynamics come from their own seeds).
    private var stream: SeededGenerator
    private var steps = 0
    public private(set) var metrics = Metrics()

    public init(seed: UInt64) {
        self.seed = seed
        stream = SeededGenerator(seed: seed)
        reset(seed: seed)
    }

    // MARK: Hyperparameters

    public var parameters: [Hyperparameter] { Self.parameters(settings) }

    public static var defaultParameters: [Hyperparameter] { parameters(Settings()) }

    static func parameters(_ s: Settings) -> [Hyperparameter] {
        [
            .linear("discount", s.discount, in: 0...0.99, step: 0.01,
                    help: "how much a reward one step later is worth now; 0.99^100 = 0.37"),
            .linear("epsilon", s.epsilon, in: 0...1, step: 0.05,
                    help: "chance of a random move instead of the best one (exploration)"),
            .linear("step_size", s.stepSize, in: 0...1, step: 0.05,
                    help: "a constant rate: how far each update moves a cell toward its target; 0: the decaying rate below"),
            .logScale("step_decay", s.stepDecay, in: 1...1000, factor: 2, integer: true,
                      help: "k in the decaying rate k / (k + visits); k = 1 is 1/visits, the plain average of every target"),
            .linear("slip", s.slip, in: 0...0.45, step: 0.05, effect: .reset,
                    help: "chance that a move goes the other way (chain)"),
            .choice("env", s.environment.rawValue, among: Environment.allCases.map(\.rawValue),
                    help: "chain: 7 states, exact values to compare with; dosing: ppo's patients, level and severity in 18 bins"),
        ]
    }

    public mutating func set(_ name: String, to value: HyperValue) throws {
        let checked = try parameters.checked(name, value, lab: id)
        switch name {
        case "discount": settings.discount = checked.number ?? settings.discount
        case "epsilon": settings.epsilon = checked.number ?? settings.epsilon
        case "step_size": settings.stepSize = checked.number ?? settings.stepSize
        case "step_decay": settings.stepDecay = checked.number ?? settings.stepDecay
        case "env": settings.environment = checked.choice.flatMap(Environment.init(rawValue:)) ?? settings.environment
        default: settings.slip = checked.number ?? settings.slip
        }
    }

    // MARK: Training

    public mutating func reset(seed: UInt64) {
        self.seed = seed
        built = settings
        world = ChainWorld(slip: settings.slip)
        stream = SeededGenerator(seed: SeedMixing.derive(seed, 2, 0))
        steps = 0
        exactDiscount = -1
        exact = []
        switch settings.environment {
        case .chain:
            table = QTable(states: world.length, actions: world.actionCount)
            refreshExactValues()
            metrics = Metrics(series: ["episode_return", "max_q_error"].map { .init(name: $0) })
        case .dosing:
            table = QTable(states: DosingStateBins.count, actions: dosingConfig.doses.count)
            references = (try? DosingReferenceReturns.measure(config: dosingConfig, episodes: PPOLab.referenceEpisodes, seed: seed))
                ?? DosingReferenceReturns(random: 0, expert: 1)
            metrics = Metrics(series: ["episode_return", "greedy_return", "normalized_return"].map { .init(name: $0) })
            metrics.set("random_return", references.random)
            metrics.set("expert_return", references.expert)
        }
    }

    private var onDosing: Bool { built.environment == .dosing }

    /// Value iteration again when the discount has moved (it is live). The chain only.
    private mutating func refreshExactValues() {
        guard !onDosing, exactDiscount != settings.discount else { return }
        exact = ChainWorldProcess.make(world).valueIteration(discount: settings.discount)
        exactDiscount = settings.discount
    }

    public mutating func step() throws -> StepReport {
        refreshExactValues()
        var total = 0.0
        for episode in 0..<Self.episodesPerStep {
            let number = steps * Self.episodesPerStep + episode
            total += try onDosing ? playDosingEpisode(number: number) : playEpisode(number: number)
        }
        steps += 1
        metrics.append(total / Double(Self.episodesPerStep), to: "episode_return")
        let loss: Double
        if onDosing {
            let greedy = try greedyDosingReturn()
            metrics.append(greedy, to: "greedy_return")
            metrics.append(references.normalized(greedy), to: "normalized_return")
            loss = -greedy
        } else {
            metrics.append(maxQError, to: "max_q_error")
            loss = maxQError
        }
        let done = steps == Self.stepBudget
        return StepReport(loss: loss, finished: done,
                          note: done ? "q-table: the budget of \(Self.stepBudget) steps (\(Self.stepBudget * Self.episodesPerStep) episodes) is spent" : nil)
    }

    /// Plays one episode epsilon-greedily, updating the table after every move; returns its total reward.
    private mutating func playEpisode(number: Int) throws -> Double {
        let stepSize: QTable.StepSize = settings.stepSize > 0 ? .constant(Float(settings.stepSize)) : .decaying(visitsScale: Float(settings.stepDecay))
        _ = world.reset(seed: SeedMixing.derive(seed, 1, UInt64(number)))
        var state = world.position
        var total = 0.0
        while true {
            let action = table.action(state, epsilon: settings.epsilon, generator: &stream)
            let result = try world.step(action)
            let next = world.position
            // Only the two ends finish the task; the step limit merely cuts the episode off.
            let reachedEnd = next == 0 || next == world.length - 1
            table.update(state: state, action: action, reward: Float(result.reward), nextState: next, terminal: reachedEnd,
                         discount: Float(settings.discount), stepSize: stepSize)
            total += result.reward
            state = next
            if result.done { return total }
        }
    }

    /// One patient's course, dosed epsilon-greedily from the binned table, updating it after
    /// every dose; returns the course's total reward. The last dose is the end of the task.
    private mutating func playDosingEpisode(number: Int) throws -> Double {
        let stepSize: QTable.StepSize = settings.stepSize > 0 ? .constant(Float(settings.stepSize)) : .decaying(visitsScale: Float(settings.stepDecay))
        var patient = DosingEnvironment(config: dosingConfig)
        _ = patient.reset(seed: SeedMixing.derive(seed, 1, UInt64(number)))
        var state = DosingStateBins.index(patient)
        var total = 0.0
        while true {
            let action = table.action(state, epsilon: settings.epsilon, generator: &stream)
            let result = try patient.step(action)
            let next = DosingStateBins.index(patient)
            table.update(state: state, action: action, reward: Float(result.reward), nextState: next, terminal: result.done,
                         discount: Float(settings.discount), stepSize: stepSize)
            total += result.reward
            state = next
            if result.done { return total }
        }
    }

    /// The greedy policy's mean return on the patients the references were measured on.
    func greedyDosingReturn() throws -> Double {
        var total = 0.0
        for index in 0..<PPOLab.referenceEpisodes {
            var patient = DosingEnvironment(config: dosingConfig)
            _ = patient.reset(seed: DosingReferenceReturns.patientSeed(seed, episode: index))
            var done = false
            while !done {
                let result = try patient.step(table.greedyAction(DosingStateBins.index(patient)))
                total += result.reward
                done = result.done
            }
        }
        return total / Double(PPOLab.referenceEpisodes)
    }

    /// The latest `normalized_return` (dosing), nil before the first step or on the chain.
    public var normalizedReturn: Double? { metrics.values("normalized_return").last }

    /// The largest |learned - exact| over the cells where the agent can act (the two ends have no moves).
    public var maxQError: Double {
        guard !onDosing else { return .nan }
        var worst = 0.0
        for s in 1..<(world.length - 1) {
            for a in 0..<2 { worst = Swift.max(worst, Swift.abs(Double(table[s, a]) - exact[s * 2 + a])) }
        }
        return worst
    }

    public var isFinite: Bool { table.values.allSatisfy(\.isFinite) }

    public var completion: CompletionCondition? {
        if onDosing {
            return CompletionCondition(metric: "normalized_return", .atLeast, 0.9, description: "the greedy doses are within 10% of the clinician's rule")
        }
        return CompletionCondition(metric: "max_q_error", .atMost, 0.05, description: "the table is within 0.05 of the exact values")
    }

    // MARK: Panels

    public var panelIDs: [String] { Self.panelNames }

    public func panel(_ id: String) -> Panel? {
        if onDosing { return dosingPanel(id) }
        let view = QTablePanels(table: table, exact: exact, world: world, discount: settings.discount)
        switch id {
        case "qtable": return view.valuesPanel()
        case "policy": return view.policyPanel()
        case "returns":
            return MetricChart.panel(title: "Reward per episode (mean of each step's 50)", metrics: metrics, series: ["episode_return"],
                                     labels: ["return"], smoothing: 0.98)
        case "error":
            return MetricChart.panel(title: "Largest error vs value iteration (max_q_error)", metrics: metrics,
                                     series: ["max_q_error"], labels: ["max_q_error"],
                                     target: TargetLine(0.05, label: "0.05"), yScale: .logarithmic, finiteOnly: true)
        default: return nil
        }
    }

    /// The same four panel ids on dosing; "error" becomes the greedy policy's normalized return,
    /// the measure of distance from the goal that dosing has instead of exact values.
    private func dosingPanel(_ id: String) -> Panel? {
        let view = DosingTablePanels(table: table, config: dosingConfig, discount: settings.discount)
        switch id {
        case "qtable": return view.valuesPanel()
        case "policy": return view.policyPanel()
        case "returns":
            return MetricChart.panel(title: "Reward per episode (mean of each step's 50), expert and random", metrics: metrics,
                                     series: ["episode_return", "greedy_return"], labels: ["return (exploring)", "greedy"],
                                     references: [("expert", references.expert), ("random", references.random)], smoothing: 0.98)
        case "error":
            return MetricChart.panel(title: "Greedy policy's normalized return (normalized_return)", metrics: metrics,
                                     series: ["normalized_return"], labels: ["normalized_return"],
                                     target: TargetLine(0.9, label: "0.9"), finiteOnly: true)
        default: return nil
        }
    }

    // MARK: Checkpoints

    public func snapshot() -> LabState {
        let shape = [table.states, table.actions]
        let tensors: [String: Tensor] = [
            "q.values": Tensor(shape: shape, scalars: table.values),
            "q.visits": Tensor(shape: shape, scalars: table.visits.map(Float.init)),
        ]
        var metadata = CheckpointParts.runMetadata(of: self, seed: seed, step: steps, built: Self.parameters(built), metrics: metrics)
        metadata["stream"] = StateCoding.json(stream)
        return LabState(labID: id, tensors: tensors, metadata: metadata)
    }

    public mutating func restore(_ state: LabState) throws {
        try state.expect(lab: id)
        let saved = try CheckpointParts.savedRun(in: state)
        let savedStream = try StateCoding.generator(from: state.metadata["stream"], key: "stream", lab: id)
        var copy = try CheckpointParts.rebuild(self, from: state, seed: saved.seed)
        let shape = [copy.table.states, copy.table.actions]
        for name in ["q.values", "q.visits"] {
            guard let t = state.tensors[name] else { throw LabStateError.missingTensor(lab: id, name: name) }
            guard t.shape == shape else { throw LabStateError.wrongShape(lab: id, name: name, expected: shape, found: t.shape) }
        }
        copy.table.values = state.tensors["q.values"]!.copyScalars()
        let visits = state.tensors["q.visits"]!.copyScalars()
        guard visits.allSatisfy({ $0 >= 0 && $0 < 16_777_216 && $0 == $0.rounded() }) else {
            throw LabStateError.badMetadata(lab: id, key: "q.visits", problem: "visit counts must be whole numbers from 0")
        }
        copy.table.visits = visits.map { Int($0) }
        copy.stream = savedStream
        copy.steps = saved.step
        copy.metrics = saved.metrics
        copy.refreshExactValues()
        self = copy
    }
}
