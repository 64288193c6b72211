import Testing
@testable import Course
import TextPlot
import MLEngine

/// A lab that reports no loss and whose weight grows by 10^30 a step: Float32 overflows
/// (above 3.4e38) on the second step, so only the session's weight check can catch it.
private struct SilentBlowUpLab: Lab {
    let id = "blow-up"
    let title = "Silent blow-up"
    var seed: UInt64 = 0
    var weight: Float = 1
    var parameters: [Hyperparameter] { [.logScale("growth", 1e30, in: 1...1e30, factor: 10, help: "factor per step")] }
    mutating func set(_ name: String, to value: HyperValue) throws {}
    mutating func reset(seed: UInt64) { self.seed = seed; weight = 1 }
    mutating func step() throws -> StepReport { weight *= 1e30; return StepReport() }
    var metrics: Metrics { Metrics() }
    var isFinite: Bool { weight.isFinite }
    var panelIDs: [String] { [] }
    func panel(_ id: String) -> Panel? { nil }
    func snapshot() -> LabState { LabState(labID: id, tensors: ["w": Tensor(shape: [1], scalars: [weight])]) }
    mutating func restore(_ state: LabState) throws { weight = try state.tensor("w", shape: [1]).scalar(at: 0) }
}

@Suite struct WeightCheckTests {
    @Test func nonFiniteWeightsPauseEvenWithoutALoss() throws {
        let catalogue = LabCatalogue([LabCatalogue.Entry { _ in SilentBlowUpLab() }])
        let session = Session(lessons: [], catalogue: catalogue)
        try session.open(LabBlock(lab: "blow-up", settings: [], show: [], note: nil, line: 1))
        try session.train()
        #expect(session.advance(maxSteps: 100, until: .now + .seconds(60)) == 2)
        #expect(session.runState == .diverged(step: 2, message:
            "diverged at step 2 (the weights became NaN or infinite): the updates grew without bound; reset, or make the steps smaller"))
    }
}
