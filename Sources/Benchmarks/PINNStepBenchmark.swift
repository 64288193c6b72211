import Foundation
import Labs

/// The median time, in milliseconds, of one default `pinn-windkessel` training step: the data
/// term at 12 measurements, the physics term at 200 collocation points with dp/dt by autodiff
/// recorded for a second backward pass (create-graph), backward through both, and Adam, on the
/// 1-32-32-1 tanh net. Measured through the lab itself, so it is the step a learner runs.
public func measurePINNStepMilliseconds(iterations: Int = 200) -> Double {
    precondition(iterations > 0, "iterations must be positive")
    var lab = PINNWindkesselLab(seed: 2024)
    // Steps that evaluate (every 10th) also draw the curve; warm up, then time plain steps only.
    for _ in 0..<5 { _ = try? lab.step() }
    let clock = ContinuousClock()
    var samples: [Double] = []
    var step = 5
    while samples.count < iterations {
        step += 1
        if step % PINNWindkesselLab.evaluationInterval == 0 { _ = try? lab.step(); continue }
        let elapsed = clock.measure { _ = try? lab.step() }
        samples.append(Double(elapsed.components.seconds) * 1e3 + Double(elapsed.components.attoseconds) * 1e-15)
    }
    return Timing(samples: samples).median
}
