import CardioSim
import Foundation
import MLEngine

/// The pressure curve and measurements `pinn-windkessel` learns from: CardioSim's `windkessel`
/// recipe (two-element Windkessel, 3 beats = 2.4 s at 250 Hz, noisy measurements in the first
/// 1.2 s only) with the learner's number of measurements. Simulated once per count and kept.
struct WindkesselData: Sendable {
    let config: WindkesselConfig
    let curve: WindkesselCurve
    /// Where the measurements may fall, s.
    let window: ClosedRange<Double>
    /// The recording's end, s.
    var duration: Double { curve.times.last ?? config.duration }

    static let recipeName = "windkessel"

    /// The recipe's data with `measurements` noisy measurements (the recipe's seed, so every run
    /// of the lab sees the same points; more measurements are drawn from the same window).
    static func make(measurements: Int) -> WindkesselData {
        cacheLock.lock()
        defer { cacheLock.unlock() }
        if let cached = cache[measurements] { return cached }
        guard let recipe = BuiltInRecipes.recipe(named: recipeName), case .windkessel(var config) = recipe.parameters,
              let window = config.measurementWindow else {
            preconditionFailure("CardioSim's \(recipeName) recipe must be a Windkessel curve with a measurement window")
        }
        config.measurementCount = measurements
        // The recipe is valid and the count is checked by the lab's settings: simulation cannot fail.
        let curve = try! WindkesselCurve.simulate(config, seed: recipe.seed)
        let data = WindkesselData(config: config, curve: curve, window: window)
        cache[measurements] = data
        return data
    }

    nonisolated(unsafe) private static var cache: [Int: WindkesselData] = [:]
    private static let cacheLock = NSLock()
}
