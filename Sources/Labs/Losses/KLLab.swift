import CardioSim
import Course
import Foundation
import MLEngine
import TextPlot

/// `kl`: KL divergence three ways, all computed by the engine.
///
/// - Two two-bar distributions p and q the learner reshapes (`p_first`, `q_first`: each one's
///   first bar, live): KL(p || q) and KL(q || p) side by side, unequal unless p = q
///   (0.0823 and 0.0872 nats at the defaults [0.3, 0.7] and [0.5, 0.5]).
/// - A Gaussian N(`mean`, `spread`^2) against the standard normal: the closed-form KL term that
///   keeps a VAE's codes near N(0, 1).
/// - What training does with the asymmetry: each step fits one bump q (a discretised Gaussian
///   with a trainable mean and spread) to a two-bump target p by Adam on the KL that `fit` names.
///   Forward KL(p || q) punishes q for missing any of p's mass, so the bump spreads over both
///   modes (mode-covering); reverse KL(q || p) punishes q for putting mass where p has none, so
///   it settles on one mode (mode-seeking).
public struct KLLab: Lab {
    public static let labID = "kl"
    public static let labTitle = "KL divergence: two directions, a Gaussian, and a one-bump fit"
    public static let panelNames = ["pair", "gaussian", "fit", "curves"]
    /// Steps of a headless run; the fit has settled well before.
    public static let stepBudget = 300
    static let updatesPerStep = 5
    /// The target's grid: `bins` points from -5 to 5, two bumps at +-`modeCentre`.
    static let bins = 41
    static let modeCentre = 2.5, modeWidth = 0.6
    /// The fit's spread is kept within this range (a narrower bump would underflow far bins).
    static let spreadRange: ClosedRange<Float> = 0.3...5

    public var id: String { Self.labID }
    public var title: String { Self.labTitle }
    public private(set) var seed: UInt64

    public enum FitKind: String, CaseIterable, Sendable { case forward, reverse }
    public private(set) var fit = FitKind.forward
    private var pFirst = 0.3, qFirst = 0.5
    private var mean = 1.0, spread = 1.0
    private var lr = 0.05

    /// The fit's [mean, log spread], with Adam's moments.
    private var adam = SmallAdam(values: [0, 0])
    public var bump: [Float] { adam.values }
    private var steps = 0
    public private(set) var metrics = Metrics()

    /// The grid and the two-bump target on it (a floor of 1e-6 keeps every log finite).
    static let grid: [Float] = (0..<bins).map { -5 + 10 * Float($0) / Float(bins - 1) }
    static let target: [Float] = {
        let raw = grid.map { x -> Float in
            let d1 = (Double(x) + modeCentre) / modeWidth, d2 = (Double(x) - modeCentre) / modeWidth
            return Float(0.5 * Foundation.exp(-0.5 * d1 * d1) + 0.5 * Foundation.exp(-0.5 * d2 * d2) + 1e-6)
        }
        let total = raw.reduce(0, +)
        return raw.map { $0 / total }
    }()

    public init(seed: UInt64) {
        self.seed = seed
        reset(seed: seed)
    }

    // MARK: Hyperparameters

    public var parameters: [Hyperparameter] {
        [
            .linear("p_first", pFirst, in: 0.01...0.99, step: 0.01, help: "p's first bar: p = [p_first, 1 - p_first]"),
            .linear("q_first", qFirst, in: 0.01...0.99, step: 0.01, help: "q's first bar: q = [q_first, 1 - q_first]"),
            .linear("mean", mean, in: -3...3, step: 0.25, help: "the Gaussian's mean, against N(0, 1)"),
            .linear("spread", spread, in: 0.25...3, step: 0.25, help: "the Gaussian's standard deviation, against N(0, 1)'s 1"),
            .choice("fit", fit.rawValue, among: FitKind.allCases.map(\.rawValue), effect: .live,
                    help: "the KL each step descends: forward KL(p || q) covers both bumps, reverse KL(q || p) picks one"),
            .logScale("lr", lr, in: 0.001...0.5, factor: 2, help: "Adam's learning rate for the fit's mean and spread"),
        ]
    }

    public mutating func set(_ name: String, to value: HyperValue) throws {
        let checked = try parameters.checked(name, value, lab: id)
        switch name {
        case "fit": fit = FitKind(rawValue: checked.choice!)!
        case "lr": lr = checked.number!
        case "p_first": pFirst = checked.number!
        case "q_first": qFirst = checked.number!
        case "mean": mean = checked.number!
        default: spread = checked.number!
        }
        // The two-bar and Gaussian numbers follow the learner's hand even while paused.
        measurePair()
    }

    public mutating func reset(seed: UInt64) {
        self.seed = seed
        var g = SeededGenerator(seed: SeedMixing.derive(seed, 8, 2))
        // Start a little off centre, on a side the seed picks, with spread 0.7: nearer one mode than the other.
        let side: Float = g.nextDouble() < 0.5 ? -1 : 1
        adam = SmallAdam(values: [side * Float(1.25 + 0.5 * g.nextDouble()), Foundation.log(0.7)])
        steps = 0
        metrics = Metrics(series: ["kl_forward", "kl_reverse", "kl_gaussian", "fit_kl", "fit_mean", "fit_spread", "mass_covered"]
            .map { .init(name: $0) })
    }

    // MARK: The numbers

    /// KL(a || b) for two two-bar distributions with first bars `a` and `b`, by the engine.
    static func pairKL(_ a: Double, _ b: Double) -> Double {
        let p = Tensor(shape: [1, 2], scalars: [Float(a), Float(1 - a)])
        let q = Tensor(shape: [1, 2], scalars: [Float(b), Float(1 - b)])
        return (try? Double(categoricalKL(p, q).item)) ?? .nan
    }

    /// KL(N(mean, spread^2) || N(0, 1)), by the engine's VAE term.
    static func gaussianTerm(mean: Double, spread: Double) -> Double {
        let m = Tensor(shape: [1, 1], scalars: [Float(mean)])
        let logVariance = Tensor(shape: [1, 1], scalars: [Float(2 * Foundation.log(spread))])
        return (try? Double(gaussianKL(mean: m, logVariance: logVariance).item)) ?? .nan
    }

    public var klForward: Double { Self.pairKL(pFirst, qFirst) }
    public var klReverse: Double { Self.pairKL(qFirst, pFirst) }
    public var klGaussian: Double { Self.gaussianTerm(mean: mean, spread: spread) }

    private mutating func measurePair() {
        metrics.append(klForward, to: "kl_forward")
        metrics.append(klReverse, to: "kl_reverse")
        metrics.append(klGaussian, to: "kl_gaussian")
    }

    /// The fit q on the grid, [1, bins]: softmax of -(x - mean)^2 / (2 spread^2), differentiable
    /// in `parameters` ([2]: mean, log spread).
    static func fitted(_ parameters: Tensor) -> Tensor {
        let x = Tensor(grid)
        let centre = parameters.slice(alongAxis: 0, 0..<1), logSpread = parameters.slice(alongAxis: 0, 1..<2)
        let z = (x - centre) * (-logSpread).exp()
        return (z.squared() * -0.5).reshaped([1, bins]).softmax(alongAxis: 1)
    }

    /// The KL `kind` between the target and the fit with `parameters`.
    static func fitLoss(_ parameters: Tensor, _ kind: FitKind) throws -> Tensor {
        let q = fitted(parameters), p = Tensor(shape: [1, bins], scalars: target)
        return kind == .forward ? try categoricalKL(p, q) : try categoricalKL(q, p)
    }

    /// The fit's probabilities on the grid (no gradient).
    public var fitProbabilities: [Float] { withNoGrad { Self.fitted(Tensor(bump)) }.copyScalars() }

    /// The share of the target's mass within two spreads of the fit's mean: about 0.95 when the
    /// bump covers both modes, about half when it sits on one.
    public var massCovered: Double {
        let centre = bump[0], width = 2 * Foundation.exp(bump[1])
        var total: Float = 0
        for (x, p) in zip(Self.grid, Self.target) where Swift.abs(x - centre) <= width { total += p }
        return Double(total)
    }

    public mutating func step() throws -> StepReport {
        var value = 0.0
        for _ in 0..<Self.updatesPerStep {
            let leaf = Tensor(bump).requiringGrad()
            let loss = try Self.fitLoss(leaf, fit)
            loss.backward()
            value = Double(loss.item)
            adam.update(gradient: leaf.grad!.copyScalars(), rate: Float(lr))
            adam.values[0] = Swift.min(Swift.max(adam.values[0], -5), 5)
            adam.values[1] = Swift.min(Swift.max(adam.values[1], Foundation.log(Self.spreadRange.lowerBound)),
                                       Foundation.log(Self.spreadRange.upperBound))
        }
        steps += 1
        // The value after the last update, so the metric matches the bump now drawn.
        value = (try? Double(Self.fitLoss(Tensor(bump), fit).item)) ?? value
        measurePair()
        metrics.append(value, to: "fit_kl")
        metrics.append(Double(bump[0]), to: "fit_mean")
        metrics.append(Double(Foundation.exp(bump[1])), to: "fit_spread")
        metrics.append(massCovered, to: "mass_covered")
        // The session pauses at the budget, so the runs the lesson compares stop at the same step;
        // Space again trains on.
        let done = steps == Self.stepBudget
        return StepReport(loss: value, finished: done, note: done ? "kl: the budget of \(Self.stepBudget) steps is spent; Space trains on" : nil)
    }

    public var isFinite: Bool { bump.allSatisfy(\.isFinite) }

    // MARK: Panels

    public var panelIDs: [String] { Self.panelNames }

    func format(_ x: Double) -> String { x.isFinite ? String(format: "%.4f", x) : "\(x)" }

    public func panel(_ id: String) -> Panel? {
        switch id {
        case "pair":
            func bars(_ first: Double) -> BarChartSpec {
                BarChartSpec(bars: [Bar(label: "bar 1", value: first), Bar(label: "bar 2", value: 1 - first)], maxValue: 1)
            }
            let p = String(format: "[%.2f, %.2f]", pFirst, 1 - pFirst), q = String(format: "[%.2f, %.2f]", qFirst, 1 - qFirst)
            return Panel(title: "Two bars: KL(p || q) \(format(klForward)) vs KL(q || p) \(format(klReverse))", content: .split([
                PanelPart(.bars(bars(pFirst)), caption: "p = \(p)"),
                PanelPart(.bars(bars(qFirst)), caption: "q = \(q)"),
            ]))
        case "gaussian":
            let xs = (0..<81).map { -5 + 10 * Double($0) / 80 }
            func density(_ m: Double, _ s: Double) -> [Double] {
                xs.map { Foundation.exp(-0.5 * (($0 - m) / s) * (($0 - m) / s)) / (s * (2 * Double.pi).squareRoot()) }
            }
            let series = [LineSeries(name: "N(\(NumberText.format(mean)), \(NumberText.format(spread))^2)", values: density(mean, spread), x: xs),
                          LineSeries(name: "N(0, 1)", values: density(0, 1), x: xs)]
            return Panel(title: "A Gaussian against N(0, 1): kl_gaussian \(format(klGaussian))",
                         content: .lineChart(LineChartSpec(series: series)))
        case "fit":
            let xs = Self.grid.map(Double.init)
            let series = [LineSeries(name: "target p (two bumps)", values: Self.target.map(Double.init), x: xs),
                          LineSeries(name: "fit q (one bump)", values: fitProbabilities.map(Double.init), x: xs)]
            return Panel(title: "One-bump fit, \(fit.rawValue) KL: mass_covered \(String(format: "%.2f", massCovered))",
                         content: .lineChart(LineChartSpec(series: series)))
        case "curves":
            return MetricChart.panel(title: "The fit's KL (fit_kl) and spread (fit_spread)", metrics: metrics,
                                     series: ["fit_kl", "fit_spread"], finiteOnly: true)
        default:
            return nil
        }
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
        adam.store(as: "bump", into: &tensors, metadata: &metadata)
        return LabState(labID: id, tensors: tensors, metadata: metadata)
    }

    public mutating func restore(_ state: LabState) throws {
        try state.expect(lab: id)
        let savedSeed = try CheckpointParts.seed(in: state)
        var copy = try CheckpointParts.rebuild(self, from: state, seed: savedSeed)
        copy.adam = try SmallAdam.load("bump", count: 2, from: state)
        copy.steps = try CheckpointParts.integer("step", in: state)
        copy.metrics = try StateCoding.metrics(from: state.metadata["metrics"], key: "metrics", lab: id)
        self = copy
    }
}
