import CardioSim
import Course
import Foundation
import MLEngine
import TextPlot

/// `outliers`: a line fitted by gradient descent to 30 clean points and 3 gross outliers (faulty
/// readings far above the line at the right end). `loss` (mse, mae, huber) is live: switch it and
/// the drawn line moves. Under MSE an outlier 40 units off costs 1600 and pulls hard, tilting the
/// line toward them; under MAE each point pulls with the same force whatever its miss, so the 30
/// clean points outvote the 3; Huber is squared up to `delta` and straight beyond.
///
/// `slope_error` is |fitted slope - the clean points' own least-squares slope|.
/// One step is `updatesPerStep` Adam updates on all 33 points (microseconds each).
public struct OutliersLab: Lab {
    public static let labID = "outliers"
    public static let labTitle = "A line fit with a few gross outliers: MSE, MAE and Huber"
    public static let panelNames = ["fit", "slope", "residuals"]
    public static let stepBudget = 300
    static let updatesPerStep = 10
    static let cleanCount = 30
    static let outlierCount = 3
    static let trueSlope = 2.0, trueIntercept = 5.0
    static let outlierLift = 45.0

    public var id: String { Self.labID }
    public var title: String { Self.labTitle }
    public private(set) var seed: UInt64

    public enum LossKind: String, CaseIterable, Sendable { case mse, mae, huber }
    public private(set) var loss = LossKind.mse
    private var lr = 0.5
    private var delta = 2.0

    public private(set) var xs: [Float] = []
    public private(set) var ys: [Float] = []
    /// [slope, intercept] of the fitted line, with Adam's moments.
    private var adam = SmallAdam(values: [0, 0])
    public var line: [Float] { adam.values }
    private var steps = 0
    /// The clean points' own least-squares line (slope, intercept).
    public private(set) var cleanLine = (slope: 0.0, intercept: 0.0)
    public private(set) var metrics = Metrics()

    public init(seed: UInt64) {
        self.seed = seed
        reset(seed: seed)
    }

    public var parameters: [Hyperparameter] {
        [
            .choice("loss", loss.rawValue, among: LossKind.allCases.map(\.rawValue), effect: .live,
                    help: "mse squares each miss (outliers pull hard); mae counts it as it is; huber squares up to delta"),
            .logScale("lr", lr, in: 0.01...2, factor: 2, help: "Adam's learning rate (it shrinks as 1 / (1 + updates / 300))"),
            .linear("delta", delta, in: 0.5...20, step: 0.5, help: "Huber's threshold: a miss beyond delta costs linearly"),
        ]
    }

    public mutating func set(_ name: String, to value: HyperValue) throws {
        let checked = try parameters.checked(name, value, lab: id)
        switch name {
        case "loss": loss = LossKind(rawValue: checked.choice!)!
        case "lr": lr = checked.number!
        default: delta = checked.number!
        }
    }

    public mutating func reset(seed: UInt64) {
        self.seed = seed
        var g = SeededGenerator(seed: SeedMixing.derive(seed, 8, 1))
        xs = []; ys = []
        for i in 0..<Self.cleanCount {
            let x = 10 * (Double(i) + g.nextDouble()) / Double(Self.cleanCount)
            xs.append(Float(x))
            ys.append(Float(Self.trueSlope * x + Self.trueIntercept + g.normal(mean: 0, std: 1)))
        }
        // The faulty readings sit at the right end, far above the line.
        for i in 0..<Self.outlierCount {
            let x = 8.5 + 1.5 * (Double(i) + g.nextDouble()) / Double(Self.outlierCount)
            xs.append(Float(x))
            ys.append(Float(Self.trueSlope * x + Self.trueIntercept + Self.outlierLift + g.normal(mean: 0, std: 3)))
        }
        cleanLine = Self.leastSquares(Array(xs.prefix(Self.cleanCount)), Array(ys.prefix(Self.cleanCount)))
        adam = SmallAdam(values: [0, 0])
        steps = 0
        metrics = Metrics(series: ["slope_error", "loss", "slope"].map { .init(name: $0) })
    }

    static func leastSquares(_ x: [Float], _ y: [Float]) -> (slope: Double, intercept: Double) {
        let n = Double(x.count)
        let mx = x.reduce(0) { $0 + Double($1) } / n, my = y.reduce(0) { $0 + Double($1) } / n
        var sxy = 0.0, sxx = 0.0
        for (a, b) in zip(x, y) { sxy += (Double(a) - mx) * (Double(b) - my); sxx += (Double(a) - mx) * (Double(a) - mx) }
        let slope = sxy / sxx
        return (slope, my - slope * mx)
    }

    /// The chosen loss of the line `parameters` ([2]: slope, intercept) on all points.
    func lossTensor(_ parameters: Tensor) throws -> Tensor {
        let x = Tensor(xs), y = Tensor(ys)
        let slope = parameters.slice(alongAxis: 0, 0..<1), intercept = parameters.slice(alongAxis: 0, 1..<2)
        let predictions = x * slope + intercept
        switch loss {
        case .mse: return try meanSquaredError(predictions, y)
        case .mae: return try meanAbsoluteError(predictions, y)
        case .huber: return try huberLoss(predictions, y, delta: Float(delta))
        }
    }

    public var slopeError: Double { Swift.abs(Double(line[0]) - cleanLine.slope) }

    public mutating func step() throws -> StepReport {
        var value = 0.0
        for _ in 0..<Self.updatesPerStep {
            let leaf = Tensor(line).requiringGrad()
            let l = try lossTensor(leaf)
            l.backward()
            value = Double(l.item)
            // The step size shrinks with the updates taken, this one included.
            let rate = Float(lr / (1 + Double(adam.updates + 1) / 300))
            adam.update(gradient: leaf.grad!.copyScalars(), rate: rate)
        }
        steps += 1
        metrics.append(slopeError, to: "slope_error")
        metrics.append(value, to: "loss")
        metrics.append(Double(line[0]), to: "slope")
        let done = steps >= Self.stepBudget
        return StepReport(loss: value, finished: done, note: done ? "outliers: the budget of \(Self.stepBudget) steps is spent" : nil)
    }

    public var isFinite: Bool { line.allSatisfy(\.isFinite) }

    // MARK: Panels

    public var panelIDs: [String] { Self.panelNames }

    public func panel(_ id: String) -> Panel? {
        switch id {
        case "fit":
            let points = (0..<xs.count).map { ScatterPoint(x: Double(xs[$0]), y: Double(ys[$0]), label: $0 < Self.cleanCount ? 0 : 1) }
            let fitted = OverlayLine(name: "\(loss.rawValue) fit, slope \(String(format: "%.2f", line[0]))",
                                     slope: Double(line[0]), intercept: Double(line[1]))
            let clean = OverlayLine(name: "clean points' line, slope \(String(format: "%.2f", cleanLine.slope))",
                                    slope: cleanLine.slope, intercept: cleanLine.intercept)
            let spec = ScatterSpec(points: points, classNames: ["clean", "outlier"], lines: [fitted, clean], xRange: 0...10)
            return Panel(title: "Line fit under \(loss.rawValue): slope_error \(String(format: "%.3f", slopeError))", content: .scatter(spec))
        case "slope":
            return MetricChart.panel(title: "Slope error against the clean points' slope (slope_error)", metrics: metrics,
                                     series: ["slope_error"], finiteOnly: true)
        case "residuals":
            return residualsPanel()
        default:
            return nil
        }
    }

    /// What each group of points costs under the chosen loss: the outliers' share of the total.
    func residualsPanel() -> Panel {
        func cost(_ miss: Double) -> Double {
            switch loss {
            case .mse: return miss * miss
            case .mae: return Swift.abs(miss)
            case .huber: return Swift.abs(miss) <= delta ? 0.5 * miss * miss : delta * (Swift.abs(miss) - 0.5 * delta)
            }
        }
        var clean = 0.0, outliers = 0.0
        for i in 0..<xs.count {
            let miss = Double(line[0]) * Double(xs[i]) + Double(line[1]) - Double(ys[i])
            if i < Self.cleanCount { clean += cost(miss) } else { outliers += cost(miss) }
        }
        let share = outliers / Swift.max(clean + outliers, 1e-12)
        let rows = [["30 clean points", String(format: "%.1f", clean)], ["3 outliers", String(format: "%.1f", outliers)],
                    ["outliers' share", String(format: "%.0f%%", 100 * share)]]
        let spec = TableSpec(headers: ["points", "\(loss.rawValue) cost"], rows: rows, alignments: [.left, .right])
        return Panel(title: "What the points cost under \(loss.rawValue)", content: .table(spec))
    }

    // MARK: Checkpoints

    public func snapshot() -> LabState {
        var tensors: [String: Tensor] = [:]
        var metadata: [String: JSONValue] = [
            "seed": .string(String(seed)),
            "step": .number(Double(steps)),
            "built": StateCoding.json(parameters),
            "settings": StateCoding.json(parameters),
            "metrics": StateCoding.json(metrics),
        ]
        adam.store(as: "line", into: &tensors, metadata: &metadata)
        return LabState(labID: id, tensors: tensors, metadata: metadata)
    }

    public mutating func restore(_ state: LabState) throws {
        try state.expect(lab: id)
        let savedSeed = try CheckpointParts.seed(in: state)
        var copy = try CheckpointParts.rebuild(self, from: state, seed: savedSeed)
        copy.adam = try SmallAdam.load("line", count: 2, from: state)
        copy.steps = try CheckpointParts.integer("step", in: state)
        copy.metrics = try StateCoding.metrics(from: state.metadata["metrics"], key: "metrics", lab: id)
        self = copy
    }
}
