import MLEngine

/// A chain of states for the Q-table lesson: start in the middle; move left or right; a small
/// reward waits at the left end and a large one at the right end, farther away. With a low
/// discount the agent settles for the near reward; with a high one it learns to walk right.
/// Each move slips the other way with probability `slip`.
public struct ChainWorld: DecisionEnvironment {
    public var length: Int
    public var slip: Double
    public var leftReward: Double
    public var rightReward: Double
    public var maxSteps: Int
    public private(set) var position = 0
    private var steps = 0
    private var finished = true
    private var rng = SeededGenerator(seed: 0)

    public init(length: Int = 7, slip: Double = 0.1, leftReward: Double = 1, rightReward: Double = 10, maxSteps: Int = 50) {
        precondition(length >= 3, "a chain needs at least 3 states")
        self.length = length
        self.slip = slip
        self.leftReward = leftReward
        self.rightReward = rightReward
        self.maxSteps = maxSteps
    }

    public var stateSize: Int { length }
    /// 0 = left, 1 = right.
    public var actionCount: Int { 2 }
    /// Start state: a third of the way along, nearer the small reward than the large one.
    public var start: Int { (length - 1) / 3 }

    /// One-hot position.
    public var state: [Float] { (0..<length).map { $0 == position ? 1 : 0 } }

    public mutating func reset(seed: UInt64) -> [Float] {
        rng = SeededGenerator(seed: seed)
        position = start
        steps = 0
        finished = false
        return state
    }

    public mutating func step(_ action: Int) throws -> StepResult {
        guard !finished else { throw CardioSimError.invalidParameter("the episode is over; call reset(seed:)") }
        guard action == 0 || action == 1 else { throw CardioSimError.invalidParameter("action must be 0 (left) or 1 (right), got \(action)") }
        var move = action == 0 ? -1 : 1
        if rng.bernoulli(slip) { move = -move }
        position = Swift.min(Swift.max(position + move, 0), length - 1)
        steps += 1
        var reward = 0.0
        if position == 0 { reward = leftReward; finished = true }
        if position == length - 1 { reward = rightReward; finished = true }
        if steps >= maxSteps { finished = true }
        return StepResult(state: state, reward: reward, done: finished)
    }
}
