import CardioSim
import Course
import Foundation
import MLEngine
import TextPlot

/// Chapter 1's lab: one neuron, y = w x + b, fitted to ten-year cardiac risk (%) against age
/// by two optimizers side by side.
///
/// - Gradient descent, one step a tick, with the engine's autodiff and SGD:
///
///       guess  = weight x input + bias
///       loss   = average of (guess - truth)^2                  (MSE)
///       weight -= lr x grad_w,  grad_w = average of 2 x error x input
///       bias   -= lr x grad_b,  grad_b = average of 2 x error
///
/// - Ordinary least squares, once, in closed form (`LeastSquares.fit`):
///
///       weight = sum (x - mean x)(y - mean y) / sum (x - mean x)^2
///       bias   = mean y - weight x mean x
///
/// Gradient descent sees the age centred on the patients' mean age and counted in decades
/// (`InputScaling`): raw ages of 30-80 would make the bowl thousands of times steeper along
/// the weight than along the bias, and no learning rate would suit both. Everything shown
/// (weight, bias, lines, losses) is in the original units: risk points per year of age, and
/// the risk the line gives at age 0.
///
/// With centred inputs the bowl's curvatures are 2 (bias) and 2 x average(x'^2), about 4.2
/// (weight), so lr 0.01 shrinks the distance to the OLS answer by 2-4% a step (a few hundred
/// steps to agree to three decimals), the loss bounces for lr above about 0.24, and it explodes
/// above about 0.48.
///
/// `data = bend` is the limitation: risk flat until 55 and steep after. The best straight line
/// then leaves U-shaped residuals and a loss far above the noise, however long it trains.
public struct NeuronLab: Lab {
    public static let labID = "neuron"
    public static let labTitle = "One neuron: risk against age"
    /// The panels, in their default order.
    public static let panelNames = ["scatter", "loss", "params", "residuals"]

    /// Which risk curve the patients follow.
    public enum DataShape: String, CaseIterable, Sendable {
        /// Risk rising by the same amount every year (recipe `risk-line`).
        case line
        /// Risk nearly flat until 55, then steep (recipe `risk-bend`).
        case bend

        var recipeName: String { "risk-\(rawValue)" }
    }

    /// Gradient descent counts age in decades from the mean age.
    static let ageUnit = 10.0

    public let id = NeuronLab.labID
    public let title = NeuronLab.labTitle
    public private(set) var seed: UInt64

    // Hyperparameters.
    private var lr = 0.01
    public private(set) var dataShape = DataShape.line
    /// 0 = noise-free; 0.5 = the recipe's own noise; 1 = twice it.
    private var noise = 0.5
    private var points = 200

    // Data: ages (years) and risks (%), shape [points]; the ages as gradient descent sees them.
    public private(set) var ages = Tensor(zeros: [0])
    public private(set) var risks = Tensor(zeros: [0])
    private var inputs = Tensor(zeros: [0])
    public private(set) var scaling = InputScaling(centre: 0, unit: 1)
    /// Why the data came from the built-in recipe instead of a Datasets file, if it did.
    private var dataNote: String?

    // Gradient descent's neuron (on scaled inputs) and optimizer.
    private var weight = Tensor(zeros: [1])
    private var bias = Tensor(zeros: [1])
    private var optimizer = SGD(learningRate: 0.01)

    /// The closed-form (OLS) line for the current data, in original units, and its loss.
    public private(set) var olsWeight = 0.0
    public private(set) var olsBias = 0.0
    public private(set) var olsLoss = 0.0

    public private(set) var metrics = Metrics()

    /// A lab at step 0 with the default settings (data line, noise 0.5, 200 points, lr 0.01).
    public init(seed: UInt64) {
        self.seed = seed
        reset(seed: seed)
    }

    // MARK: Hyperparameters

    public var parameters: [Hyperparameter] {
        [
            .logScale("lr", lr, in: 0.0001...1, factor: 2,
                      help: "learning rate of gradient descent (the OLS line needs none)"),
            .choice("data", dataShape.rawValue, among: DataShape.allCases.map(\.rawValue),
                    help: "line: risk rises evenly with age; bend: flat until 55, then steep"),
            .linear("noise", noise, in: 0...1, step: 0.1, effect: .reset,
                    help: "scatter of the risks: 0 none, 0.5 the usual (sd 2 points), 1 twice that"),
            .logScale("points", Double(points), in: 10...500, factor: 2, integer: true, effect: .reset,
                      help: "how many patients the data set has"),
        ]
    }

    public mutating func set(_ name: String, to value: HyperValue) throws {
        let checked = try parameters.checked(name, value, lab: id)
        switch name {
        case "lr": lr = checked.number!
        case "data": dataShape = DataShape(rawValue: checked.choice!)!
        case "noise": noise = checked.number!
        default: points = Int(checked.number!)
        }
    }

    public mutating func reset(seed: UInt64) {
        self.seed = seed
        let curve = Self.makeData(shape: dataShape, noise: noise, points: points, seed: seed)
        dataNote = curve.note
        install(ages: Tensor(curve.data.ages.map(Float.init)), risks: Tensor(curve.data.risks.map(Float.init)))
        // Start from the flat line at 0 (in scaled units), so the descent visibly swings in.
        weight = Tensor(zeros: [1]).requiringGrad()
        bias = Tensor(zeros: [1]).requiringGrad()
        optimizer = SGD(learningRate: Float(lr))
        metrics = Metrics(series: [.init(name: "loss"), .init(name: "weight"), .init(name: "bias")],
                          scalars: [.init(name: "ols_loss", value: olsLoss),
                                    .init(name: "ols_weight", value: olsWeight),
                                    .init(name: "ols_bias", value: olsBias)])
    }

    /// The patients for `shape`, from the data-set recipe (a Datasets file, else the built-in
    /// one) with its count and noise replaced by this lab's settings. A malformed recipe file
    /// falls back to the built-in recipe, and the note says why.
    static func makeData(shape: DataShape, noise: Double, points: Int, seed: UInt64) -> (data: RiskCurve, note: String?) {
        func adjusted(_ config: RiskCurveConfig) -> RiskCurveConfig {
            var config = config
            config.count = points
            config.noise *= noise / 0.5          // 0.5 keeps the recipe's own noise
            return config
        }
        do {
            guard case .riskCurve(let config) = try DatasetCatalog().recipe(named: shape.recipeName).parameters else {
                throw CardioSimError.invalidParameter("recipe '\(shape.recipeName)' is not made by the risk-curve generator")
            }
            return (try RiskCurve.generate(adjusted(config), seed: seed), nil)
        } catch {
            let note = "using the built-in '\(shape.recipeName)' data: \(error)"
            guard case .riskCurve(let builtIn)? = BuiltInRecipes.recipe(named: shape.recipeName)?.parameters else {
                preconditionFailure("the built-in recipes lack '\(shape.recipeName)'")
            }
            do { return (try RiskCurve.generate(adjusted(builtIn), seed: seed), note) } catch {
                preconditionFailure("the built-in '\(shape.recipeName)' recipe cannot generate \(points) points: \(error)")
            }
        }
    }

    /// Sets the data and everything derived from it: the scaled inputs and the OLS answer.
    private mutating func install(ages newAges: Tensor, risks newRisks: Tensor) {
        ages = newAges
        risks = newRisks
        let ageValues = ages.copyScalars().map(Double.init)
        scaling = InputScaling.centring(ageValues, unit: Self.ageUnit)
        inputs = Tensor(scaling.apply(ageValues).map(Float.init))
        let riskValues = risks.copyScalars().map(Double.init)
        // The closed form. Ages drawn from a range never all coincide, so the fit exists; were
        // they all equal, the best "line" would be flat at the mean risk.
        if let fit = try? LeastSquares.fit(features: ages.reshaped([ages.count, 1]), targets: risks) {
            (olsWeight, olsBias) = (fit.weights[0], fit.intercept)
        } else {
            (olsWeight, olsBias) = (0, riskValues.reduce(0, +) / Double(max(riskValues.count, 1)))
        }
        olsLoss = Self.averageSquaredError(of: (olsWeight, olsBias), ages: ageValues, risks: riskValues)
    }

    static func averageSquaredError(of line: (weight: Double, bias: Double), ages: [Double], risks: [Double]) -> Double {
        var total = 0.0
        for (x, y) in zip(ages, risks) {
            let error = line.weight * x + line.bias - y
            total += error * error
        }
        return total / Double(max(ages.count, 1))
    }

    // MARK: Training

    /// Gradient descent's current line in original units (per year of age; risk at age 0).
    public var line: (weight: Double, bias: Double) {
        scaling.lineInOriginalUnits(weight: Double(weight.scalar(at: 0)), bias: Double(bias.scalar(at: 0)))
    }

    /// guess = weight x input + bias, for every patient at once.
    private func guesses(_ w: Tensor, _ b: Tensor) -> Tensor { inputs * w + b }

    public mutating func step() throws -> StepReport {
        weight.zeroGrad()
        bias.zeroGrad()
        let loss = try meanSquaredError(guesses(weight, bias), risks)   // average of (guess - truth)^2
        loss.backward()                         // grad_w = avg 2 x error x input, grad_b = avg 2 x error
        optimizer.learningRate = Float(lr)
        optimizer.update(&weight, named: "weight")   // weight -= lr x grad_w
        optimizer.update(&bias, named: "bias")       // bias   -= lr x grad_b
        // Record the line the step arrived at, with its loss.
        let after = Double(try withNoGrad { try meanSquaredError(guesses(weight, bias), risks) }.item)
        let current = line
        metrics.append(after, to: "loss")
        metrics.append(current.weight, to: "weight")
        metrics.append(current.bias, to: "bias")
        let note = metrics.values("loss").count == 1 ? dataNote : nil
        return StepReport(loss: after, note: note)
    }

    public var isFinite: Bool { weight.scalar(at: 0).isFinite && bias.scalar(at: 0).isFinite }

    public var completion: CompletionCondition? {
        CompletionCondition(metric: "loss", .atMost, olsLoss * 1.001 + 1e-9,
                            description: "gradient descent reached the OLS loss (within 0.1%)")
    }

    /// The largest stable learning rate: 2 / the bowl's largest curvature, which is
    /// 2 x max(1, average(x'^2)) for centred inputs x'.
    public var stableLearningRateLimit: Double {
        let x = inputs.copyScalars()
        let meanSquare = x.reduce(0) { $0 + Double($1) * Double($1) } / Double(max(x.count, 1))
        return 1 / max(1, meanSquare)
    }

    public func divergenceHint() -> String? {
        // Below the limit plain gradient descent on this bowl cannot blow up: let the session guess.
        lr >= stableLearningRateLimit ? LearningRateAdvice.tooHigh(lr, stableBelow: stableLearningRateLimit) : nil
    }

    // MARK: Residuals

    /// Truth minus the OLS line's guess for each patient, in age order.
    public var olsResiduals: [Double] {
        zip(ages.copyScalars(), risks.copyScalars()).map { x, y in Double(y) - (olsWeight * Double(x) + olsBias) }
    }

    // MARK: Panels

    public var panelIDs: [String] { Self.panelNames }

    public func panel(_ id: String) -> Panel? {
        let ageValues = ages.copyScalars().map(Double.init)
        switch id {
        case "scatter":
            let patients = zip(ageValues, risks.copyScalars()).map { ScatterPoint(x: $0, y: Double($1)) }
            let current = line
            let lines = [
                OverlayLine(name: "gradient descent", slope: current.weight, intercept: current.bias),
                OverlayLine(name: "OLS", slope: olsWeight, intercept: olsBias),
            ]
            let spec = ScatterSpec(points: patients, classNames: ["patients"], lines: lines)
            return Panel(title: "Risk (%) vs age, with both fitted lines", content: .scatter(spec))
        case "loss":
            return MetricChart.panel(title: "Loss (MSE) of gradient descent", metrics: metrics, series: ["loss"],
                                     target: TargetLine(olsLoss, label: "OLS"), yScale: .logarithmic)
        case "params":
            return MetricChart.panel(title: "Weight (per year) and bias", metrics: metrics, series: ["weight", "bias"],
                                     references: [("OLS weight", olsWeight), ("OLS bias", olsBias)])
        case "residuals":
            let points = zip(ageValues, olsResiduals).map { ScatterPoint(x: $0, y: $1) }
            let spec = ScatterSpec(points: points, classNames: ["truth - OLS guess"],
                                   lines: [OverlayLine(name: "zero", slope: 0, intercept: 0)])
            return Panel(title: "Residuals against age", content: .scatter(spec))
        default:
            return nil
        }
    }

    // MARK: Checkpoints

    public func snapshot() -> LabState {
        var tensors = [
            "weight": weight.detached(),
            "bias": bias.detached(),
            "data.ages": ages,
            "data.risks": risks,
        ]
        CheckpointParts.store(optimizer, as: "sgd", into: &tensors)
        return LabState(labID: id, tensors: tensors, metadata: [
            "hyperparameters": StateCoding.json(parameters),
            "metrics": StateCoding.json(metrics),
            "input_scaling": .object(["centre": StateCoding.json(scaling.centre), "unit": StateCoding.json(scaling.unit)]),
        ])
    }

    public mutating func restore(_ state: LabState) throws {
        try state.expect(lab: id)
        let settings = try StateCoding.settings(from: state.metadata["hyperparameters"], for: parameters,
                                                key: "hyperparameters", lab: id)
        let restoredMetrics = try StateCoding.metrics(from: state.metadata["metrics"], key: "metrics", lab: id)
        guard let n = state.tensors["data.ages"]?.count, n >= 2 else {
            throw LabStateError.missingTensor(lab: id, name: "data.ages")
        }
        let restoredAges = try state.tensor("data.ages", shape: [n])
        let restoredRisks = try state.tensor("data.risks", shape: [n])
        guard restoredAges.copyScalars().allSatisfy(\.isFinite), restoredRisks.copyScalars().allSatisfy(\.isFinite) else {
            throw LabStateError.badMetadata(lab: id, key: "data", problem: "must hold finite ages and risks")
        }
        let restoredWeight = try state.tensor("weight", shape: [1])
        let restoredBias = try state.tensor("bias", shape: [1])
        var restoredOptimizer = SGD(learningRate: Float(lr))
        try CheckpointParts.load(&restoredOptimizer, from: "sgd", in: state, shapes: ["weight": [1], "bias": [1]])

        for setting in settings { try set(setting.name, to: setting.value) }
        install(ages: restoredAges, risks: restoredRisks)
        weight = restoredWeight.detached().requiringGrad()
        bias = restoredBias.detached().requiringGrad()
        optimizer = restoredOptimizer
        optimizer.learningRate = Float(lr)
        metrics = restoredMetrics
        dataNote = nil
    }
}
