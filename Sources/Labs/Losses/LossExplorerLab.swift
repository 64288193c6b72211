import Course
import Foundation
import MLEngine
import TextPlot

/// `loss-explorer`: pick a loss; the truth is fixed and the learner moves the prediction with +
/// and - (the `prediction` setting, whose meaning each loss states). The panels draw the loss and
/// its gradient against the prediction with the current point marked, and a table of the
/// syllabus's worked numbers, each computed live by the engine's loss functions (forward and
/// backward), beside the value the syllabus gives.
///
/// A step measures the loss and the gradient where the learner stands (the metrics `loss` and
/// `gradient`); every change of a setting is measured at once as well, so the history follows
/// the learner's hand while the lab is paused. There is nothing to train: the budget is short.
public struct LossExplorerLab: Lab {
    public static let labID = "loss-explorer"
    public static let labTitle = "Every loss's value and gradient, as you move the prediction"
    public static let panelNames = ["curve", "gradient", "numbers"]
    /// Steps in a headless run (each only measures).
    public static let stepBudget = 20
    /// Points on each curve.
    static let curvePoints = 81

    public var id: String { Self.labID }
    public var title: String { Self.labTitle }
    public private(set) var seed: UInt64

    public private(set) var kind = ExplorerLoss.mse
    public private(set) var prediction = ExplorerLoss.mse.start
    var settings = ExplorerSettings()
    private var steps = 0
    public private(set) var metrics = Metrics()

    public init(seed: UInt64) {
        self.seed = seed
        reset(seed: seed)
    }

    // MARK: Hyperparameters

    public var parameters: [Hyperparameter] {
        [
            .choice("loss", kind.rawValue, among: ExplorerLoss.allCases.map(\.rawValue), effect: .live,
                    help: "the loss to explore; picking one puts the prediction at its worked example"),
            .linear("prediction", prediction, in: kind.range, step: kind.stepSize,
                    help: "what + and - move: \(kind.moves)"),
            .linear("gamma", settings.gamma, in: 0...5, step: 0.5,
                    help: "focal loss's focusing power: cross-entropy * (1 - p)^gamma; 0 is plain cross-entropy"),
            .logScale("temperature", settings.temperature, in: 0.05...2, factor: 2,
                      help: "contrastive loss's temperature: similarities are divided by it before the softmax"),
            .linear("delta", settings.delta, in: 1...50, step: 1,
                    help: "Huber's threshold: squared below it, straight beyond"),
        ]
    }

    public mutating func set(_ name: String, to value: HyperValue) throws {
        let checked = try parameters.checked(name, value, lab: id)
        switch name {
        case "loss":
            let picked = ExplorerLoss(rawValue: checked.choice!)!
            if picked != kind { kind = picked; prediction = picked.start }
        case "prediction": prediction = checked.number!
        case "gamma": settings.gamma = checked.number!
        case "temperature": settings.temperature = checked.number!
        default: settings.delta = checked.number!
        }
        measure()
    }

    public mutating func reset(seed: UInt64) {
        self.seed = seed
        steps = 0
        metrics = Metrics(series: [.init(name: "loss"), .init(name: "gradient")])
    }

    // MARK: Measuring

    /// The loss and its gradient at the current prediction.
    public var current: (loss: Double, gradient: Double) {
        (try? LossCurves.evaluate(kind, at: prediction, settings)) ?? (.nan, .nan)
    }

    private mutating func measure() {
        let now = current
        metrics.append(now.loss, to: "loss")
        metrics.append(now.gradient, to: "gradient")
    }

    public mutating func step() throws -> StepReport {
        let now = try LossCurves.evaluate(kind, at: prediction, settings)
        metrics.append(now.loss, to: "loss")
        metrics.append(now.gradient, to: "gradient")
        steps += 1
        let done = steps >= Self.stepBudget
        return StepReport(loss: now.loss, finished: done,
                          note: done ? "loss-explorer: nothing to train; move the prediction with + and - and watch the panels" : nil)
    }

    public var isFinite: Bool { current.loss.isFinite }

    // MARK: Panels

    public var panelIDs: [String] { Self.panelNames }

    /// The loss and the gradient at every point of the prediction's range.
    func curves() -> (x: [Double], loss: [Double], gradient: [Double]) {
        let range = kind.range
        let x = (0..<Self.curvePoints).map { range.lowerBound + (range.upperBound - range.lowerBound) * Double($0) / Double(Self.curvePoints - 1) }
        let values = x.map { (try? LossCurves.evaluate(kind, at: $0, settings)) ?? (.nan, .nan) }
        return (x, values.map(\.loss), values.map(\.gradient))
    }

    public func panel(_ id: String) -> Panel? {
        switch id {
        case "curve", "gradient":
            let (x, loss, gradient) = curves()
            let now = current
            let isLoss = id == "curve"
            let ys = isLoss ? loss : gradient
            let y = isLoss ? now.loss : now.gradient
            let finite = ys.filter(\.isFinite)
            var low = Swift.min(finite.min() ?? 0, 0), high = Swift.max(finite.max() ?? 1, 0)
            if high - low < 1e-9 { high = low + 1 }
            // Steep ends (-log p near 0) would flatten the rest: clip the view at 20 * the
            // median magnitude, never hiding the current point.
            let sorted = finite.map(Swift.abs).sorted()
            let cap = Swift.max((sorted.isEmpty ? 1 : sorted[sorted.count / 2]) * 20, Swift.abs(y) * 1.2, 1e-6)
            low = Swift.max(low, -cap); high = Swift.min(high, cap)
            let name = isLoss ? "loss" : "gradient"
            let series = [LineSeries(name: "\(name)(\(kind.axis))", values: ys, x: x),
                          LineSeries(name: "you", values: [low, high], x: [prediction, prediction])]
            let title = isLoss
                ? "\(kind.rawValue) loss vs \(kind.axis): loss \(format(now.loss)) at \(format(prediction))"
                : "Gradient d(loss)/d(\(kind.axis)): gradient \(format(now.gradient)) at \(format(prediction))"
            return Panel(title: title, content: .lineChart(LineChartSpec(series: series, yRange: low...high)))
        case "numbers":
            return numbersPanel()
        default:
            return nil
        }
    }

    /// The worked numbers, each computed now by the engine, beside the syllabus's value.
    func numbersPanel() -> Panel {
        var rows: [[String]] = []
        for w in LossCurves.worked(kind) {
            var s = settings
            if let g = w.gamma { s.gamma = g }
            if let t = w.temperature { s.temperature = t }
            if kind == .huber { s.delta = 5 }
            let got = (try? LossCurves.evaluate(kind, at: w.prediction, s, reverseKL: w.reverse).loss) ?? .nan
            rows.append([w.text, format(got), w.expected.map(format) ?? "-"])
        }
        let now = current
        rows.append(["you: \(kind.axis) \(format(prediction))", format(now.loss), "gradient \(format(now.gradient))"])
        if kind == .kl, let back = try? LossCurves.evaluate(kind, at: prediction, settings, reverseKL: true) {
            rows.append(["you, reversed: KL(q || p)", format(back.loss), "-"])
        }
        if kind == .bellman {
            let late = (try? discountedReturn(rewards: Array(repeating: 0, count: 100) + [1], discount: 0.99)) ?? .nan
            rows.append(["reward 100 steps away * 0.99^100", format(Double(late)), "0.366"])
        }
        let spec = TableSpec(headers: ["case", "engine", "syllabus"], rows: rows, alignments: [.left, .right, .right])
        return Panel(title: "Worked numbers, computed live (+ and - move \(kind.moves))", content: .table(spec))
    }

    func format(_ x: Double) -> String {
        guard x.isFinite else { return "\(x)" }
        if x == 0 { return "0" }
        return String(format: Swift.abs(x) >= 1000 ? "%.0f" : "%.4g", x)
    }

    // MARK: Checkpoints

    public func snapshot() -> LabState {
        LabState(labID: id, tensors: [:], metadata: [
            "seed": .string(String(seed)),
            "step": .number(Double(steps)),
            "built": StateCoding.json(parameters),
            "settings": StateCoding.json(parameters),
            "metrics": StateCoding.json(metrics),
        ])
    }

    public mutating func restore(_ state: LabState) throws {
        try state.expect(lab: id)
        let savedSeed = try CheckpointParts.seed(in: state)
        // "settings" lists the loss before the prediction: picking the loss moves the prediction
        // to its start, which the saved prediction then overrides.
        var copy = try CheckpointParts.rebuild(self, from: state, seed: savedSeed)
        copy.steps = try CheckpointParts.integer("step", in: state)
        copy.metrics = try StateCoding.metrics(from: state.metadata["metrics"], key: "metrics", lab: id)
        self = copy
    }
}
