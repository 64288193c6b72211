import MLEngine

/// The four optimizers of the race, in the order they are listed, drawn and coloured.
public enum RacerKind: String, CaseIterable, Sendable {
    case sgd, momentum, adam, adamw

    /// The letter that marks this racer's head on the map.
    public var head: Character {
        switch self {
        case .sgd: "S"
        case .momentum: "M"
        case .adam: "A"
        case .adamw: "W"
        }
    }

    /// The metric holding this racer's loss after each step.
    public var metricName: String { "loss_\(rawValue)" }
}

/// The settings every racer reads at each step (all live hyperparameters of the race).
struct RaceSettings: Sendable, Equatable {
    var learningRate: Double
    var momentum: Double
    var beta1: Double
    var beta2: Double
    var weightDecay: Double
}

/// One optimizer moving a 2-element parameter [x, y] over the surface: the engine's own
/// `SGD`, `SGD` with momentum, `Adam` or `AdamW`, updating from the autodiff gradient.
struct Racer: Sendable {
    enum Engine: Sendable {
        case sgd(SGD)
        case adam(Adam)
        case adamW(AdamW)
    }

    /// The parameter's name as optimizer state keys it ("position.m", "position.velocity").
    static let parameterName = "position"
    /// A racer further than this from the origin has flown off: it stops racing.
    static let escapeDistance: Float = 100

    let kind: RacerKind
    private(set) var engine: Engine
    /// [x, y], Float32 as every engine parameter.
    private(set) var position: Tensor
    /// Every position so far, the start first, as x, y pairs.
    private(set) var trail: [Float]
    /// The step at which the racer flew off (its trail ends just before), or nil.
    private(set) var flewOffAt: Int?

    init(kind: RacerKind, start: (x: Double, y: Double)) {
        self.kind = kind
        switch kind {
        case .sgd, .momentum: engine = .sgd(SGD(learningRate: 0))
        case .adam: engine = .adam(Adam())
        case .adamw: engine = .adamW(AdamW())
        }
        position = Tensor([Float(start.x), Float(start.y)])
        trail = position.scalars
        flewOffAt = nil
    }

    var isRacing: Bool { flewOffAt == nil }
    var x: Float { position.scalars[0] }
    var y: Float { position.scalars[1] }
    var trailCount: Int { trail.count / 2 }

    /// Copies the shared settings into this racer's optimizer.
    private mutating func configure(_ s: RaceSettings) {
        let lr = Float(s.learningRate)
        switch engine {
        case .sgd(var o):
            o.learningRate = lr
            o.momentum = kind == .momentum ? Float(s.momentum) : 0
            engine = .sgd(o)
        case .adam(var o):
            o.learningRate = lr; o.beta1 = Float(s.beta1); o.beta2 = Float(s.beta2); o.weightDecay = 0
            engine = .adam(o)
        case .adamW(var o):
            o.learningRate = lr; o.beta1 = Float(s.beta1); o.beta2 = Float(s.beta2); o.weightDecay = Float(s.weightDecay)
            engine = .adamW(o)
        }
    }

    /// One optimizer step: the surface's gradient at the current position (by autodiff), plus
    /// `noise` when the surface is noisy, handed to the optimizer. Step `index` counts from 1.
    mutating func step(on surface: ValleySurface, noise: Tensor?, settings: RaceSettings, index: Int) {
        guard isRacing else { return }
        configure(settings)
        var p = position.detached().requiringGrad()
        surface.loss(p).backward()
        if let noise, let g = p.grad { p.setGrad(g + noise) }
        switch engine {
        case .sgd(var o): o.update(&p, named: Self.parameterName); engine = .sgd(o)
        case .adam(var o): o.update(&p, named: Self.parameterName); engine = .adam(o)
        case .adamW(var o): o.update(&p, named: Self.parameterName); engine = .adamW(o)
        }
        let next = p.detached()
        let (nx, ny) = (next.scalars[0], next.scalars[1])
        guard nx.isFinite, ny.isFinite, Swift.max(Swift.abs(nx), Swift.abs(ny)) < Self.escapeDistance else {
            flewOffAt = index
            return
        }
        position = next
        trail += [nx, ny]
    }

    // MARK: - Checkpoints

    var optimizerState: [String: Tensor] {
        switch engine {
        case .sgd(let o): o.state
        case .adam(let o): o.state
        case .adamW(let o): o.state
        }
    }

    /// Puts back a saved racer: its position, trail, optimizer state and fate.
    mutating func restore(position: Tensor, trail: Tensor, optimizerState: [String: Tensor], flewOffAt: Int?) throws {
        switch engine {
        case .sgd(var o): try o.restoreState(optimizerState); engine = .sgd(o)
        case .adam(var o): try o.restoreState(optimizerState); engine = .adam(o)
        case .adamW(var o): try o.restoreState(optimizerState); engine = .adamW(o)
        }
        self.position = position.detached()
        self.trail = trail.scalars
        self.flewOffAt = flewOffAt
    }
}
