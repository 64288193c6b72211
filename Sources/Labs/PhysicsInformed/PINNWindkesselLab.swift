import CardioSim
import Course
import Foundation
import MLEngine
import TextPlot

/// `pinn-windkessel`: a physics-informed network. A small MLP p(t) learns arterial pressure
/// from a few noisy measurements taken in the first 1.2 s of a 2.4 s recording, and, with
/// `physics=on`, from the two-element Windkessel law `C dp/dt + p/R = Q(t)` at 200 collocation
/// points spread evenly over the whole recording (between the measurements and after them).
///
/// The net: t scaled to -1...1, two hidden layers of 32 tanh units, one output; pressure is
/// `offset + 20 mmHg x output`, the offset being the measurements' mean. dp/dt comes from
/// autodiff inside the loss: `gradients(of:wrt:createGraph: true)` records the derivative's
/// own graph, so the plain `backward()` of the loss trains through it.
///
/// loss = data term + physics_weight x physics term (physics on), or the data term alone:
/// - data term (`data_loss`): mean over the measurements of ((p - measured) / 20 mmHg)^2;
/// - physics term (`physics_loss`): mean over the collocation points of (residual / mean
///   inflow)^2, residual = C dp/dt + p/R - Q(t), in mL/s; always measured, trained only when on.
/// R, C and Q(t) are CardioSim's (1 mmHg s/mL, 1.5 mL/mmHg, a 70 mL half-sine ejection at 75
/// beats a minute). `extrapolation_rmse` is the net's error in mmHg against the exact curve at
/// every sample after the measurement window; `window_rmse` the same inside it.
///
/// `mode=inverse` turns the question around: R and C are unknown. They start from a wrong guess
/// (half the true R, twice the true C) and are trained with the net, by their own Adam, through
/// the physics term: the only values that let one smooth p(t) both pass through the
/// measurements and obey the law are close to the true ones. They are learned as logarithms, so
/// they stay positive and a step changes them by a ratio. `learned_r` and `learned_c` report them.
public struct PINNWindkesselLab: Lab {
    public static let labID = "pinn-windkessel"
    /// Steps within which the promise is checked (`.ci/promises/ch7-unet-pinn.sh`).
    public static let defaultStepBudget = 1500
    public static let evaluationInterval = 10
    static let hidden = 32
    static let collocationCount = 200
    /// mmHg: one unit of the net's output.
    static let pressureScale = 20.0
    /// The inverse mode's starting guess, as a multiple of the true value: R halved, C doubled.
    static let guessFactors = (resistance: 0.5, compliance: 2.0)

    public enum Mode: String, CaseIterable, Sendable {
        /// R and C are given; the net learns p(t).
        case forward
        /// R and C are unknown and learned along with p(t).
        case inverse
    }

    public let id = PINNWindkesselLab.labID
    public let title = "A physics-informed net extrapolates blood pressure"
    public private(set) var seed: UInt64

    struct Settings: Equatable {
        var physics = true
        var physicsWeight = 1.0
        var measurements = 12
        var learningRate = 0.003
        var mode = Mode.forward
    }
    private var settings = Settings()
    private var built = Settings()

    private var data: WindkesselData
    private var problem: Problem
    private var model: Sequential
    private var optimizer: any Optimizer
    /// Inverse mode: log R and log C, each [1], and the Adam that trains them.
    private var unknowns: Unknowns
    private var unknownsOptimizer: any Optimizer
    private var steps = 0
    /// The net's pressure at every sample of the recording, mmHg (last evaluation).
    private var predicted: [Double] = []
    /// The physics residual at the collocation points, mL/s (last evaluation).
    private var residual: [Double] = []
    public private(set) var metrics = Metrics()
    /// The latest evaluation of every configuration trained so far (kept across resets), for the
    /// `runs` panel: extrapolation_rmse, window_rmse and the step.
    private var runs: [String: [Double]] = [:]

    public init(seed: UInt64) {
        self.seed = seed
        data = WindkesselData.make(measurements: settings.measurements)
        problem = Problem(data: data)
        var generator = SeededGenerator(seed: seed)
        model = Self.makeModel(&generator)
        optimizer = OptimizerKind.adam.make(learningRate: settings.learningRate)
        unknowns = Unknowns(guessFor: data)
        unknownsOptimizer = OptimizerKind.adam.make(learningRate: settings.learningRate)
        reset(seed: seed)
    }

    static func makeModel(_ generator: inout SeededGenerator) -> Sequential {
        Sequential([
            Linear(inputs: 1, outputs: hidden, initializer: .xavierUniform, generator: &generator), Tanh(),
            Linear(inputs: hidden, outputs: hidden, initializer: .xavierUniform, generator: &generator), Tanh(),
            Linear(inputs: hidden, outputs: 1, initializer: .xavierUniform, generator: &generator),
        ])
    }

    // MARK: Hyperparameters

    public var parameters: [Hyperparameter] { Self.parameters(settings) }
    public static var defaultParameters: [Hyperparameter] { parameters(Settings()) }

    static func parameters(_ s: Settings) -> [Hyperparameter] {
        [
            .choice("physics", s.physics ? "on" : "off", among: ["on", "off"], effect: .reset,
                    help: "train on the Windkessel law at 200 points over the whole recording too (off: the measurements alone)"),
            .logScale("physics_weight", s.physicsWeight, in: 0.01...100, factor: 2,
                      help: "weight of the physics term against the data term"),
            .linear("measurements", Double(s.measurements), in: 1...40, step: 1, integer: true, effect: .reset,
                    help: "noisy pressure measurements, all in the first 1.2 s"),
            .logScale("lr", s.learningRate, in: 0.0001...0.03, factor: 2, help: "Adam learning rate"),
            .choice("mode", s.mode.rawValue, among: Mode.allCases.map(\.rawValue), effect: .reset,
                    help: "inverse: R and C are unknown, start from a wrong guess and are learned with p(t)"),
        ]
    }

    public mutating func set(_ name: String, to value: HyperValue) throws {
        let checked = try parameters.checked(name, value, lab: id)
        switch name {
        case "physics": settings.physics = checked.choice == "on"
        case "physics_weight": settings.physicsWeight = checked.number ?? settings.physicsWeight
        case "measurements": settings.measurements = checked.number.map { Int($0) } ?? settings.measurements
        case "mode": settings.mode = checked.choice.flatMap(Mode.init(rawValue:)) ?? settings.mode
        default:
            settings.learningRate = checked.number ?? settings.learningRate
            optimizer.learningRate = Float(settings.learningRate)
            unknownsOptimizer.learningRate = Float(settings.learningRate)
        }
    }

    // MARK: Training

    public mutating func reset(seed: UInt64) {
        self.seed = seed
        built = settings
        data = WindkesselData.make(measurements: settings.measurements)
        problem = Problem(data: data)
        var generator = SeededGenerator(seed: seed)
        model = Self.makeModel(&generator)
        optimizer = OptimizerKind.adam.make(learningRate: settings.learningRate)
        unknowns = Unknowns(guessFor: data)
        unknownsOptimizer = OptimizerKind.adam.make(learningRate: settings.learningRate)
        steps = 0
        let learned = settings.mode == .inverse ? ["learned_r", "learned_c"] : []
        metrics = Metrics(series: (["loss", "data_loss", "physics_loss", "extrapolation_rmse", "window_rmse"] + learned + ["test_step"])
            .map { .init(name: $0) })
        evaluate()
    }

    /// R and C as the physics term uses them: learned in inverse mode, CardioSim's otherwise.
    private var lawUnknowns: Unknowns? { built.mode == .inverse ? unknowns : nil }

    public mutating func step() throws -> StepReport {
        model.zeroGrad()
        unknowns.zeroGrad()
        let dataTerm = problem.dataTerm(model)
        let physicsTerm = problem.physicsTerm(model, unknowns: lawUnknowns, trained: settings.physics)
        let loss = settings.physics ? dataTerm + physicsTerm * Float(settings.physicsWeight) : dataTerm
        loss.backward()
        optimizer.step(&model)
        // Without the physics term nothing reaches R and C: they keep their guess.
        if built.mode == .inverse { unknowns.update(with: &unknownsOptimizer) }
        steps += 1
        metrics.append(Double(loss.item), to: "loss")
        metrics.append(Double(dataTerm.item), to: "data_loss")
        metrics.append(Double(physicsTerm.item), to: "physics_loss")
        let done = steps == Self.defaultStepBudget
        if steps == 1 || steps % Self.evaluationInterval == 0 || done { evaluate() }
        // The session pauses at the budget, so runs the lesson compares stop at the same step;
        // stepping on (Space again, or `run --steps`) keeps training.
        return StepReport(loss: Double(loss.item), finished: done,
                          note: done ? "pinn-windkessel: the budget of \(Self.defaultStepBudget) steps is spent; Space trains on" : nil)
    }

    /// The net's curve over the recording and its residual at the collocation points; the two
    /// errors against the exact curve.
    private mutating func evaluate() {
        let (curve, residualValues) = problem.evaluate(model, unknowns: lawUnknowns)
        predicted = curve
        residual = residualValues
        var inside = 0.0, insideCount = 0, outside = 0.0, outsideCount = 0
        for (i, t) in data.curve.times.enumerated() {
            let e = curve[i] - data.curve.pressure[i]
            if t <= data.window.upperBound { inside += e * e; insideCount += 1 } else { outside += e * e; outsideCount += 1 }
        }
        metrics.append((outside / Double(max(outsideCount, 1))).squareRoot(), to: "extrapolation_rmse")
        metrics.append((inside / Double(max(insideCount, 1))).squareRoot(), to: "window_rmse")
        if built.mode == .inverse {
            metrics.append(unknowns.resistance, to: "learned_r")
            metrics.append(unknowns.compliance, to: "learned_c")
        }
        metrics.append(Double(steps), to: "test_step")
        if steps > 0 {
            runs[configurationName] = [metrics.latest("extrapolation_rmse") ?? .nan, metrics.latest("window_rmse") ?? .nan, Double(steps)]
        }
    }

    /// How the `runs` panel names the current configuration.
    private var configurationName: String {
        let physics = settings.physics ? "physics on, weight \(NumberText.format(settings.physicsWeight))" : "physics off"
        return "\(physics), \(settings.measurements) measurements" + (built.mode == .inverse ? ", R and C learned" : "")
    }

    /// The `runs` panel's rows: configuration, extrapolation_rmse, window_rmse, step.
    var finishedRuns: [(name: String, values: [Double])] { runs.keys.sorted().map { ($0, runs[$0]!) } }

    public var isFinite: Bool { MLPBuilder.isFinite(model) }

    public func divergenceHint() -> String? {
        "learning rate \(NumberText.format(settings.learningRate)) or physics weight \(NumberText.format(settings.physicsWeight)) is too high; lower them (lr 0.003, weight 1 work) and press r"
    }

    // MARK: What the panels and tests read

    /// The net's pressure at every sample of the recording at the last evaluation, mmHg.
    public var predictedPressure: [Double] { predicted }
    /// The exact curve's times and pressures, and the measurements.
    var truth: WindkesselCurve { data.curve }

    // MARK: Panels

    public var panelIDs: [String] { Self.panelNames }
    public static let panelNames = ["curve", "residual", "losses", "score", "runs", "unknowns"]

    public func panel(_ id: String) -> Panel? {
        switch id {
        case "curve": return curvePanel()
        case "residual": return residualPanel()
        case "losses":
            return MetricChart.panel(title: "Data and physics losses (training)", metrics: metrics,
                                     series: ["data_loss", "physics_loss"], labels: ["data", "physics"],
                                     yScale: .logarithmic, finiteOnly: true)
        case "score": return scorePanel()
        case "runs": return runsPanel()
        case "unknowns": return unknownsPanel()
        default: return nil
        }
    }

    /// The exact curve, the measurements (points), the net's curve and the window's end, with the
    /// y axis fixed around the exact curve so a wild net curve is cut at the edges, not squashing it.
    private func curvePanel() -> Panel {
        let times = data.curve.times, truth = data.curve.pressure
        let low = (truth.min() ?? 0) - 40, high = (truth.max() ?? 1) + 40
        let net = predicted.map { $0.isFinite ? min(max($0, low), high) : high }
        let points = zip(data.curve.measurementTimes, data.curve.measurements).map { ScatterPoint(x: $0, y: $1) }
        let lines = [
            OverlayLine(name: "true pressure", points: zip(times, truth).map { PlotPoint(x: $0, y: $1) }),
            OverlayLine(name: "net p(t)", points: zip(times, net).map { PlotPoint(x: $0, y: $1) }),
            OverlayLine(name: "end of measurements", points: [PlotPoint(x: data.window.upperBound, y: low), PlotPoint(x: data.window.upperBound, y: high)]),
        ]
        let spec = ScatterSpec(points: points, classNames: ["measurements"], lines: lines,
                               xRange: 0...data.duration, yRange: low...high)
        return Panel(title: "Pressure, mmHg, along t, s (physics \(settings.physics ? "on" : "off"), step \(steps))", content: .scatter(spec))
    }

    private func residualPanel() -> Panel {
        let values = residual.map { $0.isFinite ? $0 : 0 }
        let chart = LineChartSpec(series: [
            LineSeries(name: "C dp/dt + p/R - Q", values: values, x: problem.collocationTimes),
            LineSeries(name: "0", values: [0, 0], x: [0, data.duration]),
        ])
        return Panel(title: "Physics residual along t, mL/s (measurements end at \(NumberText.format(data.window.upperBound)) s)",
                     content: .lineChart(chart))
    }

    private func scorePanel() -> Panel {
        func latest(_ name: String) -> String { metrics.latest(name).map { NumberText.format($0) } ?? "-" }
        let rows = [
            ["extrapolation_rmse, mmHg (after 1.2 s)", latest("extrapolation_rmse")],
            ["window_rmse, mmHg (first 1.2 s)", latest("window_rmse")],
            ["data_loss", latest("data_loss")],
            ["physics_loss", latest("physics_loss")],
            ["measurements, noise 2 mmHg", "\(data.curve.measurements.count)"],
        ]
        return Panel(title: "Errors against the true curve (physics \(settings.physics ? "on" : "off"))",
                     content: .table(TableSpec(headers: ["measure", "value"], rows: rows, alignments: [.left, .right],
                                               highlightedRows: [0])))
    }

    /// Inverse mode: R and C, guessed, learned and true, with the learned value's error.
    private func unknownsPanel() -> Panel {
        let config = data.config
        guard built.mode == .inverse else {
            let given = "R = \(NumberText.format(config.resistance)) mmHg s/mL and C = \(NumberText.format(config.compliance)) mL/mmHg are given. "
                + "Set mode inverse (and r) to learn them from the measurements instead."
            return Panel(title: "R and C: given (mode forward)", content: .text(given))
        }
        let guess = Unknowns(guessFor: data)
        func row(_ name: String, _ guessed: Double, _ learned: Double, _ truth: Double) -> [String] {
            [name, NumberText.format(guessed), NumberText.format(learned), NumberText.format(truth),
             String(format: "%+.1f%%", 100 * (learned - truth) / truth)]
        }
        let table = TableSpec(headers: ["unknown", "start", "learned", "true", "error"], rows: [
            row("R, mmHg s/mL (learned_r)", guess.resistance, unknowns.resistance, config.resistance),
            row("C, mL/mmHg (learned_c)", guess.compliance, unknowns.compliance, config.compliance),
        ], alignments: [.left, .right, .right, .right, .right])
        return Panel(title: "R and C learned from the data (step \(steps))", content: .table(table))
    }

    private func runsPanel() -> Panel {
        let rows = finishedRuns.map { run in [run.name] + run.values.map { NumberText.format($0) } }
        let current = finishedRuns.firstIndex { $0.name == configurationName }
        let table = TableSpec(headers: ["run", "extrapolation_rmse", "window_rmse", "step"],
                              rows: rows.isEmpty ? [["(train to fill this table)", "-", "-", "-"]] : rows,
                              alignments: [.left, .right, .right, .right], highlightedRows: current.map { [$0] } ?? [])
        return Panel(title: "Runs so far, side by side (mmHg)", content: .table(table))
    }

    // MARK: Checkpoints

    public func snapshot() -> LabState {
        var tensors: [String: Tensor] = [
            "predicted": Tensor(shape: [predicted.count], scalars: predicted.map(Float.init)),
            "residual": Tensor(shape: [residual.count], scalars: residual.map(Float.init)),
        ]
        CheckpointParts.store(model, as: "model", into: &tensors)
        CheckpointParts.store(optimizer, as: "optimizer", into: &tensors)
        tensors[Unknowns.resistanceName] = unknowns.logResistance.detached()
        tensors[Unknowns.complianceName] = unknowns.logCompliance.detached()
        CheckpointParts.store(unknownsOptimizer, as: "unknowns_optimizer", into: &tensors)
        var metadata = CheckpointParts.runMetadata(of: self, seed: seed, step: steps, built: Self.parameters(built), metrics: metrics)
        metadata["runs"] = .object(runs.mapValues { .array($0.map { StateCoding.json($0) }) })
        return LabState(labID: id, tensors: tensors, metadata: metadata)
    }

    public mutating func restore(_ state: LabState) throws {
        try state.expect(lab: id)
        let saved = try CheckpointParts.savedRun(in: state)
        var copy = try CheckpointParts.rebuild(self, from: state, seed: saved.seed)
        try CheckpointParts.load(&copy.model, from: "model", in: state)
        try CheckpointParts.load(&copy.optimizer, from: "optimizer", in: state, for: copy.model)
        // Checkpoints from before the inverse mode have no unknowns: they keep the fresh guess.
        if state.tensors[Unknowns.resistanceName] != nil || state.tensors[Unknowns.complianceName] != nil {
            copy.unknowns = try Unknowns(logResistance: state.tensor(Unknowns.resistanceName, shape: [1]),
                                         logCompliance: state.tensor(Unknowns.complianceName, shape: [1]))
            guard copy.unknowns.resistance.isFinite, copy.unknowns.compliance.isFinite else {
                throw LabStateError.badMetadata(lab: id, key: Unknowns.resistanceName, problem: "R and C must be finite")
            }
        }
        try CheckpointParts.load(&copy.unknownsOptimizer, from: "unknowns_optimizer", in: state,
                                 shapes: [Unknowns.resistanceName: [1], Unknowns.complianceName: [1]])
        let curve = try state.tensor("predicted", shape: [copy.data.curve.times.count])
        let residualValues = try state.tensor("residual", shape: [Self.collocationCount])
        copy.predicted = curve.copyScalars().map(Double.init)
        copy.residual = residualValues.copyScalars().map(Double.init)
        var savedRuns: [String: [Double]] = [:]
        for (name, value) in state.metadata["runs"]?.object ?? [:] {
            guard let values = value.array?.compactMap(StateCoding.double(from:)), values.count == 3 else {
                throw LabStateError.badMetadata(lab: id, key: "runs", problem: "each run must hold 3 numbers")
            }
            savedRuns[name] = values
        }
        copy.runs = savedRuns
        copy.steps = saved.step
        copy.metrics = saved.metrics
        self = copy
    }
}

extension PINNWindkesselLab {
    /// The fixed tensors of one data set: measurements and collocation points in the net's units.
    struct Problem {
        /// Measurement times scaled to -1...1, [M, 1], and their pressures in net units, [M, 1].
        let measurementInputs: Tensor
        let measurementTargets: Tensor
        /// Collocation times scaled to -1...1, [N, 1], and Q(t) / mean inflow there, [N, 1].
        let collocationInputs: Tensor
        let collocationInflow: Tensor
        /// Every sample of the recording scaled to -1...1, [samples, 1].
        let curveInputs: Tensor
        let collocationTimes: [Double]
        /// Pressure = offset + scale x output, mmHg.
        let offset: Double
        let scale = PINNWindkesselLab.pressureScale
        /// residual / mean inflow = a dnet/dt' + b net + c - Q / mean inflow, with t' the scaled
        /// time, a = C x perCompliance and b = perConductance / R, c = offsetPerConductance / R.
        let perCompliance: Float, perConductance: Float, offsetPerConductance: Float
        /// a, b and c with CardioSim's R and C (the forward mode).
        let a: Float, b: Float, c: Float
        let meanInflow: Double

        init(data: WindkesselData) {
            let duration = data.duration
            func scaled(_ t: [Double]) -> Tensor { Tensor(shape: [t.count, 1], scalars: t.map { Float(2 * $0 / duration - 1) }) }
            let measured = data.curve.measurements
            let mean = measured.isEmpty ? 0 : measured.reduce(0, +) / Double(measured.count)
            offset = mean
            measurementInputs = scaled(data.curve.measurementTimes)
            measurementTargets = Tensor(shape: [measured.count, 1], scalars: measured.map { Float(($0 - mean) / PINNWindkesselLab.pressureScale) })
            let n = PINNWindkesselLab.collocationCount
            let times = (0..<n).map { duration * Double($0) / Double(n - 1) }
            collocationTimes = times
            collocationInputs = scaled(times)
            let config = data.config
            let flow = config.strokeVolume / config.period
            meanInflow = flow
            collocationInflow = Tensor(shape: [n, 1], scalars: times.map { Float(config.inflow($0) / flow) })
            curveInputs = scaled(data.curve.times)
            // dp/dt = scale x dnet/dt' x 2 / duration.
            perCompliance = Float(PINNWindkesselLab.pressureScale * 2 / (duration * meanInflow))
            perConductance = Float(PINNWindkesselLab.pressureScale / meanInflow)
            offsetPerConductance = Float(offset / meanInflow)
            a = Float(config.compliance * PINNWindkesselLab.pressureScale * 2 / (duration * meanInflow))
            b = Float(PINNWindkesselLab.pressureScale / (config.resistance * meanInflow))
            c = Float(offset / (config.resistance * meanInflow))
        }

        func dataTerm(_ model: Sequential) -> Tensor {
            (model(measurementInputs) - measurementTargets).squared().mean()
        }

        /// The residual in units of the mean inflow, with dp/dt from autodiff; recorded for a
        /// second backward pass only when `trained`. With `unknowns`, R and C are theirs (and
        /// get gradients); without, CardioSim's.
        func scaledResidual(_ model: Sequential, unknowns: Unknowns?, trained: Bool) -> Tensor {
            let t = collocationInputs.requiringGrad()
            let output = model(t)
            let slope = gradients(of: output.sum(), wrt: [t], createGraph: trained)[0]
            let residual: Tensor
            if let unknowns {
                let compliance = unknowns.logCompliance.exp(), conductance = (-unknowns.logResistance).exp()
                residual = slope * (compliance * perCompliance) + output * (conductance * perConductance)
                    + conductance * offsetPerConductance - collocationInflow
            } else {
                residual = slope * a + output * b + c - collocationInflow
            }
            return trained ? residual : residual.detached()
        }

        func physicsTerm(_ model: Sequential, unknowns: Unknowns?, trained: Bool) -> Tensor {
            // Untrained, the residual is detached, so squaring it records nothing.
            scaledResidual(model, unknowns: unknowns, trained: trained).squared().mean()
        }

        /// The net's pressure at every sample (mmHg) and the residual at the collocation points (mL/s).
        func evaluate(_ model: Sequential, unknowns: Unknowns?) -> (pressure: [Double], residual: [Double]) {
            let output = withNoGrad { model(curveInputs) }.copyScalars()
            let residual = scaledResidual(model, unknowns: unknowns, trained: false).copyScalars()
            return (output.map { offset + scale * Double($0) }, residual.map { Double($0) * meanInflow })
        }
    }
}

extension PINNWindkesselLab {
    /// The inverse problem's unknowns, R and C, kept as logarithms ([1] each, trainable).
    struct Unknowns {
        static let resistanceName = "log_resistance", complianceName = "log_compliance"
        private(set) var logResistance: Tensor
        private(set) var logCompliance: Tensor

        init(logResistance: Tensor, logCompliance: Tensor) {
            self.logResistance = logResistance.detached().requiringGrad()
            self.logCompliance = logCompliance.detached().requiringGrad()
        }

        /// The starting guess: `guessFactors` times CardioSim's values.
        init(guessFor data: WindkesselData) {
            let guess = PINNWindkesselLab.guessFactors
            self.init(logResistance: Tensor(shape: [1], scalars: [Float(Foundation.log(data.config.resistance * guess.resistance))]),
                      logCompliance: Tensor(shape: [1], scalars: [Float(Foundation.log(data.config.compliance * guess.compliance))]))
        }

        var resistance: Double { Foundation.exp(Double(logResistance.scalar(at: 0))) }
        var compliance: Double { Foundation.exp(Double(logCompliance.scalar(at: 0))) }

        func zeroGrad() {
            logResistance.zeroGrad()
            logCompliance.zeroGrad()
        }

        mutating func update(with optimizer: inout any Optimizer) {
            optimizer.update(&logResistance, named: Self.resistanceName)
            optimizer.update(&logCompliance, named: Self.complianceName)
        }
    }
}
