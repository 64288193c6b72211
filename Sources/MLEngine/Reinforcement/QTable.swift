/// Tabular Q-learning: one number per (state, action), the expected discounted reward of taking
/// that action in that state and acting well afterwards.
///
/// Each experience (state, action, reward, next state) moves one cell toward the Bellman target
///
///     target = reward + discount x (best value in the next state)      (just `reward` at the end)
///
/// by a step size times the temporal-difference error `target - Q(s, a)`. That is one gradient
/// step on the TD loss 0.5 x (Q(s, a) - target)^2 with the target held fixed
/// (`temporalDifferenceLoss` is the same loss for a batch of tensors).
public struct QTable: Sendable, Equatable {
    public let states: Int
    public let actions: Int
    /// Row-major: `values[state * actions + action]`.
    public var values: [Float]
    /// How many updates each cell has had (the 1/visits step size reads it).
    public var visits: [Int]

    /// How far each update moves a cell toward its target.
    public enum StepSize: Sendable, Equatable {
        /// The same fraction every time: recent experience counts most, old targets are forgotten.
        case constant(Float)
        /// k / (k + updates of this cell so far): 1 at the first update, then shrinking toward 0,
        /// so the noise of slips averages out instead of staying at a fixed level. k = 1 is
        /// 1/visits, the plain average of every target the cell has seen, early wrong ones
        /// included; a larger k keeps the rate up for longer, so those early targets (made while
        /// the next state's value was still 0) are forgotten faster.
        case decaying(visitsScale: Float)

        /// 1 / (number of updates of this cell).
        public static var inverseVisits: StepSize { .decaying(visitsScale: 1) }
    }

    public init(states: Int, actions: Int, initial: Float = 0) {
        precondition(states > 0 && actions > 0, "a Q-table needs at least one state and one action")
        self.states = states
        self.actions = actions
        values = Array(repeating: initial, count: states * actions)
        visits = Array(repeating: 0, count: states * actions)
    }

    public subscript(state: Int, action: Int) -> Float {
        get { values[state * actions + action] }
        set { values[state * actions + action] = newValue }
    }

    /// The action with the highest value (the lowest index among ties, so it is deterministic).
    public func greedyAction(_ state: Int) -> Int {
        var best = 0
        for a in 1..<actions where self[state, a] > self[state, best] { best = a }
        return best
    }

    /// max over actions of Q(state, action).
    public func bestValue(_ state: Int) -> Float { self[state, greedyAction(state)] }

    /// Epsilon-greedy: a random action with probability `epsilon` (exploring), else the greedy one.
    public func action(_ state: Int, epsilon: Double, generator: inout SeededGenerator) -> Int {
        generator.bernoulli(epsilon) ? generator.int(below: actions) : greedyAction(state)
    }

    /// reward + discount x (best next value); at a terminal state nothing follows, so just the reward.
    public static func bellmanTarget(reward: Float, nextBest: Float, terminal: Bool, discount: Float) -> Float {
        terminal ? reward : reward + discount * nextBest
    }

    /// One Q-learning update from one experience. `terminal` means the episode truly ended
    /// (a goal reached), not that it was cut off by a step limit: a cut-off state still has a
    /// future, so its target keeps the discounted next value.
    /// - Returns: the temporal-difference error (target - old value).
    @discardableResult
    public mutating func update(state: Int, action: Int, reward: Float, nextState: Int, terminal: Bool,
                                discount: Float, stepSize: StepSize) -> Float {
        let target = Self.bellmanTarget(reward: reward, nextBest: bestValue(nextState), terminal: terminal, discount: discount)
        let cell = state * actions + action
        visits[cell] += 1
        let rate: Float
        switch stepSize {
        case .constant(let r): rate = r
        case .decaying(let k): rate = k / (k + Float(visits[cell] - 1))
        }
        let error = target - values[cell]
        values[cell] += rate * error
        return error
    }
}
