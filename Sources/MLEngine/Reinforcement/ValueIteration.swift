/// The exact Q-values of a small decision process whose rules are known, for checking what
/// Q-learning learns from experience alone.
///
/// Value iteration applies the Bellman equation to every cell at once, using the true
/// probabilities of every outcome instead of one sampled outcome:
///
///     Q(s, a) = sum over outcomes of p x (reward + discount x max_a' Q(next, a'))
///
/// and repeats until nothing changes. Each sweep shrinks the remaining error by at least the
/// discount, so with a discount below 1 it always converges.
public struct TabularProcess: Sendable, Equatable {
    /// One possible result of taking an action.
    public struct Outcome: Sendable, Equatable {
        public var probability: Double
        public var next: Int
        public var reward: Double
        /// The episode ends here: nothing more to collect.
        public var terminal: Bool
        public init(probability: Double, next: Int, reward: Double, terminal: Bool) {
            self.probability = probability; self.next = next; self.reward = reward; self.terminal = terminal
        }
    }

    public let states: Int
    public let actions: Int
    /// `outcomes[state * actions + action]`; probabilities sum to 1. Empty for a state where the
    /// episode has already ended (its value is 0).
    public var outcomes: [[Outcome]]

    public init(states: Int, actions: Int, outcomes: [[Outcome]]) {
        precondition(outcomes.count == states * actions, "one list of outcomes per (state, action)")
        self.states = states
        self.actions = actions
        self.outcomes = outcomes
    }

    /// Q-values (row-major, state x action) to within `tolerance` of the fixed point.
    public func valueIteration(discount: Double, tolerance: Double = 1e-10, maxSweeps: Int = 100_000) -> [Double] {
        precondition(discount >= 0 && discount < 1, "value iteration needs a discount in [0, 1)")
        var q = [Double](repeating: 0, count: states * actions)
        for _ in 0..<maxSweeps {
            let best = (0..<states).map { s in (0..<actions).map { q[s * actions + $0] }.max() ?? 0 }
            var change = 0.0
            for cell in q.indices {
                var value = 0.0
                for o in outcomes[cell] {
                    value += o.probability * (o.reward + (o.terminal ? 0 : discount * best[o.next]))
                }
                change = Swift.max(change, Swift.abs(value - q[cell]))
                q[cell] = value
            }
            // The error left is at most change x discount / (1 - discount).
            if change * discount / (1 - discount) < tolerance || change == 0 { break }
        }
        return q
    }
}
