import Course
import MLEngine
import TextPlot

/// A real, tiny lab for the tests: noisy gradient descent on a 1-D quadratic bowl,
/// loss(w) = curvature / 2 * (w - 1)^2, from a random start drawn from the seed.
///
/// Gradient descent contracts w - 1 by (1 - lr * curvature) each step, so it converges when
/// lr * curvature < 2 and doubles the distance each step when lr * curvature = 3: the
/// divergence tests rely on that arithmetic, not on this code's output.
struct QuadraticLab: Lab {
    static let target: Float = 1

    let id = "quadratic"
    let title = "Gradient descent on a bowl"
    private(set) var seed: UInt64
    private var lr = 0.1
    private var noise = 0.0
    private var curvature = 1.0
    private var start = "random"
    private var w = Tensor(zeros: [1])
    private var rng: SeededGenerator
    private(set) var metrics = Metrics()

    init(seed: UInt64) {
        self.seed = seed
        rng = SeededGenerator(seed: seed)
        reset(seed: seed)
    }

    var parameters: [Hyperparameter] {
        [
            .logScale("lr", lr, in: 0.001...10, factor: 2, help: "learning rate: step size against the gradient"),
            .linear("noise", noise, in: 0...1, step: 0.1, help: "standard deviation of noise added to the gradient"),
            .logScale("curvature", curvature, in: 0.125...64, factor: 2, effect: .reset, help: "how steep the bowl is"),
            .choice("start", start, among: ["random", "far"], help: "where w starts: random in -3..3, or at 100"),
        ]
    }

    mutating func set(_ name: String, to value: HyperValue) throws {
        guard let parameter = parameters[named: name] else {
            throw HyperparameterError.unknown(name: name, lab: id, known: parameters.map(\.name))
        }
        let checked = try parameter.validated(value)
        switch name {
        case "lr": lr = checked.number!
        case "noise": noise = checked.number!
        case "curvature": curvature = checked.number!
        default: start = checked.choice!
        }
    }

    mutating func reset(seed: UInt64) {
        self.seed = seed
        rng = SeededGenerator(seed: seed)
        let w0 = start == "far" ? 100 : Float(rng.uniform(-3.0, 3.0))
        w = Tensor(shape: [1], scalars: [w0])
        metrics = Metrics(series: [.init(name: "loss")], scalars: [.init(name: "w", value: Double(w0))])
    }

    var weight: Float { w.scalar(at: 0) }

    var panelIDs: [String] { ["loss"] }

    func panel(_ id: String) -> Panel? {
        guard id == "loss" else { return nil }
        let chart = LineChartSpec(series: [LineSeries(name: "loss", values: metrics.values("loss"))])
        return Panel(title: "Loss", content: .lineChart(chart))
    }

    mutating func step() throws -> StepReport {
        let c = Float(curvature)
        let d = weight - Self.target
        let gradient = c * d + Float(noise * rng.normal())
        let next = weight - Float(lr) * gradient
        w = Tensor(shape: [1], scalars: [next])
        let e = next - Self.target
        let loss = Double(0.5 * c * e * e)
        metrics.append(loss, to: "loss")
        metrics.set("w", Double(next))
        return StepReport(loss: loss)
    }

    var isFinite: Bool { weight.isFinite }

    var completion: CompletionCondition? {
        CompletionCondition(metric: "loss", .atMost, 1e-6, description: "w reached the bottom of the bowl")
    }

    func snapshot() -> LabState {
        LabState(labID: id, tensors: ["w": w], metadata: [
            "rng": .array(rng.stateWords.map { .string(String($0)) }),
            "loss": .array(metrics.values("loss").map { .number($0) }),
        ])
    }

    mutating func restore(_ state: LabState) throws {
        try state.expect(lab: id)
        let restoredW = try state.tensor("w", shape: [1])
        guard let words = state.metadata["rng"]?.array?.compactMap({ $0.string.flatMap(UInt64.init) }), words.count == 4 else {
            throw LabStateError.badMetadata(lab: id, key: "rng", problem: "must be four words")
        }
        rng = try SeededGenerator(stateWords: words)
        w = restoredW
        let losses = state.metadata["loss"]?.array?.compactMap(\.number) ?? []
        metrics = Metrics(series: [.init(name: "loss", values: losses)], scalars: [.init(name: "w", value: Double(weight))])
    }
}

extension LabCatalogue {
    /// The catalogue the tests use: the quadratic lab and nothing else.
    static let fixture = LabCatalogue([
        LabCatalogue.Entry(panelIDs: ["loss", "bowl"]) { seed in QuadraticLab(seed: seed) },
    ])
}
