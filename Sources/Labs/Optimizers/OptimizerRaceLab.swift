import Course
import Foundation
import MLEngine
import TextPlot

/// Four optimizers racing down a narrow, curved valley (chapter 3): SGD, SGD with momentum,
/// Adam and AdamW, from the same start, with one shared learning rate.
///
/// Each step every racer takes one step of the engine's own optimizer on its [x, y] position,
/// from the gradient autodiff computes on `ValleySurface`. On the `noisy` surface each step's
/// gradient also gets a random error, drawn once per step from the lab's generator and shared
/// by all four racers (so they differ only by how they use the gradient, and momentum 0 makes
/// the momentum racer retrace SGD exactly). The race lasts `raceLength` steps; training on
/// afterwards continues it.
public struct OptimizerRaceLab: Lab {
    public static let labID = "optimizer-race"
    public static let labTitle = "An optimizer race down a narrow valley"
    public static let panels = ["surface", "loss"]
    /// Steps in one race: the step at which the lab reports that the race is over.
    public static let raceLength = 500
    /// The standard deviation of the gradient noise on the `noisy` surface, per coordinate:
    /// larger across the valley (y), where the curvature is, as batch noise tends to be.
    public static let noiseScale = (x: 0.2, y: 3.0)

    public var id: String { Self.labID }
    public var title: String { Self.labTitle }
    public private(set) var seed: UInt64

    private var settings = RaceSettings(learningRate: 0.02, momentum: 0.9, beta1: 0.9, beta2: 0.999, weightDecay: 0.01)
    private var surfaceName = "valley"
    /// The surface the current race runs on (`surfaceName` applies at the next reset).
    public private(set) var noisy = false

    public let surface = ValleySurface()
    private var rng: SeededGenerator
    private var racers: [Racer] = []
    private var losses: [[Double]] = []
    public private(set) var stepCount = 0

    public init(seed: UInt64) {
        self.seed = seed
        rng = SeededGenerator(seed: seed)
        reset(seed: seed)
    }

    public var parameters: [Hyperparameter] {
        [
            .logScale("lr", settings.learningRate, in: 1e-4...1, factor: 2,
                      help: "learning rate, shared by all four optimizers"),
            .linear("momentum", settings.momentum, in: 0...0.99, step: 0.05,
                    help: "the momentum racer's velocity = momentum x velocity + gradient (0: plain SGD)"),
            .linear("beta1", settings.beta1, in: 0...0.999, step: 0.05,
                    help: "Adam and AdamW: how much of the running average of gradients (m) to keep each step"),
            .linear("beta2", settings.beta2, in: 0.9...0.9999, step: 0.001,
                    help: "Adam and AdamW: how much of the running average of squared gradients (v) to keep"),
            .linear("weight_decay", settings.weightDecay, in: 0...0.1, step: 0.01,
                    help: "AdamW: each step, shrink x and y toward (0, 0) by lr x weight_decay of themselves"),
            .choice("surface", surfaceName, among: ["valley", "noisy"],
                    help: "valley: the exact gradient; noisy: each step's gradient gets a random error"),
        ]
    }

    public mutating func set(_ name: String, to value: HyperValue) throws {
        let checked = try parameters.checked(name, value, lab: id)
        switch name {
        case "lr": settings.learningRate = checked.number!
        case "momentum": settings.momentum = checked.number!
        case "beta1": settings.beta1 = checked.number!
        case "beta2": settings.beta2 = checked.number!
        case "weight_decay": settings.weightDecay = checked.number!
        default: surfaceName = checked.choice!
        }
    }

    public mutating func reset(seed: UInt64) {
        self.seed = seed
        rng = SeededGenerator(seed: seed)
        noisy = surfaceName == "noisy"
        racers = OptimizerKind.allCases.map { Racer(kind: $0, start: ValleySurface.start) }
        losses = racers.map { _ in [] }
        stepCount = 0
    }

    public mutating func step() throws -> StepReport {
        stepCount += 1
        let noise: Tensor? = noisy
            ? Tensor([Float(rng.normal() * Self.noiseScale.x), Float(rng.normal() * Self.noiseScale.y)])
            : nil
        var flew: [OptimizerKind] = []
        for i in racers.indices where racers[i].isRacing {
            racers[i].step(on: surface, noise: noise, settings: settings, index: stepCount)
            if racers[i].isRacing {
                losses[i].append(surface.value(x: Double(racers[i].x), y: Double(racers[i].y)))
            } else {
                losses[i].append(.infinity)
                flew.append(racers[i].kind)
            }
        }
        var notes: [String] = []
        if !flew.isEmpty {
            notes.append(flew.map(\.rawValue).joined(separator: " and ") + " flew off the map at step \(stepCount): "
                         + "lr \(NumberFormat.compact(settings.learningRate)) is too big a step for the valley's steep walls; "
                         + "lower it and reset (r) to race again")
        }
        let over = stepCount == Self.raceLength
        if over { notes.append("the race is over after \(Self.raceLength) steps: " + standings) }
        return StepReport(loss: nil, finished: over, note: notes.isEmpty ? nil : notes.joined(separator: "; "))
    }

    /// "adam 2.5e-4, momentum 8.8e-8, ..." from lowest loss to highest.
    var standings: String {
        racers.indices.sorted { (losses[$0].last ?? .infinity) < (losses[$1].last ?? .infinity) }
            .map { "\(racers[$0].kind.rawValue) \(losses[$0].last.map { NumberFormat.compact($0) } ?? "-")" }
            .joined(separator: ", ")
    }

    // MARK: - What the lab measured

    public var metrics: Metrics {
        // Jitter only means something while noise drives the steps: a racer resting at the
        // bottom of the exact valley takes tiny steps that may turn any way.
        Metrics(series: racers.indices.map { .init(name: racers[$0].kind.lossMetric, values: losses[$0]) },
                scalars: noisy ? OptimizerKind.allCases.map { .init(name: "jitter_\($0.rawValue)", value: jitter(of: $0)) } : [])
    }

    /// How much racer `kind`'s path turns from step to step over its last `jitterWindow` steps:
    /// the mean change of its step divided by its mean step length. About 0 for a smooth path,
    /// about 1.4 when each step points anywhere regardless of the last (pure noise).
    public func jitter(of kind: OptimizerKind) -> Double {
        let p = trail(of: kind)
        let n = p.count
        guard n >= 3 else { return 0 }
        var length = 0.0, turning = 0.0
        for i in Swift.max(1, n - 1 - Self.jitterWindow)..<(n - 1) {
            let ax = Double(p[i].x - p[i - 1].x), ay = Double(p[i].y - p[i - 1].y)
            let bx = Double(p[i + 1].x - p[i].x), by = Double(p[i + 1].y - p[i].y)
            length += (ax * ax + ay * ay).squareRoot()
            turning += ((bx - ax) * (bx - ax) + (by - ay) * (by - ay)).squareRoot()
        }
        return length > 0 ? turning / length : 0
    }

    /// Steps over which `jitter(of:)` is measured.
    public static let jitterWindow = 100

    /// Where racer `kind` is now.
    public func position(of kind: OptimizerKind) -> (x: Float, y: Float) {
        let r = racer(kind)
        return (r.x, r.y)
    }

    /// Racer `kind`'s trail: every position so far, the start first.
    public func trail(of kind: OptimizerKind) -> [(x: Float, y: Float)] {
        racer(kind).points
    }

    /// The step at which racer `kind` flew off the map, or nil while it races.
    public func flewOffAt(_ kind: OptimizerKind) -> Int? { racer(kind).flewOffAt }

    /// Every kind races from the start, so each has its racer.
    private func racer(_ kind: OptimizerKind) -> Racer { racers.first { $0.kind == kind }! }

    /// A racer that flies off stops, and the others race on, so the lab state stays finite.
    public var isFinite: Bool {
        racers.allSatisfy { $0.position.copyScalars().allSatisfy(\.isFinite) }
    }

    public func divergenceHint() -> String? {
        "lr \(NumberFormat.compact(settings.learningRate)) is too high for the valley's steep walls "
            + "(SGD overshoots when lr x 20 passes 2); lower lr and reset"
    }

    public var panelIDs: [String] { Self.panels }

    public func panel(_ id: String) -> Panel? {
        switch id {
        case "surface": return surfacePanel()
        case "loss": return lossPanel()
        default: return nil
        }
    }

    // MARK: - Checkpoints

    public func snapshot() -> LabState {
        var tensors: [String: Tensor] = [:]
        var fates: [String: JSONValue] = [:]
        for racer in racers {
            let name = racer.kind.rawValue
            tensors["\(name).position"] = racer.position
            tensors["\(name).trail"] = Tensor(shape: [racer.trailCount, 2], scalars: racer.trail)
            CheckpointParts.store(racer.optimizer, as: "\(name).optimizer", into: &tensors)
            fates[name] = racer.flewOffAt.map { .number(Double($0)) } ?? .null
        }
        return LabState(labID: id, tensors: tensors, metadata: [
            "rng": StateCoding.json(rng),
            "step": .number(Double(stepCount)),
            "flew_off_at": .object(fates),
            "noisy": .bool(noisy),
        ])
    }

    public mutating func restore(_ state: LabState) throws {
        try state.expect(lab: id)
        let generator = try StateCoding.generator(from: state.metadata["rng"], key: "rng", lab: id)
        let steps = try CheckpointParts.integer("step", in: state)
        guard steps >= 0 else { throw LabStateError.badMetadata(lab: id, key: "step", problem: "must not be negative") }
        guard case .bool(let wasNoisy)? = state.metadata["noisy"] else {
            throw LabStateError.badMetadata(lab: id, key: "noisy", problem: "must be true or false")
        }
        guard case .object(let fates)? = state.metadata["flew_off_at"] else {
            throw LabStateError.badMetadata(lab: id, key: "flew_off_at", problem: "must name each racer's fate")
        }
        var restored = OptimizerKind.allCases.map { Racer(kind: $0, start: ValleySurface.start) }
        var restoredLosses: [[Double]] = []
        for i in restored.indices {
            let name = restored[i].kind.rawValue
            let position = try state.tensor("\(name).position", shape: [2])
            guard let trail = state.tensors["\(name).trail"], trail.rank == 2, trail.shape[1] == 2, trail.shape[0] >= 1,
                  trail.shape[0] <= steps + 1 else {
                throw LabStateError.badMetadata(lab: id, key: "\(name).trail", problem: "must be [n, 2] with 1 <= n <= step + 1")
            }
            var fate: Int?
            if let value = fates[name], value != .null {
                // A racer flies off at a step of this run: 1 up to the saved step.
                guard let x = value.number, let step = StateCoding.int(x, in: 1...Swift.max(1, steps)) else {
                    throw LabStateError.badMetadata(lab: id, key: "flew_off_at.\(name)", problem: "must be null or a step from 1 to \(steps)")
                }
                fate = step
            }
            var optimizer = restored[i].optimizer
            do {
                try CheckpointParts.load(&optimizer, from: "\(name).optimizer", in: state, shapes: [Racer.parameterName: [2]])
            } catch {
                throw LabStateError.badMetadata(lab: id, key: "\(name).optimizer", problem: "does not fit: \(error)")
            }
            restored[i].restore(position: position, trail: trail, optimizer: optimizer, flewOffAt: fate)
            // The losses are a function of the trail, so they are recomputed rather than stored.
            var values = restored[i].points.dropFirst().map { surface.value(x: Double($0.x), y: Double($0.y)) }
            if fate != nil { values.append(.infinity) }
            restoredLosses.append(values)
        }
        rng = generator
        stepCount = steps
        noisy = wasNoisy
        racers = restored
        losses = restoredLosses
    }
}
