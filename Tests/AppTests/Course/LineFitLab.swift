import Course
import TextPlot

/// A small but real lab for the headless-run tests (numbers that do not depend on the course's
/// labs): one neuron (weight and bias) fitted by gradient
/// descent on seeded points of a line or a bend, with the hyperparameters the neuron lesson's
/// lab blocks set (`lr` live; `data`, `noise`, `points` on reset). A large `lr` really diverges.
struct LineFitLab: Lab {
    let id: String
    var title: String { "One neuron (test lab)" }
    private(set) var seed: UInt64 = 0
    var parameters: [Hyperparameter] = [
        .logScale("lr", 0.01, in: 0.0001...10, help: "step size of gradient descent"),
        .choice("data", "line", among: ["line", "bend"], help: "the shape of the data"),
        .linear("noise", 0.1, in: 0...2, step: 0.1, effect: .reset, help: "noise added to the targets"),
        .logScale("points", 50, in: 2...1000, integer: true, effect: .reset, help: "how many points"),
    ]
    private var xs: [Double] = []
    private var ys: [Double] = []
    private(set) var weight = 0.0
    private(set) var bias = 0.0
    private(set) var metrics = Metrics()

    init(id: String = "neuron", seed: UInt64) { self.id = id; reset(seed: seed) }

    private func number(_ name: String) -> Double { parameters[named: name]?.value.number ?? 0 }

    mutating func set(_ name: String, to value: HyperValue) throws {
        guard let i = parameters.firstIndex(where: { $0.name == name }) else {
            throw HyperparameterError.unknown(name: name, lab: id, known: parameters.map(\.name))
        }
        parameters[i].value = try parameters[i].validated(value)
    }

    mutating func reset(seed: UInt64) {
        self.seed = seed
        var state = seed &+ 0x9E37_79B9_7F4A_7C15
        func uniform() -> Double {   // SplitMix64, enough for test data
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
        }
        let n = Int(number("points")), bend = parameters[named: "data"]?.value.choice == "bend"
        xs = (0..<n).map { _ in uniform() * 2 - 1 }
        ys = xs.map { x in (bend ? x * x * 3 : 2 * x + 1) + (uniform() - 0.5) * number("noise") }
        weight = 0; bias = 0
        metrics = Metrics()
    }

    mutating func step() throws -> StepReport {
        var gw = 0.0, gb = 0.0, loss = 0.0
        for (x, y) in zip(xs, ys) {
            let e = weight * x + bias - y
            loss += e * e; gw += 2 * e * x; gb += 2 * e
        }
        let n = Double(xs.count), lr = number("lr")
        weight -= lr * gw / n * 40   // scaled so that lr = 10 overshoots and blows up
        bias -= lr * gb / n * 40
        metrics.append(loss / n, to: "loss")
        return StepReport(loss: loss / n)
    }

    var isFinite: Bool { weight.isFinite && bias.isFinite }
    func snapshot() -> LabState { LabState(labID: id, metadata: ["weight": .number(weight), "bias": .number(bias)]) }
    mutating func restore(_ state: LabState) throws {
        try state.expect(lab: id)
        weight = state.metadata["weight"]?.number ?? 0; bias = state.metadata["bias"]?.number ?? 0
    }
    var panelIDs: [String] { ["loss", "scatter", "params", "residuals", "fit", "surface"] }
    func panel(_ id: String) -> Panel? {
        guard panelIDs.contains(id) else { return nil }
        return Panel(title: id, content: .text("w=\(weight) b=\(bias)"))
    }

    static var catalogue: LabCatalogue {
        LabCatalogue([
            LabCatalogue.Entry { seed in LineFitLab(seed: seed) },
        ])
    }
}
