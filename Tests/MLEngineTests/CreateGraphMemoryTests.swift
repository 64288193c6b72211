import Testing
@testable import MLEngine

/// The tape must not outlive its use when derivatives sit inside the loss (create-graph), as a
/// physics-informed net trains for thousands of steps. Every node a step records is watched
/// through a weak reference: once the step is over, none may still be alive.
@Suite struct CreateGraphMemoryTests {
    final class Watch {
        struct Weak { weak var node: GradNode? }
        var nodes: [Weak] = []
        func record(_ root: Tensor) { nodes += Autodiff.topologicalOrder(root.node!).map { Weak(node: $0) } }
        /// Distinct nodes still alive (a parameter appears once per step).
        var alive: Int { Set(nodes.compactMap { $0.node.map(ObjectIdentifier.init) }).count }
    }

    /// A tiny PINN on du/dt = -u, u(0) = 1: loss = (u(0) - 1)^2 + mean (du/dt + u)^2 at 16 points.
    static func pinnLoss(_ model: Sequential, watch: Watch) -> Tensor {
        let t = Tensor(shape: [16, 1], scalars: (0..<16).map { Float($0) / 8 }).requiringGrad()
        let u = model(t)
        let dudt = gradients(of: u.sum(), wrt: [t], createGraph: true)[0]
        let start = model(Tensor(zeros: [1, 1]))
        let loss = (start - 1).squared().mean() + (dudt + u).squared().mean()
        watch.record(loss)
        return loss
    }

    static func model(seed: UInt64) -> Sequential {
        var g = SeededGenerator(seed: seed)
        return Sequential([Linear(inputs: 1, outputs: 16, generator: &g), Tanh(), Linear(inputs: 16, outputs: 1, generator: &g)])
    }

    @Test func thousandPINNStepsLeaveNoNodeBehind() {
        let watch = Watch()
        var model = Self.model(seed: 1)
        var optimizer = Adam(learningRate: 0.01)
        var first: Float = 0, last: Float = 0
        var aliveAfterStep: [Int] = []
        for step in 0..<1000 {
            // Counted at the top of a step, when the previous step's tensors have gone out of scope.
            if step % 100 == 0 && step > 0 { aliveAfterStep.append(watch.alive) }
            model.zeroGrad()
            let loss = Self.pinnLoss(model, watch: watch)
            loss.backward()
            optimizer.step(&model)
            if step == 0 { first = loss.item }
            last = loss.item
        }
        // While training, of all the nodes the steps recorded only the 4 parameters and the last
        // step's loss node (the loop's `loss` until the next one replaces it) stay alive: flat.
        #expect(aliveAfterStep.allSatisfy { $0 == aliveAfterStep[0] } && aliveAfterStep[0] <= 5,
                "nodes alive after steps 100, 200, ...: \(aliveAfterStep)")
        #expect(last < first * 0.1, "the PINN should learn: loss \(first) -> \(last)")
        model = Self.model(seed: 2)
        #expect(watch.alive <= 1, "\(watch.alive) nodes outlived the model")
    }

    /// The same loop counted by the engine's live-node census: a p(t) net, dp/dt by create-graph
    /// inside the loss, backward, Adam. The count at step 100 and at step 1,000 must be equal.
    @Test func liveNodeCensusIsFlatOverAThousandPINNSteps() {
        let census = GradNodeCensus()
        var live: [Int: Int] = [:]
        census.counting {
            var model = Self.model(seed: 3)
            var optimizer = Adam(learningRate: 0.01)
            for step in 0...1000 {
                if step == 100 || step == 1000 { live[step] = census.live }
                model.zeroGrad()
                let loss = Self.pinnLoss(model, watch: Watch())
                loss.backward()
                optimizer.step(&model)
            }
        }
        #expect(live[100]! > 0, "the census counts the parameters' leaves")
        #expect(live[100] == live[1000], "live nodes at step 100: \(live[100]!), at step 1,000: \(live[1000]!)")
    }

    /// The cycle that was left: `backward(createGraph: true)` stored on every leaf a gradient whose
    /// recorded graph pointed back at that leaf, so an input leaf nobody clears (a fresh t each
    /// step) kept itself and its step's tape alive forever. Leaves now store values only.
    @Test func createGraphBackwardLeavesNoCycleThroughAnInputLeaf() {
        let census = GradNodeCensus()
        var live: [Int: Int] = [:]
        var lastTGrad: [Float] = []
        census.counting {
            var model = Self.model(seed: 4)
            for step in 0...1000 {
                if step == 100 || step == 1000 { live[step] = census.live }
                model.zeroGrad()
                let t = Tensor(shape: [4, 1], scalars: [0, 0.5, 1, 1.5]).requiringGrad()
                model(t).sum().backward(createGraph: true)
                lastTGrad = t.grad!.copyScalars()
            }
        }
        #expect(live[100] == live[1000], "live nodes at step 100: \(live[100]!), at step 1,000: \(live[1000]!)")
        // The stored gradient is still the right value: du/dt by finite differences.
        let model = Self.model(seed: 4)
        let h: Float = 1e-2
        let plus = withNoGrad { model(Tensor(shape: [4, 1], scalars: [0, 0.5, 1, 1.5].map { $0 + h })).copyScalars() }
        let minus = withNoGrad { model(Tensor(shape: [4, 1], scalars: [0, 0.5, 1, 1.5].map { $0 - h })).copyScalars() }
        for i in 0..<4 { #expect(abs(lastTGrad[i] - (plus[i] - minus[i]) / (2 * h)) < 1e-2) }
    }
}
