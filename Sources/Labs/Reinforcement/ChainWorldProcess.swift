import CardioSim
import MLEngine

/// CardioSim's chain world written out as a table of outcomes, so value iteration can compute
/// its exact Q-values (what `q-table` measures its learned table against).
///
/// Modelled exactly as `ChainWorld` plays: a move goes the chosen way with probability
/// 1 - slip and the other way with probability slip, clamped at the ends; arriving at either end
/// pays that end's reward and ends the episode. The step limit cuts an episode off without
/// ending the task (the position has the same future as before), so neither the table nor the
/// Q-learner treats it as an end: the lab bootstraps through a cut-off step, and here it does
/// not appear at all. Both then aim at the same values.
enum ChainWorldProcess {
    static func make(_ world: ChainWorld) -> TabularProcess {
        let n = world.length
        var outcomes: [[TabularProcess.Outcome]] = []
        for state in 0..<n {
            for action in 0..<2 {
                guard state > 0 && state < n - 1 else { outcomes.append([]); continue }   // an end: episode over
                let intended = action == 0 ? -1 : 1
                outcomes.append([(1 - world.slip, intended), (world.slip, -intended)].filter { $0.0 > 0 }.map { p, move in
                    let next = Swift.min(Swift.max(state + move, 0), n - 1)
                    let reward = next == 0 ? world.leftReward : (next == n - 1 ? world.rightReward : 0)
                    return TabularProcess.Outcome(probability: p, next: next, reward: reward, terminal: next == 0 || next == n - 1)
                })
            }
        }
        return TabularProcess(states: n, actions: 2, outcomes: outcomes)
    }
}
