/// The two ends a dosing policy is scored between: the mean return of choosing doses at random
/// and of the clinician's rule with its noise off, each over the same seeded patients.
///
/// `normalized_return` (PPO, the Decision Transformer) is 0 for a policy no better than chance
/// and 1 for one as good as the expert, so labs with different reward scales read alike.
public struct DosingReferenceReturns: Sendable, Equatable {
    public let random: Double
    public let expert: Double

    public init(random: Double, expert: Double) {
        self.random = random
        self.expert = expert
    }

    /// Plays `episodes` patients with each policy; patient `i` has the seed
    /// `SeedMixing.derive(seed, 7, i)` for both, so the two face the same patients.
    public static func measure(config: DosingConfig, episodes: Int, seed: UInt64) throws -> DosingReferenceReturns {
        guard episodes > 0 else { throw CardioSimError.invalidParameter("episodes must be positive, got \(episodes)") }
        var randomTotal = 0.0, expertTotal = 0.0
        for index in 0..<episodes {
            let patient = patientSeed(seed, episode: index)
            randomTotal += try TrajectoryRecorder.episode("random", config: config, expertNoise: 0, seed: patient).totalReturn
            expertTotal += try TrajectoryRecorder.episode("expert", config: config, expertNoise: 0, seed: patient).totalReturn
        }
        return DosingReferenceReturns(random: randomTotal / Double(episodes), expert: expertTotal / Double(episodes))
    }

    /// (meanReturn - random) / (expert - random).
    public func normalized(_ meanReturn: Double) -> Double {
        (meanReturn - random) / (expert - random)
    }

    /// The patient seed `measure` gives episode `index`: a policy scored on these faces the
    /// same patients as the two references.
    public static func patientSeed(_ seed: UInt64, episode index: Int) -> UInt64 {
        SeedMixing.derive(seed, 7, UInt64(index))
    }
}
