import Course
import MLEngine
import TextPlot

/// A lab whose state is more than weights: a tiny Linear(3 -> 1) model fitted by Adam to
/// y = 3 x0 - 2 x1 + 0.5 x2 + 1 on minibatches drawn from the lab's generator. Continuing
/// exactly needs the weights, Adam's two moments and step counts, and the generator's words:
/// drop any of them from a checkpoint and the continued run leaves the uninterrupted one.
struct AdamLineLab: Lab {
    static let sampleCount = 32

    let id = "adam-line"
    let title = "A line fitted by Adam"
    private(set) var seed: UInt64
    private var lr = 0.05
    private var batch = 8.0
    private var model: Linear
    private var optimizer = Adam()
    private var rng: SeededGenerator
    private var inputs: [[Float]] = []
    private var targets: [Float] = []
    private(set) var metrics = Metrics()

    init(seed: UInt64) {
        self.seed = seed
        var generator = SeededGenerator(seed: seed)
        model = Linear(inputs: 3, outputs: 1, generator: &generator)
        rng = generator
        reset(seed: seed)
    }

    var parameters: [Hyperparameter] {
        [
            .logScale("lr", lr, in: 0.0001...1, factor: 2, help: "Adam's learning rate"),
            .linear("batch", batch, in: 1...32, step: 1, help: "samples in each minibatch"),
        ]
    }

    mutating func set(_ name: String, to value: HyperValue) throws {
        guard let parameter = parameters[named: name] else {
            throw HyperparameterError.unknown(name: name, lab: id, known: parameters.map(\.name))
        }
        let checked = try parameter.validated(value)
        if name == "lr" { lr = checked.number! } else { batch = checked.number! }
    }

    mutating func reset(seed: UInt64) {
        self.seed = seed
        var generator = SeededGenerator(seed: seed)
        model = Linear(inputs: 3, outputs: 1, generator: &generator)
        inputs = (0..<Self.sampleCount).map { _ in (0..<3).map { _ in Float(generator.uniform(-1.0, 1.0)) } }
        targets = inputs.map { 3 * $0[0] - 2 * $0[1] + 0.5 * $0[2] + 1 }
        rng = generator
        optimizer = Adam(learningRate: Float(lr))
        metrics = Metrics(series: [.init(name: "loss")])
    }

    mutating func step() throws -> StepReport {
        let picked = (0..<Int(batch)).map { _ in rng.int(below: Self.sampleCount) }
        let x = Tensor(shape: [picked.count, 3], scalars: picked.flatMap { inputs[$0] })
        let y = Tensor(shape: [picked.count, 1], scalars: picked.map { targets[$0] })
        model.zeroGrad()
        let loss = try meanSquaredError(model(x), y)
        loss.backward()
        optimizer.learningRate = Float(lr)
        optimizer.step(&model)
        metrics.append(Double(loss.item), to: "loss")
        return StepReport(loss: Double(loss.item))
    }

    var isFinite: Bool { model.parameters.allSatisfy { $0.value.copyScalars().allSatisfy(\.isFinite) } }

    var panelIDs: [String] { ["loss"] }

    func panel(_ id: String) -> Panel? {
        guard id == "loss" else { return nil }
        return Panel(title: "Loss", content: .lineChart(LineChartSpec(series: [LineSeries(name: "loss", values: metrics.values("loss"))])))
    }

    func snapshot() -> LabState {
        var tensors: [String: Tensor] = [:]
        for (name, value) in model.parameters { tensors["model.\(name)"] = value.detached() }
        for (name, value) in optimizer.state { tensors["adam.\(name)"] = value }
        return LabState(labID: id, tensors: tensors, metadata: [
            "rng": .array(rng.stateWords.map { .string(String($0)) }),
            "loss": .array(metrics.values("loss").map { .number($0) }),
        ])
    }

    mutating func restore(_ state: LabState) throws {
        try state.expect(lab: id)
        let weight = try state.tensor("model.weight", shape: [1, 3])
        let bias = try state.tensor("model.bias", shape: [1])
        var moments: [String: Tensor] = [:]
        for (name, value) in state.tensors where name.hasPrefix("adam.") { moments[String(name.dropFirst(5))] = value }
        guard let words = state.metadata["rng"]?.array?.compactMap({ $0.string.flatMap(UInt64.init) }), words.count == 4 else {
            throw LabStateError.badMetadata(lab: id, key: "rng", problem: "must be four words")
        }
        var restoredOptimizer = Adam(learningRate: Float(lr))
        try restoredOptimizer.restoreState(moments)
        try model.loadParameters(["weight": weight, "bias": bias])
        optimizer = restoredOptimizer
        rng = try SeededGenerator(stateWords: words)
        metrics = Metrics(series: [.init(name: "loss", values: state.metadata["loss"]?.array?.compactMap(\.number) ?? [])])
    }
}

extension LabCatalogue {
    /// The quadratic lab and the Adam line lab.
    static let checkpointFixture = LabCatalogue([
        LabCatalogue.Entry(panelIDs: ["loss"]) { seed in QuadraticLab(seed: seed) },
        LabCatalogue.Entry(panelIDs: ["loss"]) { seed in AdamLineLab(seed: seed) },
    ])
}
