/// Reverse-mode differentiation over the recorded graph.
extension Tensor {
    /// True when gradients flow into or through this tensor.
    ///
    /// Setting it to true makes the tensor a leaf of the graph (a parameter or an input you want
    /// d(loss)/d(input) for); copies of the tensor share that leaf and its `grad`.
    public var requiresGrad: Bool {
        get { node != nil }
        set {
            if newValue { if node == nil || !node!.isLeaf { node = GradNode(leaf: ()) } } else { node = nil }
        }
    }

    /// A copy that is a fresh leaf requiring gradient.
    public func requiringGrad() -> Tensor {
        var copy = self
        copy.node = GradNode(leaf: ())
        return copy
    }

    /// The same values cut off from the graph: no gradient flows back through the result.
    public func detached() -> Tensor { Tensor(sharing: storage, shape: shape) }

    /// The gradient accumulated by `backward()` (leaves only), or nil if none has arrived.
    public var grad: Tensor? { node?.grad }

    /// Forgets the accumulated gradient. `backward()` adds to `grad`, so call this (or the
    /// model's `zeroGrad()`) before each step unless you mean to accumulate.
    public func zeroGrad() { node?.grad = nil }

    /// Sets the accumulated gradient directly (for tests and gradient clipping).
    public func setGrad(_ gradient: Tensor?) {
        precondition(node != nil, "setGrad on a tensor that does not require grad")
        node?.grad = gradient?.detached()
    }

    /// Backpropagates from this tensor, adding d(self)/d(leaf) to every leaf's `grad`.
    ///
    /// - Parameters:
    ///   - seed: d(final)/d(self); defaults to ones, which for a scalar loss is the usual 1.
    ///   - createGraph: record the backward pass itself (the graph stays differentiable). The
    ///     `grad` stored on each leaf holds values only, even then: a gradient whose recorded graph
    ///     refers back to its own leaf (through the ops' saved tensors) would be a reference cycle
    ///     that keeps the leaf and the whole tape alive until someone clears that leaf, and an
    ///     input leaf such as the t of a physics-informed net is never cleared. A loss that
    ///     contains a derivative takes it from `gradients(of:wrt:createGraph: true)`, which hands
    ///     the recorded gradient to the caller without storing it anywhere.
    ///   - retainGraph: keep the saved tensors so the graph can be backpropagated again; defaults
    ///     to `createGraph`. Otherwise they are freed as the pass goes (memory, and parameters
    ///     are then updated in place without copying).
    public func backward(seed: Tensor? = nil, createGraph: Bool = false, retainGraph: Bool? = nil) {
        precondition(node != nil, "backward() on a tensor that does not require grad: no op on its path recorded a gradient")
        _ = Autodiff.run(from: self, seed: seed, targets: [], accumulate: true,
                         createGraph: createGraph, retainGraph: retainGraph ?? createGraph)
    }
}

/// d(output)/d(input) for each input, without touching any `grad` (like `torch.autograd.grad`).
///
/// With `createGraph: true` the returned gradients are themselves on the graph, so a loss may
/// contain them (d(u)/d(x) in a physics-informed loss) and still be trained. An input that the
/// output does not depend on gets zeros.
public func gradients(of output: Tensor, wrt inputs: [Tensor], seed: Tensor? = nil,
                      createGraph: Bool = false, retainGraph: Bool? = nil) -> [Tensor] {
    precondition(output.node != nil, "gradients(of:) needs an output that depends on a tensor requiring grad")
    let targets = inputs.map { input -> GradNode in
        precondition(input.node != nil, "gradients(wrt:) needs inputs that require grad")
        return input.node!
    }
    let found = Autodiff.run(from: output, seed: seed, targets: targets, accumulate: false,
                             createGraph: createGraph, retainGraph: retainGraph ?? true)
    return zip(inputs, targets).map { input, node in found[ObjectIdentifier(node)] ?? Tensor(zeros: input.shape) }
}

enum Autodiff {
    /// Nodes reachable from `root`, each after all of its inputs (iterative, so deep graphs such
    /// as long RNN unrolls cannot overflow the stack).
    static func topologicalOrder(_ root: GradNode) -> [GradNode] {
        var order: [GradNode] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(GradNode, Bool)] = [(root, false)]
        while let (node, expanded) = stack.popLast() {
            if expanded { order.append(node); continue }
            guard visited.insert(ObjectIdentifier(node)).inserted else { continue }
            stack.append((node, true))
            for case let input? in node.inputs where !visited.contains(ObjectIdentifier(input)) {
                stack.append((input, false))
            }
        }
        return order
    }

    static func run(from root: Tensor, seed: Tensor?, targets: [GradNode], accumulate: Bool,
                    createGraph: Bool, retainGraph: Bool) -> [ObjectIdentifier: Tensor] {
        let seed = seed ?? Tensor(ones: root.shape)
        precondition(seed.shape == root.shape, "seed shape \(seed.shape) differs from output shape \(root.shape)")
        let wanted = Set(targets.map(ObjectIdentifier.init))
        var found: [ObjectIdentifier: Tensor] = [:]
        var pending: [ObjectIdentifier: Tensor] = [ObjectIdentifier(root.node!): seed]
        withGradMode(createGraph) {
            for node in topologicalOrder(root.node!).reversed() {
                let id = ObjectIdentifier(node)
                guard let g = pending.removeValue(forKey: id) else { continue }
                if wanted.contains(id) { found[id] = g }
                if node.isLeaf {
                    // Values only: see `backward(createGraph:)` for the cycle a recorded gradient makes.
                    if accumulate { node.grad = withNoGrad { node.grad.map { $0 + g.detached() } ?? g.detached() } }
                    continue
                }
                precondition(!node.released, "backward through '\(node.op)' a second time: its saved tensors were freed; pass retainGraph: true to the first backward()")
                let inputGrads = node.backward!(g)
                for (input, grad) in zip(node.inputs, inputGrads) {
                    guard let input, let grad else { continue }
                    let key = ObjectIdentifier(input)
                    pending[key] = pending[key].map { $0 + grad } ?? grad
                }
                if !retainGraph {
                    node.backward = nil
                    node.inputs = []
                    node.released = true
                }
            }
        }
        return found
    }
}
