import Course
import Foundation
import MLEngine
import TextPlot

/// Backprop checked against finite differences, number by number (chapter 3).
///
/// A 2 -> 3 tanh -> 1 network with mean squared error on four fixed examples. The engine's
/// `GradientChecker` computes every parameter's gradient twice: by backprop (the autodiff
/// tape) and by the central difference (L(w + h) - L(w - h)) / 2h. The `table` panel lists
/// both with their relative error; the `chain` panel walks one path of the chain rule by hand.
///
/// Each step draws fresh random weights from the lab's generator and checks again. `bug = on`
/// swaps the hidden activation for `MiswiredTanh`, whose backward formula has its sign wrong:
/// the rows of the hidden layer's parameters then disagree, the output layer's still agree.
public struct GradcheckLab: Lab {
    public static let labID = "gradcheck"
    public static let labTitle = "Backprop against finite differences"
    public static let panels = ["table", "chain"]
    /// The examples the loss averages over.
    public static let exampleCount = 4

    public var id: String { Self.labID }
    public var title: String { Self.labTitle }
    public private(set) var seed: UInt64

    private var epsilon = 1e-3
    private var bug = false

    private var rng: SeededGenerator
    /// The four examples, [4, 2], and their targets, [4, 1]: fixed for the run.
    public private(set) var inputs: Tensor
    public private(set) var targets: Tensor
    public private(set) var network: GradcheckNetwork
    /// The latest check: one entry per scalar parameter, in the network's parameter order.
    public private(set) var report: GradientCheckReport
    /// The hand-walked path to w1 for the current weights.
    public private(set) var chain: ChainPath
    /// The worst relative error of each check so far (one per weight draw; the last one is
    /// redone when `epsilon` or `bug` changes, so it always describes the table on screen).
    private var history: [Double] = []

    public init(seed: UInt64) {
        self.seed = seed
        (rng, inputs, targets, network) = Self.start(seed: seed, miswired: false)
        report = Self.check(network, inputs: inputs, targets: targets, epsilon: epsilon)
        chain = ChainPath(network: network, inputs: inputs, targets: targets)
        history = [worstRelativeError]
    }

    /// Everything a seed decides at the start of a run, in drawing order: the four examples
    /// (inputs and targets uniform in -1...1), then the first weights.
    private static func start(seed: UInt64, miswired: Bool) -> (SeededGenerator, Tensor, Tensor, GradcheckNetwork) {
        var generator = SeededGenerator(seed: seed)
        let inputs = Tensor.uniform([exampleCount, GradcheckNetwork.inputCount], low: -1, high: 1, generator: &generator)
        let targets = Tensor.uniform([exampleCount, 1], low: -1, high: 1, generator: &generator)
        let network = drawNetwork(miswired: miswired, inputs: inputs, targets: targets, generator: &generator)
        return (generator, inputs, targets, network)
    }

    /// An element passes when |backprop - numeric| <= 1e-2 * max(0.1, |backprop|, |numeric|).
    public static let tolerance = 1e-2

    public var parameters: [Hyperparameter] {
        [
            .logScale("epsilon", epsilon, in: 1e-5...1e-1, factor: 10,
                      help: "finite-difference nudge h: each weight is moved by +h and -h"),
            .choice("bug", bug ? "on" : "off", among: ["off", "on"], effect: .live,
                    help: "on: the hidden tanh's backward formula has its sign wrong (forward unchanged)"),
        ]
    }

    public mutating func set(_ name: String, to value: HyperValue) throws {
        let checked = try parameters.checked(name, value, lab: id)
        switch name {
        case "epsilon": epsilon = checked.number!
        default: bug = checked.choice == "on"
        }
        // Both are live and cheap: redo the check of the current weights at once, so the table
        // answers the change even while the lab is paused.
        recheck()
        if !history.isEmpty { history[history.count - 1] = worstRelativeError }
    }

    public mutating func reset(seed: UInt64) {
        self.seed = seed
        (rng, inputs, targets, network) = Self.start(seed: seed, miswired: bug)
        recheck()
        history = [worstRelativeError]
    }

    /// One step: fresh random weights, checked again.
    ///
    /// A check is a whole experiment, so open-ended training pauses after each one: every press
    /// of Space (or s) shows one new table to read instead of thousands flickering past. It is
    /// not `finished`, so `mlcourse run gradcheck --steps 100` runs 100 checks (it stopped
    /// after one).
    public mutating func step() throws -> StepReport {
        network = Self.drawNetwork(miswired: bug, inputs: inputs, targets: targets, generator: &rng)
        recheck()
        history.append(worstRelativeError)
        let failing = failingRows.count, total = report.entries.count
        let verdict = failing == 0 ? "all \(total) rows agree" : "\(failing) of \(total) rows disagree"
        return StepReport(loss: currentLoss, pausesOpenEndedTraining: true, note: "new random weights, checked: \(verdict)")
    }

    private mutating func recheck() {
        network.miswired = bug
        report = Self.check(network, inputs: inputs, targets: targets, epsilon: epsilon)
        chain = ChainPath(network: network, inputs: inputs, targets: targets)
    }

    /// The smallest gradient the lab accepts on a fresh draw. A gradient that happens to land
    /// near zero (paths cancelling over the four examples) is below what a finite difference in
    /// Float32 can judge, so a sign error in it would hide inside the tolerance; the lesson
    /// promises that every gradient through a broken link shows up wrong.
    static let smallestJudgedGradient: Float = 0.01

    /// Random weights whose every gradient is big enough to judge: draws again (from the same
    /// generator, so still determined by the seed) while some gradient is smaller than
    /// `smallestJudgedGradient`, at most 64 times.
    static func drawNetwork(miswired: Bool, inputs: Tensor, targets: Tensor,
                            generator: inout SeededGenerator) -> GradcheckNetwork {
        var network = GradcheckNetwork(miswired: miswired, generator: &generator)
        for _ in 0..<64 {
            var probe = network
            probe.miswired = false
            let parameters = probe.parameters.map(\.value)
            let loss = probe.loss(inputs: inputs, targets: targets)
            let gradients = gradients(of: loss, wrt: parameters)
            let smallest = gradients.flatMap({ $0.copyScalars() }).map(Swift.abs).min() ?? 0
            if smallest >= smallestJudgedGradient { break }
            network = GradcheckNetwork(miswired: miswired, generator: &generator)
        }
        return network
    }

    /// The engine's gradient check of `network`'s mean squared error on the examples.
    static func check(_ network: GradcheckNetwork, inputs: Tensor, targets: Tensor, epsilon: Double) -> GradientCheckReport {
        GradientChecker.check(network, epsilon: Float(epsilon), tolerance: tolerance) { model in
            model.loss(inputs: inputs, targets: targets)
        }
    }

    /// The loss of the current weights on the four examples.
    public var currentLoss: Double {
        let inputs = inputs, targets = targets
        return Double(withNoGrad { network.loss(inputs: inputs, targets: targets) }.item)
    }

    /// The relative error shown in the table: |backprop - numeric| / max(|backprop|, |numeric|, 0.1).
    ///
    /// The same yardstick the engine's checker passes or fails a row by (a row passes when this is
    /// at most 1e-2): relative for gradients of ordinary size, with a floor so that a gradient
    /// that happens to be nearly zero is not judged on Float32 rounding noise.
    public static func relativeError(_ entry: GradientCheckReport.Entry) -> Double {
        entry.absoluteError / Swift.max(sizeFloor, Swift.abs(entry.backprop), Swift.abs(entry.numeric))
    }

    /// The smallest "size" a relative error divides by (the checker's floor).
    public static let sizeFloor = 0.1

    public var worstRelativeError: Double { report.entries.map(Self.relativeError).max() ?? 0 }

    /// The table rows that disagree, by entry index.
    public var failingRows: [Int] { report.entries.indices.filter { !report.passes(report.entries[$0]) } }

    public var metrics: Metrics {
        Metrics(series: [.init(name: "max_relative_error", values: history)],
                scalars: [.init(name: "failing_rows", value: Double(failingRows.count)),
                          .init(name: "loss", value: currentLoss)])
    }

    public var isFinite: Bool {
        network.parameters.allSatisfy { $0.value.copyScalars().allSatisfy(\.isFinite) }
    }

    public func divergenceHint() -> String? {
        "the check itself cannot diverge; non-finite numbers here mean the weights were corrupted - reset the lab"
    }

    public var panelIDs: [String] { Self.panels }

    public func panel(_ id: String) -> Panel? {
        switch id {
        case "table": return tablePanel()
        case "chain": return chainPanel()
        default: return nil
        }
    }

    // MARK: - Checkpoints

    public func snapshot() -> LabState {
        var tensors = ["inputs": inputs, "targets": targets]
        CheckpointParts.store(network, as: "", into: &tensors)
        return LabState(labID: id, tensors: tensors, metadata: [
            "rng": StateCoding.json(rng),
            "history": .array(history.map(StateCoding.json)),
        ])
    }

    public mutating func restore(_ state: LabState) throws {
        try state.expect(lab: id)
        let restoredInputs = try state.tensor("inputs", shape: inputs.shape)
        let restoredTargets = try state.tensor("targets", shape: targets.shape)
        var restored = network
        try CheckpointParts.load(&restored, from: "", in: state)
        let generator = try StateCoding.generator(from: state.metadata["rng"], key: "rng", lab: id)
        guard let past = state.metadata["history"]?.array?.compactMap(StateCoding.double(from:)), !past.isEmpty else {
            throw LabStateError.badMetadata(lab: id, key: "history", problem: "must be a non-empty list of numbers")
        }
        rng = generator
        inputs = restoredInputs
        targets = restoredTargets
        network = restored
        history = past
        recheck()
    }
}
