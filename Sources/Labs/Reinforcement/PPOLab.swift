import CardioSim
import Course
import Foundation
import MLEngine
import TextPlot

/// `ppo`: a policy network learns to dose CardioSim's patients, by PPO or by REINFORCE with a
/// baseline (`method`), from the same number of environment steps.
///
/// One `step()` is one update: a rollout of `episodesPerUpdate` patients treated side by side
/// (ten decisions each, so `episodesPerUpdate` x 10 environment steps), then the update: one
/// gradient step for REINFORCE, `epochs` x `minibatches` steps on the clipped surrogate for PPO.
/// Patient `k` of the run has the seed `DosingReferenceReturns.patientSeed(seed, episode: k)`,
/// the same patients the random and expert references are measured on.
///
/// Metrics: `mean_return` (the last 20 episodes' mean return), `normalized_return` (0 = random
/// doses, 1 = the clinician's rule), `approx_kl` and `clip_fraction` of the last update.
public struct PPOLab: Lab {
    public static let labID = "ppo"
    public static let labTitle = "PPO learning to dose (REINFORCE beside it)"
    public static let panelNames = ["returns", "policy", "kl", "value"]
    /// Patients treated per rollout (each one episode).
    public static let episodesPerUpdate = 32
    /// Updates in a run: 40 x 320 = 12,800 environment steps. PPO reaches the clinician's rule
    /// well within it; REINFORCE, one gradient step per rollout, is still on its way.
    public static let stepBudget = 40
    /// Episodes in `mean_return`.
    public static let window = 20
    /// Patients the two references are measured on.
    public static let referenceEpisodes = 500
    static let hidden = 32

    public var id: String { Self.labID }
    public var title: String { Self.labTitle }
    public private(set) var seed: UInt64

    struct Settings: Equatable {
        var method = PolicyGradientMethod.ppo
        var clip = 0.2
        var lr = 0.003
        var entropy = 0.01
    }
    private var settings = Settings()
    private var built = Settings()

    private let environmentConfig = DosingConfig()
    public private(set) var references = DosingReferenceReturns(random: 0, expert: 1)
    private var model: ActorCritic
    private var optimizer = Adam(learningRate: 0.003)
    /// Action draws and minibatch shuffles.
    private var stream: SeededGenerator
    private var steps = 0
    public private(set) var metrics = Metrics()

    public init(seed: UInt64) {
        self.seed = seed
        var generator = SeededGenerator(seed: seed)
        model = ActorCritic(stateSize: 3, actions: 4, hidden: Self.hidden, generator: &generator)
        stream = generator
        reset(seed: seed)
    }

    // MARK: Hyperparameters

    public var parameters: [Hyperparameter] { Self.parameters(settings) }
    public static var defaultParameters: [Hyperparameter] { parameters(Settings()) }

    static func parameters(_ s: Settings) -> [Hyperparameter] {
        [
            .choice("method", s.method.rawValue, among: PolicyGradientMethod.allCases.map(\.rawValue),
                    help: "reinforce: one gradient step per rollout; ppo: several clipped minibatch epochs on it"),
            .linear("clip", s.clip, in: 0.05...1, step: 0.05,
                    help: "PPO's clip range: how far pi_new / pi_old may leave 1 before a sample stops pushing"),
            .logScale("lr", s.lr, in: 0.0001...0.1, factor: 2, help: "Adam learning rate"),
            .linear("entropy_coef", s.entropy, in: 0...0.2, step: 0.005,
                    help: "weight of the entropy bonus, which keeps the policy from settling on one dose too early"),
        ]
    }

    public mutating func set(_ name: String, to value: HyperValue) throws {
        let checked = try parameters.checked(name, value, lab: id)
        switch name {
        case "method": settings.method = checked.choice.flatMap(PolicyGradientMethod.init(rawValue:)) ?? settings.method
        case "clip": settings.clip = checked.number ?? settings.clip
        case "lr":
            settings.lr = checked.number ?? settings.lr
            optimizer.learningRate = Float(settings.lr)
        default: settings.entropy = checked.number ?? settings.entropy
        }
    }

    var updateSettings: PolicyGradientSettings {
        var s = PolicyGradientSettings()
        s.method = settings.method
        s.clip = Float(settings.clip)
        s.entropyCoefficient = Float(settings.entropy)
        return s
    }

    // MARK: Training

    public mutating func reset(seed: UInt64) {
        self.seed = seed
        built = settings
        var generator = SeededGenerator(seed: seed)
        model = ActorCritic(stateSize: 3, actions: environmentConfig.doses.count, hidden: Self.hidden, generator: &generator)
        optimizer = Adam(learningRate: Float(settings.lr))
        stream = SeededGenerator(seed: SeedMixing.derive(seed, 3, 0))
        steps = 0
        references = (try? DosingReferenceReturns.measure(config: environmentConfig, episodes: Self.referenceEpisodes, seed: seed))
            ?? DosingReferenceReturns(random: 0, expert: 1)
        metrics = Metrics(series: ["episode_return", "update_return", "mean_return", "normalized_return", "approx_kl",
                                   "clip_fraction", "value_loss", "entropy"].map { .init(name: $0) })
        metrics.set("random_return", references.random)
        metrics.set("expert_return", references.expert)
    }

    public mutating func step() throws -> StepReport {
        let rollout = try collect()
        let report = try PolicyGradient.update(model: &model, optimizer: &optimizer, rollout: rollout,
                                               settings: updateSettings, generator: &stream)
        steps += 1
        let episodes = metrics.values("episode_return")
        let recent = episodes.suffix(Self.window)
        let mean = recent.reduce(0, +) / Double(Swift.max(recent.count, 1))
        metrics.append(mean, to: "mean_return")
        metrics.append(references.normalized(mean), to: "normalized_return")
        metrics.append(report.approxKL, to: "approx_kl")
        metrics.append(report.clipFraction, to: "clip_fraction")
        metrics.append(report.valueLoss, to: "value_loss")
        metrics.append(report.entropy, to: "entropy")
        let done = steps == Self.stepBudget
        return StepReport(loss: report.policyLoss, finished: done,
                          note: done ? "ppo: the budget of \(Self.stepBudget) updates (\(environmentSteps) environment steps) is spent" : nil)
    }

    /// Environment steps taken so far.
    public var environmentSteps: Int { steps * Self.episodesPerUpdate * environmentConfig.steps }

    /// Treats `episodesPerUpdate` new patients side by side with the current policy; records each
    /// one's return. Each patient's steps are consecutive in the rollout.
    private mutating func collect() throws -> PolicyRollout {
        let count = Self.episodesPerUpdate
        var envs = (0..<count).map { _ in DosingEnvironment(config: environmentConfig) }
        var states: [[Float]] = []
        for (i, index) in envs.indices.enumerated() {
            let patient = DosingReferenceReturns.patientSeed(seed, episode: steps * count + i)
            states.append(envs[index].reset(seed: patient))
        }
        var perEnv = (0..<count).map { _ in PolicyRollout(stateSize: 3) }
        for _ in 0..<environmentConfig.steps {
            let acted = model.act(states: states.flatMap { $0 }, count: count, generator: &stream)
            for i in 0..<count {
                let result = try envs[i].step(acted.actions[i])
                perEnv[i].append(state: states[i], action: acted.actions[i], reward: result.reward, done: result.done,
                                 logProbability: acted.logProbabilities[i], value: acted.values[i])
                states[i] = result.state
            }
        }
        var rollout = PolicyRollout(stateSize: 3)
        var total = 0.0
        for part in perEnv {
            rollout.states += part.states; rollout.actions += part.actions; rollout.rewards += part.rewards
            rollout.dones += part.dones; rollout.logProbabilities += part.logProbabilities; rollout.values += part.values
            let episodeReturn = part.rewards.reduce(0, +)
            metrics.append(episodeReturn, to: "episode_return")
            total += episodeReturn
        }
        metrics.append(total / Double(count), to: "update_return")
        return rollout
    }

    public var meanReturn: Double { metrics.values("mean_return").last ?? .nan }
    public var normalizedReturn: Double { metrics.values("normalized_return").last ?? .nan }

    public var isFinite: Bool { model.parameters.allSatisfy { $0.value.copyScalars().allSatisfy(\.isFinite) } }

    public var completion: CompletionCondition? {
        CompletionCondition(metric: "normalized_return", .atLeast, 0.9, description: "doses within 10% of the clinician's rule")
    }

    // MARK: Panels

    public var panelIDs: [String] { Self.panelNames }

    /// Drug levels (mg/L) the policy map shows, one row each.
    static let shownLevels: [Double] = [0, 1, 2, 3, 4, 5, 6, 7]

    public func panel(_ id: String) -> Panel? {
        switch id {
        case "returns":
            let name = settings.method == .ppo ? "PPO" : "REINFORCE"
            return MetricChart.panel(title: "Return per update (\(name)), moving average, expert and random",
                                     metrics: metrics, series: ["update_return", "mean_return"], labels: ["return", "mean of last 20"],
                                     references: [("expert", references.expert), ("random", references.random)])
        case "policy": return policyPanel()
        case "kl":
            let kl = MetricChart.panel(title: "approx_kl", metrics: metrics, series: ["approx_kl"], finiteOnly: true)
            let clip = MetricChart.panel(title: "clip_fraction", metrics: metrics, series: ["clip_fraction"], yRange: 0...1,
                                         finiteOnly: true)
            return Panel(title: "Approximate KL and clip fraction per update",
                         content: .split([PanelPart(kl.content, weight: 1), PanelPart(clip.content, weight: 1)], direction: .rows))
        case "value":
            return MetricChart.panel(title: "Value loss (critic's squared error)", metrics: metrics, series: ["value_loss"],
                                     yScale: .logarithmic, finiteOnly: true)
        default: return nil
        }
    }

    /// The policy's dose probabilities for a mid-course patient with severity 0.6, one row per
    /// drug level.
    func policyPanel() -> Panel {
        let states = Self.shownLevels.flatMap { [Float($0 / 10), 0.6, 0.5] }
        let probabilities = model.probabilities(states: states, count: Self.shownLevels.count).map(Double.init)
        let map = HeatmapSpec(rows: Self.shownLevels.count, columns: environmentConfig.doses.count, values: probabilities,
                              palette: .sequential, range: 0...1,
                              rowLabels: Self.shownLevels.map { "level \(Int($0))" },
                              columnLabels: environmentConfig.doses.map { "dose \(NumberText.format($0))" },
                              showValues: true, showColorBar: false)
        return Panel(title: "Policy: dose probabilities by drug level (severity 0.6, mid-course)", content: .heatmap(map))
    }

    // MARK: Checkpoints

    public func snapshot() -> LabState {
        var tensors: [String: Tensor] = [:]
        CheckpointParts.store(model, as: "model", into: &tensors)
        CheckpointParts.store(optimizer, as: "optimizer", into: &tensors)
        var metadata = CheckpointParts.runMetadata(of: self, seed: seed, step: steps, built: Self.parameters(built), metrics: metrics)
        metadata["stream"] = StateCoding.json(stream)
        return LabState(labID: id, tensors: tensors, metadata: metadata)
    }

    public mutating func restore(_ state: LabState) throws {
        try state.expect(lab: id)
        let saved = try CheckpointParts.savedRun(in: state)
        var copy = try CheckpointParts.rebuild(self, from: state, seed: saved.seed)
        try CheckpointParts.load(&copy.model, from: "model", in: state)
        try CheckpointParts.load(&copy.optimizer, from: "optimizer", in: state, for: copy.model)
        copy.steps = saved.step
        copy.stream = try StateCoding.generator(from: state.metadata["stream"], key: "stream", lab: id)
        copy.metrics = saved.metrics
        self = copy
    }
}
