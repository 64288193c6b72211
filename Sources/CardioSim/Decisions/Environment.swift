/// What an environment returns after an action.
public struct StepResult: Sendable, Equatable {
    public var state: [Float]
    public var reward: Double
    public var done: Bool
}

/// A seeded decision problem: reset with a seed, then step with discrete actions.
public protocol DecisionEnvironment: Sendable {
    /// Length of the state vector.
    var stateSize: Int { get }
    /// Actions are 0..<actionCount.
    var actionCount: Int { get }
    /// Starts an episode; everything random in it comes from `seed`.
    mutating func reset(seed: UInt64) -> [Float]
    /// Applies an action. Throws on an action out of range or a step after the episode ended.
    mutating func step(_ action: Int) throws -> StepResult
}
