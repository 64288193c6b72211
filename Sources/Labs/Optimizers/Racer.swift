import MLEngine

/// The settings every racer reads at each step (all live hyperparameters of the race).
struct RaceSettings: Sendable, Equatable {
    var learningRate: Double
    var momentum: Double
    var beta1: Double
    var beta2: Double
    var weightDecay: Double
}

/// One optimizer moving a 2-element parameter [x, y] over the surface: the engine's own
/// `SGD`, `SGD` with momentum, `Adam` or `AdamW` (as `OptimizerKind` makes them), updating
/// from the autodiff gradient.
struct Racer: Sendable {
    /// The parameter's name as optimizer state keys it ("position.m", "position.velocity").
    static let parameterName = "position"
    /// A racer further than this from the origin has flown off: it stops racing.
    static let escapeDistance: Float = 100

    let kind: OptimizerKind
    /// The race's settings are live, so they are copied in before every step.
    private(set) var optimizer: any Optimizer
    /// [x, y], Float32 as every engine parameter.
    private(set) var position: Tensor
    /// Every position so far, the start first, as x, y pairs.
    private(set) var trail: [Float]
    /// The step at which the racer flew off (its trail ends just before), or nil.
    private(set) var flewOffAt: Int?

    init(kind: OptimizerKind, start: (x: Double, y: Double)) {
        self.kind = kind
        optimizer = kind.make(learningRate: 0)
        position = Tensor([Float(start.x), Float(start.y)])
        trail = position.copyScalars()
        flewOffAt = nil
    }

    var isRacing: Bool { flewOffAt == nil }
    var x: Float { position.scalar(at: 0) }
    var y: Float { position.scalar(at: 1) }
    var trailCount: Int { trail.count / 2 }
    /// The trail as points, the start first.
    var points: [(x: Float, y: Float)] { stride(from: 0, to: trail.count, by: 2).map { (trail[$0], trail[$0 + 1]) } }

    /// Copies the shared settings into this racer's optimizer: only the momentum racer uses
    /// `momentum`, only AdamW decays the weights.
    private mutating func configure(_ s: RaceSettings) {
        optimizer.learningRate = Float(s.learningRate)
        switch optimizer {
        case var o as SGD:
            o.momentum = kind == .momentum ? Float(s.momentum) : 0
            optimizer = o
        case var o as Adam:
            o.beta1 = Float(s.beta1); o.beta2 = Float(s.beta2); o.weightDecay = 0
            optimizer = o
        case var o as AdamW:
            o.beta1 = Float(s.beta1); o.beta2 = Float(s.beta2); o.weightDecay = Float(s.weightDecay)
            optimizer = o
        default:
            preconditionFailure("OptimizerKind.make gave a \(type(of: optimizer)) the race cannot configure")
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
        optimizer.update(&p, named: Self.parameterName)
        let next = p.detached()
        let (nx, ny) = (next.scalar(at: 0), next.scalar(at: 1))
        guard nx.isFinite, ny.isFinite, Swift.max(Swift.abs(nx), Swift.abs(ny)) < Self.escapeDistance else {
            flewOffAt = index
            return
        }
        position = next
        trail += [nx, ny]
    }

    // MARK: - Checkpoints

    /// Puts back a saved racer: its position, trail, optimizer (with its restored state) and fate.
    mutating func restore(position: Tensor, trail: Tensor, optimizer: any Optimizer, flewOffAt: Int?) {
        self.optimizer = optimizer
        self.position = position.detached()
        self.trail = trail.copyScalars()
        self.flewOffAt = flewOffAt
    }
}
