import CardioSim
import Course
import MLEngine
import TextPlot

/// `vae`: a variational autoencoder squeezes each beat through a 2-D Gaussian code.
///
/// loss = reconstruction + beta x KL, per beat, averaged over a batch of 64 training beats:
/// - reconstruction is the Gaussian negative log-likelihood of the beat under the decoder's
///   output with a fixed noise variance sigma^2 = `noiseVariance`: the squared error summed over
///   the 250 samples, divided by 2 sigma^2 (the constant log(2 pi sigma^2) term left out). Summed,
///   not averaged per sample: a per-sample mean would make it 250 times weaker than the KL
///   term, which would then win and collapse every code onto the standard normal;
/// - KL is the closed-form divergence of the code distribution from N(0, 1).
/// Codes are drawn with the reparameterisation trick from a seeded generator.
///
/// Every `evaluationInterval` steps the 1,000 test beats are encoded (mean codes) and decoded:
/// `reconstruction_mse` is their mean squared error per sample, `kl` their mean KL, and `elbo`
/// minus (reconstruction + KL) per beat with beta 1 (the evidence lower bound, up to that
/// constant). The beats are the raw ones `pca` reads, so its 2-component error compares directly.
public struct VAELab: Lab {
    public static let labID = "vae"
    /// Steps within which the default run is checked (`.ci/promises/ch9-unsupervised.sh`).
    public static let defaultStepBudget = 3000
    public static let evaluationInterval = 50
    /// sigma^2 of the reconstruction's Gaussian: about the squared size of the simulator's noise
    /// and fine detail, which a 2-number code cannot be expected to carry.
    public static let noiseVariance: Float = 0.01
    static let batch = 64
    static let hidden = 128

    public let id = VAELab.labID
    public let title = "A variational autoencoder maps heartbeats to two numbers"
    public private(set) var seed: UInt64

    private var beta = 1.0
    private var learningRate = 0.001
    private var shownBeat = 0

    private let data: PCABeats
    private let train: Tensor
    private let test: Tensor
    private var model: VariationalAutoencoder
    private var optimizer: any Optimizer
    private var sampler: BatchSampler
    private var noise: SeededGenerator
    private var steps = 0
    /// The test beats' mean codes at the last evaluation, [1000, 2].
    private var codes = Tensor(zeros: [0, 2])
    public private(set) var metrics = Metrics()

    public init(seed: UInt64) {
        self.seed = seed
        data = PCABeats.shared
        train = Tensor(shape: [data.trainCount, data.window], scalars: data.train.map(Float.init))
        test = Tensor(shape: [data.testCount, data.window], scalars: data.test.map(Float.init))
        var generator = SeededGenerator(seed: seed)
        model = VariationalAutoencoder(window: data.window, hidden: Self.hidden, generator: &generator)
        optimizer = OptimizerKind.adam.make(learningRate: 0.001)
        sampler = BatchSampler(generator: generator.split())
        noise = generator.split()
        reset(seed: seed)
    }

    // MARK: Hyperparameters

    public var parameters: [Hyperparameter] { Self.parameters(beta: beta, lr: learningRate, beat: shownBeat) }
    public static var defaultParameters: [Hyperparameter] { parameters(beta: 1, lr: 0.001, beat: 0) }

    private static func parameters(beta: Double, lr: Double, beat: Int) -> [Hyperparameter] {
        [
            .linear("beta", beta, in: 0...4, step: 0.25, help: "weight of the KL term (0: a plain autoencoder with noise)"),
            .logScale("lr", lr, in: 0.00001...0.1, factor: 2, help: "Adam learning rate"),
            .linear("beat", Double(beat), in: 0...999, step: 1, integer: true, help: "which test beat the rebuild panel shows"),
        ]
    }

    public mutating func set(_ name: String, to value: HyperValue) throws {
        let checked = try parameters.checked(name, value, lab: id)
        switch name {
        case "beta": beta = checked.number ?? beta
        case "lr":
            learningRate = checked.number ?? learningRate
            optimizer.learningRate = Float(learningRate)
        default: shownBeat = checked.number.map { Int($0) } ?? shownBeat
        }
    }

    // MARK: Training

    public mutating func reset(seed: UInt64) {
        self.seed = seed
        var generator = SeededGenerator(seed: seed)
        model = VariationalAutoencoder(window: data.window, hidden: Self.hidden, generator: &generator)
        optimizer = OptimizerKind.adam.make(learningRate: learningRate)
        sampler = BatchSampler(generator: generator.split())
        noise = generator.split()
        steps = 0
        codes = Tensor(zeros: [0, 2])
        metrics = Metrics(series: ["loss", "reconstruction_term", "kl_term", "reconstruction_mse", "kl", "elbo", "test_step"]
            .map { .init(name: $0) })
        metrics.set("pca_2_mse", data.twoComponentError)
    }

    /// The two terms for `beats` with codes drawn from their distributions (training), per beat.
    private mutating func terms(_ beats: Tensor) throws -> (reconstruction: Tensor, kl: Tensor) {
        let (mean, logVariance) = model.encode(beats)
        let draw = Tensor.normal(mean.shape, generator: &noise)
        let rebuilt = model.decode(try reparameterise(mean: mean, logVariance: logVariance, noise: draw))
        let reconstruction = (rebuilt - beats).squared().sum() * (1 / (2 * Self.noiseVariance * Float(beats.shape[0])))
        return (reconstruction, try gaussianKL(mean: mean, logVariance: logVariance))
    }

    public mutating func step() throws -> StepReport {
        let rows = sampler.indices(size: Self.batch, from: data.trainCount)
        model.zeroGrad()
        let (reconstruction, kl) = try terms(train.gathering(rows, alongAxis: 0))
        let loss = reconstruction + kl * Float(beta)
        loss.backward()
        optimizer.step(&model)
        steps += 1
        metrics.append(Double(loss.item), to: "loss")
        metrics.append(Double(reconstruction.item), to: "reconstruction_term")
        metrics.append(Double(kl.item), to: "kl_term")
        if steps == 1 || steps % Self.evaluationInterval == 0 { try evaluate() }
        return StepReport(loss: Double(loss.item))
    }

    /// Encodes every test beat to its mean code and decodes it; records the three test metrics.
    private mutating func evaluate() throws {
        let (mse, klMean, means) = try withNoGrad { () throws -> (Double, Double, Tensor) in
            let (mean, logVariance) = model.encode(test)
            let rebuilt = model.decode(mean)
            let squared = Double((rebuilt - test).squared().sum().item)
            let kl = Double(try gaussianKL(mean: mean, logVariance: logVariance).item)
            return (squared / Double(test.count), kl, mean.detached())
        }
        codes = means
        let reconstructionTerm = mse * Double(data.window) / (2 * Double(Self.noiseVariance))
        metrics.append(mse, to: "reconstruction_mse")
        metrics.append(klMean, to: "kl")
        metrics.append(-(reconstructionTerm + klMean), to: "elbo")
        metrics.append(Double(steps), to: "test_step")
    }

    public var isFinite: Bool { MLPBuilder.isFinite(model.encoder) && MLPBuilder.isFinite(model.decoder) }

    public func divergenceHint() -> String? {
        "learning rate \(NumberText.format(learningRate)) is too high for Adam here; lower lr (0.001 works) and press r"
    }

    // MARK: What the panels and tests read

    /// The test beats' mean codes at the last evaluation.
    public var latentCodes: Tensor { codes }

    // MARK: Panels

    public var panelIDs: [String] { Self.panelNames }
    public static let panelNames = ["latent", "rebuild", "grid", "terms", "score"]

    public func panel(_ id: String) -> Panel? {
        switch id {
        case "latent": return latentPanel()
        case "rebuild": return rebuildPanel()
        case "grid": return gridPanel()
        case "terms":
            return MetricChart.panel(title: "The two loss terms, per beat (training batches)", metrics: metrics,
                                     series: ["reconstruction_term", "kl_term"], labels: ["reconstruction", "KL"],
                                     yScale: .logarithmic, smoothing: 0.9, finiteOnly: true)
        case "score": return scorePanel()
        default: return nil
        }
    }

    private func latentPanel() -> Panel {
        let n = codes.shape[0]
        let xy = codes.copyScalars()
        let points = (0..<n).map { ScatterPoint(x: Double(xy[2 * $0]), y: Double(xy[2 * $0 + 1]), label: data.testLabels[$0]) }
        return Panel(title: "Latent map: test beats' codes (step \(Int(metrics.values("test_step").last ?? 0)), beta \(NumberText.format(beta)))",
                     content: .scatter(ScatterSpec(points: points, classNames: data.classNames)))
    }

    private func rebuildPanel() -> Panel {
        let row = Array(data.test[(shownBeat * data.window)..<((shownBeat + 1) * data.window)])
        let rebuilt = withNoGrad { model(Tensor(shape: [1, data.window], scalars: row.map(Float.init))) }.copyScalars().map { Double($0) }
        let chart = LineChartSpec(series: [LineSeries(name: "original", values: row), LineSeries(name: "rebuilt from 2 numbers", values: rebuilt)])
        return Panel(title: "Test beat \(shownBeat) (\(data.classNames[data.testLabels[shownBeat]])) and its rebuild",
                     content: .lineChart(chart))
    }

    /// Beats decoded from a 3 x 3 grid of codes, -1.5 to 1.5 on each axis, one beat a row
    /// (colour = amplitude along its 250 samples): a heatmap stays readable at any terminal size,
    /// where nine tiny line charts would not.
    private func gridPanel() -> Panel {
        let values: [Float] = [-1.5, 0, 1.5]
        var grid: [Float] = []
        for y in values.reversed() { for x in values { grid += [x, y] } }
        let decoded = withNoGrad { model.decode(Tensor(shape: [9, 2], scalars: grid)) }.copyScalars().map { Double($0) }
        let labels = (0..<9).map { "(\(NumberText.format(Double(grid[2 * $0]))), \(NumberText.format(Double(grid[2 * $0 + 1]))))" }
        // Finite values only: a diverged decoder gives NaN, and a NaN bound would make no range.
        let bound = max(decoded.lazy.filter(\.isFinite).map(Swift.abs).max() ?? 1, 1e-6)
        let map = HeatmapSpec(rows: 9, columns: data.window, values: decoded, palette: .diverging, range: -bound...bound,
                              rowLabels: labels, showColorBar: false)
        return Panel(title: "Beats decoded from a grid of codes (rows: codes; across: 250 samples)", content: .heatmap(map))
    }

    private func scorePanel() -> Panel {
        func latest(_ name: String) -> String { metrics.latest(name).map { NumberText.format($0) } ?? "-" }
        let rows = [
            ["reconstruction_mse (vae, 2 numbers)", latest("reconstruction_mse")],
            ["PCA with 2 components", NumberText.format(data.twoComponentError)],
            ["kl", latest("kl")],
            ["elbo", latest("elbo")],
        ]
        return Panel(title: "VAE against PCA, 2 numbers a beat",
                     content: .table(TableSpec(headers: ["measure", "value"], rows: rows, alignments: [.left, .right],
                                               highlightedRows: [0, 1])))
    }

    // MARK: Checkpoints

    public func snapshot() -> LabState {
        var tensors: [String: Tensor] = ["codes": codes.detached()]
        CheckpointParts.store(model, as: "model", into: &tensors)
        CheckpointParts.store(optimizer, as: "optimizer", into: &tensors)
        return LabState(labID: id, tensors: tensors, metadata: [
            "seed": .string(String(seed)),
            "step": .number(Double(steps)),
            "beta": .number(beta),
            "lr": .number(learningRate),
            "beat": .number(Double(shownBeat)),
            "sampler": StateCoding.json(sampler.generator),
            "noise": StateCoding.json(noise),
            "metrics": StateCoding.json(metrics),
        ])
    }

    public mutating func restore(_ state: LabState) throws {
        try state.expect(lab: id)
        func bad(_ key: String, _ problem: String) -> LabStateError { .badMetadata(lab: id, key: key, problem: problem) }
        let savedSeed = try CheckpointParts.seed(in: state)
        guard let savedBeta = state.metadata["beta"]?.number, (0...4).contains(savedBeta) else { throw bad("beta", "must be 0-4") }
        guard let savedRate = state.metadata["lr"]?.number, (0.00001...0.1).contains(savedRate) else { throw bad("lr", "must be 0.00001-0.1") }
        guard let savedBeat = state.metadata["beat"]?.number.flatMap({ StateCoding.int($0, in: 0...999) }) else { throw bad("beat", "must be 0-999") }
        let savedSteps = try CheckpointParts.integer("step", in: state)
        let savedSampler = try StateCoding.generator(from: state.metadata["sampler"], key: "sampler", lab: id)
        let savedNoise = try StateCoding.generator(from: state.metadata["noise"], key: "noise", lab: id)
        let savedMetrics = try StateCoding.metrics(from: state.metadata["metrics"], key: "metrics", lab: id)
        guard let savedCodes = state.tensors["codes"], savedCodes.rank == 2, savedCodes.shape[1] == 2,
              savedCodes.shape[0] == 0 || savedCodes.shape[0] == data.testCount else {
            throw bad("codes", "must be [0 or \(data.testCount), 2]")
        }
        (beta, learningRate, shownBeat) = (savedBeta, savedRate, savedBeat)
        reset(seed: savedSeed)
        try CheckpointParts.load(&model, from: "model", in: state)
        try CheckpointParts.load(&optimizer, from: "optimizer", in: state, for: model)
        sampler = BatchSampler(generator: savedSampler)
        noise = savedNoise
        steps = savedSteps
        metrics = savedMetrics
        codes = savedCodes.detached()
    }
}
