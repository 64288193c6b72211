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
public struct DosingTrajectoryConfig: Codable, Sendable, Equatable {
    public var expertEpisodes: Int
    public var randomEpisodes: Int
    /// The expert deviates to a random dose with this probability, so the data are not perfect.
    public var expertNoise: Double
    public var environment: DosingConfig

    public init(expertEpisodes: Int = 200, randomEpisodes: Int = 200, expertNoise: Double = 0.1,
                environment: DosingConfig = DosingConfig()) {
        self.expertEpisodes = expertEpisodes
        self.randomEpisodes = randomEpisodes
        self.expertNoise = expertNoise
        self.environment = environment
    }
}

public enum TrajectoryRecorder {
    /// Plays one episode with `policy` ("expert" or "random").
    public static func episode(_ policy: String, config: DosingConfig, expertNoise: Double, seed: UInt64) throws -> Trajectory {
        var env = DosingEnvironment(config: config)
        var choose = SeededGenerator(seed: SeedMixing.derive(seed, 99, 0))
        var state = env.reset(seed: seed)
        var trajectory = Trajectory(policy: policy, states: [], actions: [], rewards: [])
        while true {
            let useExpert = policy == "expert" && !choose.bernoulli(expertNoise)
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
        let expert = try (0..<config.expertEpisodes).map {
            try episode("expert", config: config.environment, expertNoise: config.expertNoise, seed: SeedMixing.derive(seed, 1, UInt64($0)))
        }
        let random = try (0..<config.randomEpisodes).map {
            try episode("random", config: config.environment, expertNoise: 0, seed: SeedMixing.derive(seed, 2, UInt64($0)))
        }
        return expert + random
    }
}
