import Foundation
import CardioSim
import MLEngine

/// The recorded dosing courses laid out for the Decision Transformer: one row of
/// (return-to-go, state, action) per step, episodes of equal length one after another.
struct DecisionData: Sendable {
    /// `[episodes, steps, 1 + stateSize + 1]`.
    let rows: Tensor
    /// Each recorded course's total return, in recording order.
    let returns: [Double]
    let episodes: Int
    let steps: Int
    let stateSize: Int
    let actionCount: Int

    init(_ trajectories: [Trajectory], actionCount: Int) {
        precondition(!trajectories.isEmpty, "no recorded trajectories")
        let steps = trajectories[0].actions.count, stateSize = trajectories[0].states[0].count
        precondition(trajectories.allSatisfy { $0.actions.count == steps }, "the dosing courses all have one length")
        var values: [Float] = []
        values.reserveCapacity(trajectories.count * steps * (stateSize + 2))
        for trajectory in trajectories {
            let togo = trajectory.returnsToGo
            for t in 0..<steps {
                values.append(Float(togo[t]))
                values += trajectory.states[t]
                values.append(Float(trajectory.actions[t]))
            }
        }
        rows = Tensor(shape: [trajectories.count, steps, stateSize + 2], scalars: values)
        returns = trajectories.map(\.totalReturn)
        episodes = trajectories.count
        self.steps = steps
        self.stateSize = stateSize
        self.actionCount = actionCount
    }

    /// The value below which a share `q` of the recorded returns lie (linear interpolation
    /// between the sorted returns, as NumPy's default percentile).
    func percentile(_ q: Double) -> Double {
        let sorted = returns.sorted()
        let position = q * Double(sorted.count - 1)
        let low = Int(position.rounded(.down)), high = Swift.min(low + 1, sorted.count - 1)
        return sorted[low] + (position - Double(low)) * (sorted[high] - sorted[low])
    }

    var best: Double { returns.max()! }
}

/// What a batch of conditioned rollouts did.
struct DecisionRolloutResult: Sendable, Equatable {
    var asked: Double
    /// Each patient's total return.
    var returns: [Double]
    /// Mean dose (mg/L) given at each step, over the patients.
    var meanDoses: [Double]

    var meanReturn: Double { returns.reduce(0, +) / Double(Swift.max(returns.count, 1)) }
}

enum DecisionRollouts {
    /// Plays `patients` courses of the dosing environment with the model choosing each dose,
    /// all asked for `target`: the first return-to-go is `target`, and each reward received is
    /// subtracted before the next step. Patient i is `DosingReferenceReturns.patientSeed(seed, i)`,
    /// the patients the reference returns were measured on. Doses are drawn from the model's
    /// probabilities with a generator seeded from `drawSeed`, so a rollout is a function of the
    /// model and its arguments alone.
    static func run(_ model: DecisionTransformer, target: Double, patients: Int, config: DosingConfig,
                    seed: UInt64, drawSeed: UInt64) throws -> DecisionRolloutResult {
        let steps = config.steps, width = model.rowWidth, actions = model.actionCount
        var environments = (0..<patients).map { _ in DosingEnvironment(config: config) }
        var states = (0..<patients).map { environments[$0].reset(seed: DosingReferenceReturns.patientSeed(seed, episode: $0)) }
        var togo = [Double](repeating: target, count: patients)
        var totals = [Double](repeating: 0, count: patients)
        var doseSums = [Double](repeating: 0, count: steps)
        var draws = SeededGenerator(seed: drawSeed)
        var buffer = [Float](repeating: 0, count: patients * steps * width)
        for t in 0..<steps {
            for p in 0..<patients {
                let base = (p * steps + t) * width
                buffer[base] = Float(togo[p])
                for j in 0..<model.stateSize { buffer[base + 1 + j] = states[p][j] }
            }
            // The first t + 1 steps of every sequence, [patients, t + 1, width].
            var input: [Float] = []
            input.reserveCapacity(patients * (t + 1) * width)
            for p in 0..<patients { input += buffer[(p * steps * width)..<((p * steps + t + 1) * width)] }
            let logits = withNoGrad { model(Tensor(shape: [patients, t + 1, width], scalars: input)) }.copyScalars()
            for p in 0..<patients {
                let row = (p * (t + 1) + t) * actions
                let action = sample(Array(logits[row..<(row + actions)]), generator: &draws)
                let result = try environments[p].step(action)
                buffer[(p * steps + t) * width + width - 1] = Float(action)
                togo[p] -= result.reward
                totals[p] += result.reward
                doseSums[t] += config.doses[action]
                states[p] = result.state
            }
        }
        return DecisionRolloutResult(asked: target, returns: totals, meanDoses: doseSums.map { $0 / Double(patients) })
    }

    /// An index drawn with probability softmax(logits).
    static func sample(_ logits: [Float], generator: inout SeededGenerator) -> Int {
        let top = logits.max()!
        let weights = logits.map { Double(Foundation.exp($0 - top)) }
        var u = generator.nextDouble() * weights.reduce(0, +)
        for (i, w) in weights.enumerated() {
            u -= w
            if u < 0 { return i }
        }
        return weights.count - 1
    }
}
