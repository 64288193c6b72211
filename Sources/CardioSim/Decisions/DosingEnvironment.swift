import Foundation
import MLEngine

/// Settings of the dosing problem.
public struct DosingConfig: Codable, Sendable, Equatable {
    /// Dose given by each action, mg/L of plasma level added.
    public var doses: [Double]
    /// Decisions per episode.
    public var steps: Int
    /// Mean first-order elimination rate per step (level *= exp(-k)); each patient differs.
    public var eliminationRate: Double
    /// The level range where symptoms improve.
    public var therapeuticWindow: [Double]
    /// Above this level the drug is toxic.
    public var toxicLevel: Double
    /// Severity below this at the end counts as recovered.
    public var recoveryThreshold: Double
    public var recoveryReward: Double
    /// Per-step penalty per unit of level above `toxicLevel`.
    public var toxicityPenalty: Double
    /// Per-step cost per unit of dose.
    public var doseCost: Double

    public init(doses: [Double] = [0, 1, 2, 4], steps: Int = 10, eliminationRate: Double = 0.35,
                therapeuticWindow: [Double] = [2, 5], toxicLevel: Double = 6, recoveryThreshold: Double = 0.3,
                recoveryReward: Double = 10, toxicityPenalty: Double = 1, doseCost: Double = 0.05) {
        self.doses = doses
        self.steps = steps
        self.eliminationRate = eliminationRate
        self.therapeuticWindow = therapeuticWindow
        self.toxicLevel = toxicLevel
        self.recoveryThreshold = recoveryThreshold
        self.recoveryReward = recoveryReward
        self.toxicityPenalty = toxicityPenalty
        self.doseCost = doseCost
    }
}

/// A course of treatment: each step the clinician picks a dose; the drug level decays by
/// first-order elimination; symptoms improve while the level is in the therapeutic window, worsen
/// slowly below it, and the patient suffers (penalty, and worse symptoms) above the toxic level.
/// The big reward comes at the end: recovered or not.
///
/// State: [drug level / 10, severity (0...1), fraction of the course done].
public struct DosingEnvironment: DecisionEnvironment {
    public var config: DosingConfig
    public private(set) var level = 0.0
    public private(set) var severity = 1.0
    public private(set) var stepIndex = 0
    /// This patient's elimination rate and response (drawn at reset).
    public private(set) var elimination = 0.35
    public private(set) var response = 0.15
    private var rng = SeededGenerator(seed: 0)
    private var finished = true

    public init(config: DosingConfig = DosingConfig()) { self.config = config }

    public var stateSize: Int { 3 }
    public var actionCount: Int { config.doses.count }

    public var state: [Float] { [Float(level / 10), Float(severity), Float(Double(stepIndex) / Double(config.steps))] }

    public mutating func reset(seed: UInt64) -> [Float] {
        rng = SeededGenerator(seed: seed)
        elimination = config.eliminationRate * rng.uniform(0.7, 1.3)
        response = rng.uniform(0.12, 0.2)
        level = 0
        severity = rng.uniform(0.8, 1.0)
        stepIndex = 0
        finished = false
        return state
    }

    public mutating func step(_ action: Int) throws -> StepResult {
        guard !finished else { throw CardioSimError.invalidParameter("the episode is over; call reset(seed:)") }
        guard config.doses.indices.contains(action) else {
            throw CardioSimError.invalidParameter("action \(action) out of range 0..<\(actionCount)")
        }
        let dose = config.doses[action]
        level = level * Foundation.exp(-elimination) + dose * rng.uniform(0.85, 1.15)
        var reward = -config.doseCost * dose
        let window = config.therapeuticWindow
        if level > config.toxicLevel {
            reward -= config.toxicityPenalty * (level - config.toxicLevel)
            severity += 0.05
        } else if level >= window[0] && level <= window[1] {
            severity -= response
        } else {
            severity += 0.02
        }
        severity = Swift.min(Swift.max(severity + rng.normal(mean: 0, std: 0.01), 0), 1)
        stepIndex += 1
        if stepIndex >= config.steps {
            finished = true
            if severity < config.recoveryThreshold { reward += config.recoveryReward }
        }
        return StepResult(state: state, reward: reward, done: finished)
    }

    /// A clinician's rule: dose so that the expected level after elimination lands closest to
    /// the middle of the therapeutic window (using the population's mean elimination rate).
    public func expertAction() -> Int { Self.expertAction(level: level, config: config) }

    /// The clinician's rule for a patient at `level` (mg/L): it reads nothing else.
    public static func expertAction(level: Double, config: DosingConfig) -> Int {
        let target = (config.therapeuticWindow[0] + config.therapeuticWindow[1]) / 2
        let remaining = level * Foundation.exp(-config.eliminationRate)
        return config.doses.indices.min { abs(remaining + config.doses[$0] - target) < abs(remaining + config.doses[$1] - target) }!
    }
}
