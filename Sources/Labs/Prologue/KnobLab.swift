import Course
import MLEngine
import TextPlot

/// The prologue's lab: a model with one weight, turned first by the learner's hand and then by
/// gradient descent.
///
/// Eight patients got a blood-pressure drug; for each we know the dose (mg) and how far the
/// pressure dropped (mmHg). The model is the smallest there is, a line through the origin:
///
///     guess = dose x weight
///     loss  = average of (guess - drop)^2
///
/// In `hand` mode a step only measures the loss where the learner put the weight (and so does
/// each change of the weight, so the loss history follows the knob while paused). In `descent`
/// mode a step is one gradient-descent update, with the gradient from the engine's autodiff:
///
///     weight = weight - lr x d(loss)/d(weight)
///
/// The doses lie between 0.5 and 2.5 mg, so the average squared dose is about 2.6 and the bowl's
/// curvature d2(loss)/d(weight)2 = 2 x average(dose^2) is about 5. Each step multiplies the
/// distance to the best weight by (1 - lr x curvature): smooth for lr below about 0.19,
/// bouncing from wall to wall above it, and growing (divergence) above about 0.39.
public struct KnobLab: Lab {
    public static let labID = "knob"
    public static let labTitle = "One weight, by hand and by gradient descent"
    /// The panels, in their default order.
    public static let panelNames = ["loss", "fit", "surface"]

    /// Who moves the weight.
    public enum Mode: String, CaseIterable, Sendable {
        /// The learner, with + and - (a step just measures the loss).
        case hand
        /// Gradient descent, one update a step.
        case descent
    }

    /// The drug's true effect in the simulated clinic, mmHg per mg (unknown to the model).
    static let trueEffect = 2.8
    /// Spread of the patients' responses around the true effect, mmHg.
    static let responseNoise = 1.5
    static let patientCount = 8
    static let doseRange = 0.5...2.5
    static let weightRange = -5.0...5.0

    public let id = KnobLab.labID
    public let title = KnobLab.labTitle
    public private(set) var seed: UInt64

    // Hyperparameters.
    /// Where the weight starts after a reset: the value the learner last set.
    private var startWeight = 0.0
    private var lr = 0.01
    public private(set) var mode = Mode.hand

    // Data and model.
    /// Doses in mg, shape [patients].
    public private(set) var doses = Tensor(zeros: [0])
    /// Measured pressure drops in mmHg, shape [patients].
    public private(set) var drops = Tensor(zeros: [0])
    /// The model's one weight, shape [1].
    private var weight = Tensor(zeros: [1])
    private var rng: SeededGenerator
    public private(set) var metrics = Metrics()

    /// A lab at step 0 with the default settings (hand mode, weight 0, lr 0.01).
    public init(seed: UInt64) {
        self.seed = seed
        rng = SeededGenerator(seed: seed)
        reset(seed: seed)
    }

    // MARK: Hyperparameters

    public var parameters: [Hyperparameter] {
        [
            .linear("weight", Double(currentWeight), in: Self.weightRange, step: 0.1,
                    help: "the model's one weight: guess = dose x weight (in descent mode it follows the training)"),
            .logScale("lr", lr, in: 0.001...1, factor: 2,
                      help: "learning rate: how far each descent step moves against the gradient"),
            .choice("mode", mode.rawValue, among: Mode.allCases.map(\.rawValue), effect: .live,
                    help: "hand: you move the weight; descent: gradient descent moves it"),
        ]
    }

    public mutating func set(_ name: String, to value: HyperValue) throws {
        let checked = try parameters.checked(name, value, lab: id)
        switch name {
        case "weight":
            // Live in both modes: the weight jumps there, and a reset comes back to it.
            startWeight = checked.number!
            weight = Tensor([Float(startWeight)])
            // By hand, each nudge is the learner's own step: measure it at once, so the loss
            // panel follows the knob even while training is paused.
            if mode == .hand { recordMeasurement() }
        case "lr":
            lr = checked.number!
        default:
            mode = Mode(rawValue: checked.choice!)!
        }
    }

    public mutating func reset(seed: UInt64) {
        self.seed = seed
        rng = SeededGenerator(seed: seed)
        // One patient in each eighth of the dose range (a spread of doses, never all bunched).
        let n = Self.patientCount
        let (low, high) = (Self.doseRange.lowerBound, Self.doseRange.upperBound)
        var doseValues: [Float] = [], dropValues: [Float] = []
        for i in 0..<n {
            let dose = low + (high - low) * (Double(i) + rng.nextDouble()) / Double(n)
            let drop = Self.trueEffect * dose + rng.normal(mean: 0, std: Self.responseNoise)
            doseValues.append(Float(dose))
            dropValues.append(Float(drop))
        }
        doses = Tensor(doseValues)
        drops = Tensor(dropValues)
        weight = Tensor([Float(startWeight)])
        metrics = Metrics(series: [.init(name: "loss"), .init(name: "weight")])
    }

    // MARK: Training

    /// The weight right now.
    public var currentWeight: Float { weight.scalar(at: 0) }

    /// The model and its loss as engine operations: mean((dose x weight - drop)^2).
    private func loss(at w: Tensor) -> Tensor {
        let guesses = doses * w
        return (guesses - drops).squared().mean()
    }

    public mutating func step() throws -> StepReport {
        if mode == .descent {
            let w = weight.requiringGrad()
            let currentLoss = loss(at: w)
            currentLoss.backward()                 // fills w.grad with d(loss)/d(weight)
            let gradient = w.grad!
            weight = w.detached() - Float(lr) * gradient
        }
        // In hand mode the learner is the optimizer: the step only measures where they stand.
        return StepReport(loss: recordMeasurement())
    }

    /// Appends the loss at the current weight, and the weight, to the history.
    @discardableResult
    private mutating func recordMeasurement() -> Double {
        let value = Double(withNoGrad { loss(at: weight) }.item)
        metrics.append(value, to: "loss")
        metrics.append(Double(currentWeight), to: "weight")
        return value
    }

    public var isFinite: Bool { currentWeight.isFinite }

    // MARK: The answer, for panels and completion

    /// The least-squares weight for a line through the origin: sum(dose x drop) / sum(dose^2)
    /// (where the bowl's slope 2 x average((dose x w - drop) x dose) is zero).
    public var bestWeight: Double {
        let x = doses.copyScalars().map(Double.init), y = drops.copyScalars().map(Double.init)
        let sxy = zip(x, y).reduce(0) { $0 + $1.0 * $1.1 }
        let sxx = x.reduce(0) { $0 + $1 * $1 }
        return sxy / sxx
    }

    /// The loss at weight `w`, in Double (for the surface curve and the lowest loss).
    public func lossValue(at w: Double) -> Double {
        let x = doses.copyScalars(), y = drops.copyScalars()
        var total = 0.0
        for i in 0..<x.count {
            let error = Double(x[i]) * w - Double(y[i])
            total += error * error
        }
        return total / Double(max(x.count, 1))
    }

    /// The lowest loss any weight can reach (what remains is the patients' own variability).
    public var minimumLoss: Double { lossValue(at: bestWeight) }

    /// Twice the average squared dose: how steeply the bowl curves.
    public var curvature: Double {
        2 * doses.copyScalars().reduce(0) { $0 + Double($1) * Double($1) } / Double(max(doses.count, 1))
    }

    public var completion: CompletionCondition? {
        CompletionCondition(metric: "loss", .atMost, minimumLoss * 1.01,
                            description: "the loss is within 1% of the lowest possible (weight \(NumberText.format((bestWeight * 100).rounded() / 100)))")
    }

    public func divergenceHint() -> String? {
        // Gradient descent on this bowl converges exactly when lr x curvature < 2; below that
        // it cannot blow up, so let the session guess.
        let limit = 2 / curvature
        return lr >= limit ? LearningRateAdvice.tooHigh(lr, stableBelow: limit) : nil
    }

    // MARK: Panels

    public var panelIDs: [String] { Self.panelNames }

    public func panel(_ id: String) -> Panel? {
        switch id {
        case "loss":
            return MetricChart.panel(title: "Loss over steps", metrics: metrics, series: ["loss"],
                                     target: TargetLine(minimumLoss, label: "lowest possible"))
        case "fit":
            let points = zip(doses.copyScalars(), drops.copyScalars()).map { ScatterPoint(x: Double($0), y: Double($1)) }
            let w = Double(currentWeight)
            let line = OverlayLine(name: "guess = dose x \(NumberText.format((w * 100).rounded() / 100))", slope: w, intercept: 0)
            let spec = ScatterSpec(points: points, classNames: ["patients"], lines: [line], xRange: 0...3)
            return Panel(title: "Dose (mg) vs pressure drop (mmHg)", content: .scatter(spec))
        case "surface":
            return Panel(title: "Loss surface: loss for every weight", content: .lineChart(surfaceChart()))
        default:
            return nil
        }
    }

    /// The bowl over the weight range, a vertical mark at the current weight, and in descent
    /// mode the last few steps as a path (zigzagging across the bowl when lr is large).
    private func surfaceChart() -> LineChartSpec {
        let (low, high) = (Self.weightRange.lowerBound, Self.weightRange.upperBound)
        let grid = (0...100).map { low + (high - low) * Double($0) / 100 }
        let bowl = grid.map(lossValue(at:))
        var series = [LineSeries(name: "loss(weight)", values: bowl, x: grid)]
        // A range needs a positive, finite top (a diverged or crafted state may have neither).
        let top = bowl.max().flatMap { $0.isFinite && $0 > 0 ? $0 : nil } ?? 1
        let w = Double(currentWeight)
        if Self.weightRange.contains(w) {
            // A full-height cursor: near the bottom a mark only as tall as the loss would vanish.
            series.append(LineSeries(name: "your weight", values: [0, top], x: [w, w]))
        }
        if mode == .descent {
            let recent = metrics.values("weight").suffix(12).filter { Self.weightRange.contains($0) }
            if recent.count >= 2 {
                series.append(LineSeries(name: "recent steps", values: recent.map(lossValue(at:)), x: Array(recent)))
            }
        }
        return LineChartSpec(series: series, yRange: 0...top)
    }

    // MARK: Checkpoints

    public func snapshot() -> LabState {
        LabState(labID: id, tensors: [
            "weight": weight.detached(),
            "data.doses": doses,
            "data.drops": drops,
        ], metadata: [
            "rng": StateCoding.json(rng),
            "start_weight": StateCoding.json(startWeight),
            "hyperparameters": StateCoding.json(parameters),
            "metrics": StateCoding.json(metrics),
        ])
    }

    public mutating func restore(_ state: LabState) throws {
        try state.expect(lab: id)
        let n = Self.patientCount
        let restoredDoses = try state.tensor("data.doses", shape: [n])
        let restoredDrops = try state.tensor("data.drops", shape: [n])
        // The data are the lab's own patients, never NaN or infinite (the weight may be, after a divergence).
        guard restoredDoses.copyScalars().allSatisfy(\.isFinite), restoredDrops.copyScalars().allSatisfy(\.isFinite) else {
            throw LabStateError.badMetadata(lab: id, key: "data", problem: "must hold finite doses and drops")
        }
        let restoredWeight = try state.tensor("weight", shape: [1])
        let restoredRNG = try StateCoding.generator(from: state.metadata["rng"], key: "rng", lab: id)
        let restoredStart = try StateCoding.double(state.metadata["start_weight"], key: "start_weight", lab: id)
        let restoredMetrics = try StateCoding.metrics(from: state.metadata["metrics"], key: "metrics", lab: id)
        let settings = try StateCoding.settings(from: state.metadata["hyperparameters"], for: parameters,
                                                key: "hyperparameters", lab: id)
        // lr and mode as they were; the weight comes from its tensor (it may lie outside the
        // hyperparameter's range after a divergence), and the start from its own entry.
        for setting in settings where setting.name != "weight" { try set(setting.name, to: setting.value) }
        startWeight = restoredStart
        doses = restoredDoses
        drops = restoredDrops
        weight = restoredWeight
        rng = restoredRNG
        metrics = restoredMetrics
    }
}
