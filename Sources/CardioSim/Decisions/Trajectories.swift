import MLEngine

/// One recorded episode.
public struct Trajectory: Sendable, Equatable {
    public var policy: String
    public var states: [[Float]]
    public var actions: [Int]
    public var rewards: [Double]
    public var returnsToGo: [Double] {
        var total = 0.0
        return rewards.reversed().map { total += $0; return total }.reversed()
    }
    public var totalReturn: Double { rewards.reduce(0, +) }
}

/// Settings of the recorded dosing trajectories (Decision Transformer data).
///
/// Three kinds of course are recorded: the clinician's rule with a little noise (`expert`), the
/// same rule followed less faithfully (`noisy-expert`, once per level of `noiseLevels`), and
/// doses drawn at random (`random`). The noisy experts fill the returns between the two ends,
/// so a model conditioned on a return has seen courses that earned it.
public struct DosingTrajectoryConfig: Codable, Sendable, Equatable {
    public var expertEpisodes: Int
    public var randomEpisodes: Int
    /// The expert deviates to a random dose with this probability, so the data are not perfect.
    public var expertNoise: Double
    /// Courses recorded at each level of `noiseLevels`.
    public var noisyExpertEpisodes: Int
    /// Probabilities of a random dose instead of the rule's, one batch of courses per level.
    public var noiseLevels: [Double]
    public var environment: DosingConfig

    public init(expertEpisodes: Int = 200, randomEpisodes: Int = 200, expertNoise: Double = 0.1,
                noisyExpertEpisodes: Int = 100, noiseLevels: [Double] = [0.25, 0.5, 0.75],
                environment: DosingConfig = DosingConfig()) {
        self.expertEpisodes = expertEpisodes
        self.randomEpisodes = randomEpisodes
        self.expertNoise = expertNoise
        self.noisyExpertEpisodes = noisyExpertEpisodes
        self.noiseLevels = noiseLevels
        self.environment = environment
    }

    enum CodingKeys: String, CodingKey {
        case expertEpisodes, randomEpisodes, expertNoise, noisyExpertEpisodes, noiseLevels, environment
    }

    /// Recipes written before the noisy experts existed decode with none.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        expertEpisodes = try c.decode(Int.self, forKey: .expertEpisodes)
        randomEpisodes = try c.decode(Int.self, forKey: .randomEpisodes)
        expertNoise = try c.decode(Double.self, forKey: .expertNoise)
        noisyExpertEpisodes = try c.decodeIfPresent(Int.self, forKey: .noisyExpertEpisodes) ?? 0
        noiseLevels = try c.decodeIfPresent([Double].self, forKey: .noiseLevels) ?? []
        environment = try c.decode(DosingConfig.self, forKey: .environment)
    }
}

public enum TrajectoryRecorder {
    /// Plays one episode with `policy`: "random" draws every dose at random; any other name
    /// ("expert", "noisy-expert") follows the clinician's rule except, with probability
    /// `expertNoise`, for a random dose.
    public static func episode(_ policy: String, config: DosingConfig, expertNoise: Double, seed: UInt64) throws -> Trajectory {
        var env = DosingEnvironment(config: config)
        var choose = SeededGenerator(seed: SeedMixing.derive(seed, 99, 0))
        var state = env.reset(seed: seed)
        var trajectory = Trajectory(policy: policy, states: [], actions: [], rewards: [])
        while true {
            let useExpert = policy != "random" && !choose.bernoulli(expertNoise)
            let action = useExpert ? env.expertAction() : choose.int(below: env.actionCount)
            let result = try env.step(action)
            trajectory.states.append(state)
            trajectory.actions.append(action)
            trajectory.rewards.append(result.reward)
            state = result.state
            if result.done { return trajectory }
        }
    }

    public static func record(_ config: DosingTrajectoryConfig, seed: UInt64) throws -> [Trajectory] {
        if let bad = (config.noiseLevels + [config.expertNoise]).first(where: { !(0...1).contains($0) }) {
            throw CardioSimError.invalidParameter("a noise level is a probability from 0 to 1, got \(bad)")
        }
        guard config.expertEpisodes >= 0, config.randomEpisodes >= 0, config.noisyExpertEpisodes >= 0 else {
            throw CardioSimError.invalidParameter("episode counts cannot be negative")
        }
        let expert = try (0..<config.expertEpisodes).map {
            try episode("expert", config: config.environment, expertNoise: config.expertNoise, seed: SeedMixing.derive(seed, 1, UInt64($0)))
        }
        let random = try (0..<config.randomEpisodes).map {
            try episode("random", config: config.environment, expertNoise: 0, seed: SeedMixing.derive(seed, 2, UInt64($0)))
        }
        var noisy: [Trajectory] = []
        for (level, noise) in config.noiseLevels.enumerated() {
            for index in 0..<config.noisyExpertEpisodes {
                noisy.append(try episode("noisy-expert", config: config.environment, expertNoise: noise,
                                         seed: SeedMixing.derive(seed, 3 + UInt64(level), UInt64(index))))
            }
        }
        return expert + random + noisy
    }
}
