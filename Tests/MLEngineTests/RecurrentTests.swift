import Foundation
import Testing
@testable import MLEngine

/// The recurrent cells against central differences (batch > 1, short sequences), against a
/// step-by-step version built from ordinary ops, and on unrolls long enough to break a
/// recursive backward.
@Suite struct RecurrentTests {
    /// Sequence [T, B, I], weights, biases and starting states for a small check.
    struct Case {
        var x, inputWeight, memoryWeight, bias, h0, c0: Tensor
        init(cell: RecurrentCell, steps: Int, batch: Int, inputs: Int, hidden: Int, seed: UInt64) {
            let width = cell == .lstm ? 4 * hidden : hidden
            x = randomInput([steps, batch, inputs], seed: seed)
            inputWeight = randomInput([inputs, width], seed: seed + 1) * 0.8
            memoryWeight = randomInput([hidden, width], seed: seed + 2) * 0.8
            bias = randomInput([width], seed: seed + 3) * 0.5
            h0 = randomInput([batch, hidden], seed: seed + 4) * 0.5
            c0 = randomInput([batch, hidden], seed: seed + 5) * 0.5
        }
    }

    static func unroll(_ cell: RecurrentCell, _ t: [Tensor]) -> RecurrentOutput {
        let projection = recurrentProjection(t[0], t[1], t[3])
        return recurrentUnroll(cell, projection: projection, memoryWeight: t[2], initialHidden: t[4],
                               initialCell: cell == .lstm ? t[5] : nil)
    }

    /// The same cell written step by step with ordinary differentiable ops; `probes[t]` (zeros)
    /// is added to h_t, so d(loss)/d(probe t) is d(loss)/d(h_t) computed independently.
    static func reference(_ cell: RecurrentCell, _ t: [Tensor], probes: [Tensor]? = nil) -> [Tensor] {
        let (x, wIn, wMem, b) = (t[0], t[1], t[2], t[3])
        var h = t[4], c = t[5]
        let hidden = h.shape[1]
        var states: [Tensor] = []
        for step in 0..<x.shape[0] {
            let a = matmul(x.slice(alongAxis: 0, step..<(step + 1)).squeezed(at: 0), wIn) + matmul(h, wMem) + b
            switch cell {
            case .rnn:
                h = a.tanh()
            case .lstm:
                let f = a.slice(alongAxis: 1, 0..<hidden).sigmoid()
                let i = a.slice(alongAxis: 1, hidden..<(2 * hidden)).sigmoid()
                let o = a.slice(alongAxis: 1, (2 * hidden)..<(3 * hidden)).sigmoid()
                let g = a.slice(alongAxis: 1, (3 * hidden)..<(4 * hidden)).tanh()
                c = f * c + i * g
                h = o * c.tanh()
            }
            if let probes { h = h + probes[step] }
            states.append(h)
        }
        return states
    }

    @Test(arguments: RecurrentCell.allCases)
    func gradientsMatchFiniteDifferences(cell: RecurrentCell) {
        let c = Case(cell: cell, steps: 4, batch: 3, inputs: 2, hidden: 3, seed: 40)
        let inputs = [c.x, c.inputWeight, c.memoryWeight, c.bias, c.h0] + (cell == .lstm ? [c.c0] : [])
        // Every hidden state is an output, so the gradient at each step is checked, not only the last.
        expectGradientsMatch(inputs) { t in
            Tensor.stack(Self.unroll(cell, t + (cell == .lstm ? [] : [c.c0])).hidden)
        }
        // A loss on the last state only: everything flows back through the whole chain.
        expectGradientsMatch(inputs) { t in Self.unroll(cell, t + (cell == .lstm ? [] : [c.c0])).last.squared() }
    }

    @Test(arguments: RecurrentCell.allCases)
    func fusedStepsAgreeWithTheStepByStepOps(cell: RecurrentCell) {
        let c = Case(cell: cell, steps: 6, batch: 4, inputs: 3, hidden: 5, seed: 70)
        let leaves = [c.x, c.inputWeight, c.memoryWeight, c.bias, c.h0, c.c0].map { $0.requiringGrad() }
        let fused = Self.unroll(cell, leaves)
        var generator = SeededGenerator(seed: 77)
        let weights = Tensor.normal([6, 4, 5], generator: &generator)
        let fusedLoss = (Tensor.stack(fused.hidden) * weights).sum()
        let fusedGrads = gradients(of: fusedLoss, wrt: leaves)

        let probes = (0..<6).map { _ in Tensor(zeros: [4, 5]).requiringGrad() }
        let refStates = Self.reference(cell, leaves, probes: probes)
        let refLoss = (Tensor.stack(refStates) * weights).sum()
        let refGrads = gradients(of: refLoss, wrt: leaves + probes)

        expectClose(Tensor.stack(fused.hidden).copyScalars(), Tensor.stack(refStates).copyScalars(), tolerance: 1e-5)
        for (a, b) in zip(fusedGrads, refGrads.prefix(cell == .lstm ? 6 : 5)) {
            expectClose(a.copyScalars(), b.copyScalars(), tolerance: 1e-4)
        }
        // The trace's d(loss)/d(h_t) is the total derivative at every step.
        let recorded = fused.trace.hiddenGradients()
        #expect(recorded != nil)
        expectClose(recorded?.copyScalars() ?? [], Tensor.stack(Array(refGrads.suffix(6))).copyScalars(), tolerance: 1e-4)
        let norms = fused.trace.hiddenGradientNorms() ?? []
        #expect(norms.count == 6 && norms.allSatisfy { $0 > 0 })
    }

    @Test func theTraceKeepsStatesAndGates() throws {
        let c = Case(cell: .lstm, steps: 3, batch: 2, inputs: 1, hidden: 2, seed: 90)
        let out = withNoGrad { Self.unroll(.lstm, [c.x, c.inputWeight, c.memoryWeight, c.bias, c.h0, c.c0]) }
        let refStates = Self.reference(.lstm, [c.x, c.inputWeight, c.memoryWeight, c.bias, c.h0, c.c0])
        expectClose(out.trace.hiddenStates().copyScalars(), Tensor.stack(refStates).copyScalars())
        // Gate values from the pre-activations by hand, step 1, sequence 1, slot 0.
        let a = matmul(c.x.slice(alongAxis: 0, 0..<1).squeezed(at: 0), c.inputWeight) + matmul(c.h0, c.memoryWeight) + c.bias
        let forget = try #require(out.trace.gateActivations(.forget)), candidate = try #require(out.trace.gateActivations(.candidate))
        #expect(abs(forget[0, 1, 0] - 1 / (1 + exp(-a[1, 0]))) < 1e-6)
        #expect(abs(candidate[0, 1, 0] - tanhf(a[1, 6])) < 1e-6)
        #expect(out.trace.cellStates()?.shape == [3, 2, 2])
        // No backward happened (and nothing was recorded): no gradients to show.
        #expect(out.trace.hiddenGradients() == nil)
        #expect(!out.last.requiresGrad)
    }

    @Test func layersInitialiseAsDocumented() {
        var g = SeededGenerator(seed: 3)
        let lstm = LSTM(inputs: 1, hidden: 8, forgetBias: 3, generator: &g)
        let bias = lstm.bias.copyScalars()
        #expect(bias[0..<8].allSatisfy { $0 == 3 } && bias[8...].allSatisfy { $0 == 0 })
        #expect(lstm.parameters.map(\.name) == ["input_weight", "memory_weight", "bias"])
        #expect(lstm.memoryWeight.shape == [8, 32] && lstm.inputWeight.shape == [1, 32])
        let bound = 1 / Float(8).squareRoot()
        #expect(lstm.memoryWeight.copyScalars().allSatisfy { abs($0) <= bound })
        let rnn = RNN(inputs: 2, hidden: 4, memoryScale: 3, generator: &g)
        #expect(rnn.memoryWeight.copyScalars().contains { abs($0) > 0.5 })   // scaled beyond ±0.5
        #expect(rnn.forward(Tensor(zeros: [5, 3, 2])).shape == [3, 4])
    }

    /// 2,000 steps make a chain of 2,000 graph nodes: backward (iterative topological order)
    /// and freeing the graph must not recurse once per node.
    @Test(arguments: RecurrentCell.allCases)
    func aTwoThousandStepUnrollBackpropagates(cell: RecurrentCell) {
        var g = SeededGenerator(seed: 5)
        let x = Tensor.normal([2000, 2, 1], generator: &g)
        var model = LSTM(inputs: 1, hidden: 4, forgetBias: 3, generator: &g)
        let rnn = RNN(inputs: 1, hidden: 4, generator: &g)
        let out = cell == .lstm ? model.run(x) : rnn.run(x)
        out.last.sum().backward()
        let grad = cell == .lstm ? model.memoryWeight.grad : rnn.memoryWeight.grad
        #expect(grad != nil && grad!.copyScalars().allSatisfy(\.isFinite))
        #expect(out.trace.hiddenGradientNorms()?.count == 2000)
        model.zeroGrad()
        // A retained graph (all 2,000 nodes still linked) that is simply dropped.
        do {
            let kept = model.run(x)
            kept.last.sum().backward(retainGraph: true)
            kept.last.sum().backward()
        }
        do { _ = model.run(x).last.sum() }   // recorded, never backpropagated
    }

    @Test func aSecondBackwardThroughARetainedGraphGivesTheSameGradients() {
        let c = Case(cell: .lstm, steps: 5, batch: 2, inputs: 2, hidden: 3, seed: 120)
        let leaves = [c.x, c.inputWeight, c.memoryWeight, c.bias, c.h0, c.c0].map { $0.requiringGrad() }
        let loss = Self.unroll(.lstm, leaves).last.squared().sum()
        let first = gradients(of: loss, wrt: leaves, retainGraph: true)
        let second = gradients(of: loss, wrt: leaves)
        for (a, b) in zip(first, second) { #expect(a == b) }
    }

    /// A batch large enough to be split across two cores gives, row for row, the same bits as
    /// each half run on its own (small enough to stay on one thread): forward states and every
    /// gradient, including d(loss)/d(h_t) for each step.
    @Test(arguments: RecurrentCell.allCases)
    func splittingTheBatchAcrossCoresChangesNoBit(cell: RecurrentCell) {
        let hidden = 32, batch = 64, width = cell == .lstm ? 4 * hidden : hidden
        #expect(batch * hidden * width >= RecurrentTrace.splitThreshold)
        let c = Case(cell: cell, steps: 6, batch: batch, inputs: 2, hidden: hidden, seed: 300)
        func run(rows: Range<Int>) -> (states: [Float], hiddenGrads: [Float], inputGrad: [Float]) {
            let x = c.x.slice(alongAxis: 1, rows).requiringGrad()
            let weights = [c.inputWeight, c.memoryWeight, c.bias]
            let out = Self.unroll(cell, [x] + weights + [c.h0.slice(alongAxis: 0, rows), c.c0.slice(alongAxis: 0, rows)])
            // A loss on every step, so outside gradients arrive all along the sequence.
            var loss = out.last.squared().sum()
            for state in out.hidden.dropLast() { loss = loss + state.sum() * 0.1 }
            loss.backward()
            return (out.trace.hiddenStates().copyScalars(), out.trace.hiddenGradients()!.copyScalars(), x.grad!.copyScalars())
        }
        let whole = run(rows: 0..<batch)
        let halves = [run(rows: 0..<(batch / 2)), run(rows: (batch / 2)..<batch)]
        // Reassemble [T, B, H] from the halves, step by step.
        func joined(_ pick: ((states: [Float], hiddenGrads: [Float], inputGrad: [Float])) -> [Float], perRow: Int) -> [Float] {
            let half = batch / 2 * perRow
            let steps = pick(whole).count / (2 * half)
            var result: [Float] = []
            for t in 0..<steps {
                for part in halves {
                    let values: [Float] = pick(part)
                    result += values[(t * half)..<((t + 1) * half)]
                }
            }
            return result
        }
        #expect(whole.states.map(\.bitPattern) == joined({ $0.states }, perRow: hidden).map(\.bitPattern))
        #expect(whole.hiddenGrads.map(\.bitPattern) == joined({ $0.hiddenGrads }, perRow: hidden).map(\.bitPattern))
        #expect(whole.inputGrad.map(\.bitPattern) == joined({ $0.inputGrad }, perRow: 2).map(\.bitPattern))
    }

    /// Gradients filed at intermediate steps by one backward pass do not leak into the next
    /// backward through the same retained graph.
    @Test func aSecondLossOnARetainedGraphSeesOnlyItsOwnGradients() {
        let c = Case(cell: .lstm, steps: 5, batch: 2, inputs: 2, hidden: 3, seed: 130)
        let leaves = [c.x, c.inputWeight, c.memoryWeight, c.bias, c.h0, c.c0].map { $0.requiringGrad() }
        let out = Self.unroll(.lstm, leaves)
        let everyStep = out.hidden.dropFirst().reduce(out.hidden[0].sum()) { $0 + $1.sum() }
        _ = gradients(of: everyStep, wrt: leaves, retainGraph: true)
        let lastOnly = gradients(of: out.last.sum(), wrt: leaves)
        let fresh = gradients(of: Self.unroll(.lstm, leaves).last.sum(), wrt: leaves)
        for (a, b) in zip(lastOnly, fresh) { #expect(a == b) }
    }
}
