import Foundation

/// One recorded op in the autodiff graph (the "tape"): which nodes fed it and how to turn the
/// gradient of its output into gradients of its inputs.
///
/// Leaves (tensors made with `requiresGrad`) have no backward and collect their gradient in
/// `grad`. A graph belongs to the task that built it; `@unchecked Sendable` only lets tensors
/// that carry nodes be values of a `Sendable` type.
final class GradNode: @unchecked Sendable {
    /// The op's name, for error messages and graph printing.
    let op: String
    /// One entry per op input; nil where that input needs no gradient.
    var inputs: [GradNode?]
    /// Gradient of the output -> gradients of the inputs (nil for an input that gets none).
    var backward: (@Sendable (Tensor) -> [Tensor?])?
    /// Accumulated gradient (leaves only).
    var grad: Tensor?
    let isLeaf: Bool
    /// Set when `backward()` freed this node's saved tensors.
    var released = false
    /// The census that counted this node when it was made (nil outside `GradNodeCensus.counting`).
    private let census: GradNodeCensus?

    init(leaf: ()) {
        op = "leaf"
        inputs = []
        isLeaf = true
        census = GradNodeCensus.current
        census?.born()
    }

    init(op: String, inputs: [GradNode?], backward: @escaping @Sendable (Tensor) -> [Tensor?]) {
        self.op = op
        self.inputs = inputs
        self.backward = backward
        isLeaf = false
        census = GradNodeCensus.current
        census?.born()
    }

    deinit { census?.died() }
}

/// A debug counter of live graph nodes: every node made inside `counting` is counted until it is
/// freed, so a training loop whose count keeps growing is leaking its tape.
///
/// Task-local, so tests running in parallel do not count each other's nodes; outside `counting`
/// nodes are not counted and cost one task-local read each.
public final class GradNodeCensus: @unchecked Sendable {
    @TaskLocal static var current: GradNodeCensus?
    private let lock = NSLock()
    private var count = 0

    public init() {}

    /// Nodes made inside `counting` and not yet freed.
    public var live: Int { lock.lock(); defer { lock.unlock() }; return count }

    /// Runs `body` with every node it makes counted by this census.
    public func counting<R>(_ body: () throws -> R) rethrows -> R {
        try Self.$current.withValue(self, operation: body)
    }

    fileprivate func born() { lock.lock(); count += 1; lock.unlock() }
    fileprivate func died() { lock.lock(); count -= 1; lock.unlock() }
}

extension Tensor {
    /// Records an op: returns `value` attached to a new graph node whose inputs are `inputs`.
    ///
    /// This is how every op in the engine (and any op you add) joins autodiff: compute the
    /// forward result with a kernel, then call this with a closure that maps the output gradient
    /// to one gradient per input, written in tensor ops (so that it is itself differentiable when
    /// `backward(createGraph: true)` records it). Return nil for an input that needs no
    /// gradient. If recording is off, or no input requires a gradient, nothing is recorded.
    public static func differentiable(_ value: Tensor, op: String, inputs: [Tensor],
                                      backward: @escaping @Sendable (Tensor) -> [Tensor?]) -> Tensor {
        var out = value
        out.node = nil
        guard inputs.contains(where: { $0.node != nil }), GradMode.isEnabled else { return out }
        out.node = GradNode(op: op, inputs: inputs.map(\.node), backward: backward)
        return out
    }
}
