import Dispatch
import Foundation

/// Which recurrent cell an unroll runs.
public enum RecurrentCell: String, Sendable, CaseIterable {
    /// memory = tanh(x W_in + memory W_mem + b).
    case rnn
    /// Long short-term memory: forget, input and output gates and a candidate.
    case lstm
}

/// One LSTM gate, in the order its columns sit in the weights: `[forget | input | output | candidate]`.
public enum LSTMGate: Int, Sendable, CaseIterable {
    case forget = 0, input, output, candidate
}

/// What one unroll over a sequence recorded, shared by all the graph nodes of that unroll: the
/// hidden and cell states and gate activations of every step (the backward pass needs them, the
/// panels show them), and, once `backward()` has run, d(loss)/d(hidden state) at every step.
///
/// The forward pass fills the state buffers; the backward pass of each step writes its part of
/// d(loss)/d(pre-activations) here, so the gradient of the recurrent weight is one large GEMM at
/// the end instead of one small product per step.
///
/// `@unchecked Sendable`: a trace is written by the task that runs its forward and backward only.
public final class RecurrentTrace: @unchecked Sendable {
    public let cell: RecurrentCell
    /// Time steps T, sequences in the batch B, hidden size H.
    public let steps: Int, batch: Int, hidden: Int
    /// Columns of the pre-activations: 4H for the LSTM (four gates), H for the RNN.
    let width: Int
    let memoryWeight: Tensor
    /// W_mem packed for the forward product h_{t-1} W_mem, once per unroll rather than per step.
    let forwardMemory: PackedRightOperand
    /// W_mem^T packed for the backward product da W_mem^T, made when the first step's backward runs.
    lazy var backwardMemory = PackedRightOperand(transposed: true, b: memoryWeight.storage.pointer, ldb: width,
                                                 k: width, n: hidden)

    /// h_0 ... h_T, each [B, H].
    let hiddenBuffer: UnsafeMutablePointer<Float>
    /// LSTM: c_0 ... c_T, each [B, H].
    let cellBuffer: UnsafeMutablePointer<Float>?
    /// LSTM: tanh(c_t) for t = 1 ... T.
    let cellTanhBuffer: UnsafeMutablePointer<Float>?
    /// LSTM: gate activations for t = 1 ... T, each [B, 4H] (sigmoid, sigmoid, sigmoid, tanh).
    let gateBuffer: UnsafeMutablePointer<Float>?

    /// d(loss)/d(c_t) flowing from step t + 1 back into step t (LSTM).
    var cellCarry: UnsafeMutablePointer<Float>?
    /// d(loss)/d(h_t) for t = 1 ... T, written by the backward pass.
    var hiddenGradientBuffer: UnsafeMutablePointer<Float>?
    var hiddenGradientArrived = false
    /// Which steps received a gradient from outside the recurrence in the current backward pass.
    var outsideArrived: [Bool]
    var beginScheduled = false

    init(cell: RecurrentCell, steps: Int, batch: Int, hidden: Int, memoryWeight: Tensor) {
        self.cell = cell
        self.steps = steps
        self.batch = batch
        self.hidden = hidden
        self.memoryWeight = memoryWeight
        width = cell == .lstm ? 4 * hidden : hidden
        outsideArrived = Array(repeating: false, count: steps)
        forwardMemory = PackedRightOperand(transposed: false, b: memoryWeight.storage.pointer, ldb: width, k: hidden, n: width)
        let states = (steps + 1) * batch * hidden
        hiddenBuffer = .allocate(capacity: states)
        if cell == .lstm {
            cellBuffer = .allocate(capacity: states)
            cellTanhBuffer = .allocate(capacity: steps * batch * hidden)
            gateBuffer = .allocate(capacity: steps * batch * width)
        } else {
            cellBuffer = nil
            cellTanhBuffer = nil
            gateBuffer = nil
        }
    }

    deinit {
        hiddenBuffer.deallocate()
        cellBuffer?.deallocate()
        cellTanhBuffer?.deallocate()
        gateBuffer?.deallocate()
        cellCarry?.deallocate()
        hiddenGradientBuffer?.deallocate()
    }

    /// Gradient buffers, made once the unroll is known to be recorded. Only the cell carry starts
    /// at zero: backpropagation through time writes every d(loss)/d(h_t) before anything reads it.
    func prepareBackward() {
        let perStep = batch * hidden
        hiddenGradientBuffer = .allocate(capacity: steps * perStep)
        if cell == .lstm {
            cellCarry = .allocate(capacity: perStep)
            cellCarry!.initialize(repeating: 0, count: perStep)
        }
    }

    // MARK: What panels and labs read

    /// The hidden states h_1 ... h_T as one [T, B, H] tensor (a copy, off the graph).
    public func hiddenStates() -> Tensor {
        let perStep = batch * hidden
        return Tensor(shape: [steps, batch, hidden]) { $0.update(from: hiddenBuffer + perStep, count: steps * perStep) }
    }

    /// The LSTM's cell states c_1 ... c_T as [T, B, H], or nil for the RNN.
    public func cellStates() -> Tensor? {
        guard let cellBuffer else { return nil }
        let perStep = batch * hidden
        return Tensor(shape: [steps, batch, hidden]) { $0.update(from: cellBuffer + perStep, count: steps * perStep) }
    }

    /// One gate's activations at every step, [T, B, H] (values in 0...1 for the three gates,
    /// -1...1 for the candidate), or nil for the RNN.
    public func gateActivations(_ gate: LSTMGate) -> Tensor? {
        guard let gateBuffer else { return nil }
        let (b, h, w) = (batch, hidden, width), offset = gate.rawValue * hidden
        return Tensor(shape: [steps, batch, hidden]) { out in
            for row in 0..<(steps * b) { (out + row * h).update(from: gateBuffer + row * w + offset, count: h) }
        }
    }

    /// d(loss)/d(h_t) for t = 1 ... T as [T, B, H], the total derivative (through the head and
    /// through all later steps), or nil until a backward pass has reached this unroll.
    public func hiddenGradients() -> Tensor? {
        guard hiddenGradientArrived, let hiddenGradientBuffer else { return nil }
        return Tensor(shape: [steps, batch, hidden]) { $0.update(from: hiddenGradientBuffer, count: steps * batch * hidden) }
    }

    /// The size (Euclidean norm over batch and units) of d(loss)/d(h_t) for t = 1 ... T, or nil
    /// before backward.
    public func hiddenGradientNorms() -> [Double]? {
        guard hiddenGradientArrived, let hiddenGradientBuffer else { return nil }
        let perStep = batch * hidden
        return (0..<steps).map { t in
            var total = 0.0
            let row = hiddenGradientBuffer + t * perStep
            for i in 0..<perStep { total += Double(row[i]) * Double(row[i]) }
            return total.squareRoot()
        }
    }

    // MARK: Splitting the batch

    /// The sequences of a batch never interact, so the forward pass and backpropagation through
    /// time can each run as two independent loops over the two halves of the batch, one per core,
    /// with a single hand-off per pass instead of one per step. Every row is computed by the same
    /// kernels in the same order however the batch is cut, so the result does not depend on it.
    /// Small unrolls stay on one thread: waking a second costs more than it saves.
    private var rowRanges: [Range<Int>] {
        let parallel = batch >= 2 && batch * hidden * width >= RecurrentTrace.splitThreshold
            && GEMMPlan.defaultThreadCount > 1
        return parallel ? [0..<(batch / 2), (batch / 2)..<batch] : [0..<batch]
    }

    /// Multiply-adds of one step's recurrent product from which the batch is split in two.
    static let splitThreshold = 1 << 16

    private func forEachRowRange(_ body: @Sendable (Range<Int>) -> Void) {
        let ranges = rowRanges
        if ranges.count == 1 { return body(ranges[0]) }
        DispatchQueue.concurrentPerform(iterations: ranges.count) { body(ranges[$0]) }
    }

    // MARK: Forward

    /// Every step, t = 1 ... T: reads P_t and h_{t-1} (and c_{t-1}), writes h_t (and c_t, the gates).
    func runForward(projection: UnsafePointer<Float>) {
        let source = UnsafeSendablePointer(projection)
        forEachRowRange { rows in
            for t in 1...self.steps { self.forwardStep(t, rows: rows, projection: source.pointer) }
        }
    }

    /// Step t (1-based) for the sequences in `rows`.
    private func forwardStep(_ t: Int, rows: Range<Int>, projection: UnsafePointer<Float>) {
        let (b, h, w) = (batch, hidden, width)
        let r0 = rows.lowerBound, count = rows.count
        let previous = hiddenBuffer + (t - 1) * b * h + r0 * h, current = hiddenBuffer + t * b * h + r0 * h
        let input = projection + (t - 1) * b * w + r0 * w
        switch cell {
        case .rnn:
            // a = P_t + h_{t-1} W_mem, then tanh in place: h_t = tanh(a).
            current.update(from: input, count: count * w)
            forwardMemory.multiply(m: count, a: previous, lda: h, beta: 1, into: current, ldc: w)
            VectorMath.tanh(current, count: count * h)
        case .lstm:
            let gates = gateBuffer! + (t - 1) * b * w + r0 * w
            gates.update(from: input, count: count * w)
            forwardMemory.multiply(m: count, a: previous, lda: h, beta: 1, into: gates, ldc: w)
            let cPrevious = cellBuffer! + (t - 1) * b * h + r0 * h, cCurrent = cellBuffer! + t * b * h + r0 * h
            let cTanh = cellTanhBuffer! + (t - 1) * b * h + r0 * h
            for r in 0..<count {
                let f = gates + r * w, i = f + h, o = f + 2 * h, g = f + 3 * h
                // Each row is [forget | input | output | candidate]: three sigmoids side by side, one tanh.
                VectorMath.sigmoid(f, count: 3 * h)
                VectorMath.tanh(g, count: h)
                let cp = cPrevious + r * h, c = cCurrent + r * h, tc = cTanh + r * h, out = current + r * h
                for j in 0..<h { c[j] = f[j] * cp[j] + i[j] * g[j] }
                tc.update(from: c, count: h)
                VectorMath.tanh(tc, count: h)
                for j in 0..<h { out[j] = o[j] * tc[j] }
            }
        }
    }

    // MARK: Backward

    /// Records what reached h_t from outside the recurrence (a head reading h_t, a layer above).
    /// The step nodes of the tape only collect these; `backpropagateThroughTime` does the rest
    /// once all of them have arrived.
    func receiveOutsideGradient(_ t: Int, _ g: Tensor) {
        let perStep = batch * hidden
        (hiddenGradientBuffer! + (t - 1) * perStep).update(from: g.storage.pointer, count: perStep)
        outsideArrived[t - 1] = true
    }

    /// True for the first step node of a backward pass to ask, so exactly one of them passes a
    /// gradient on to the begin node.
    func scheduleBegin() -> Bool {
        defer { beginScheduled = true }
        return !beginScheduled
    }

    /// Backpropagation through time, t = T down to 1, for every sequence: at each step the
    /// gradient reaching h_t is what came from outside plus what came back from step t + 1;
    /// from it the cell's backward gives d(loss)/d(pre-activations) of step t (kept for the
    /// weight gradients) and d(loss)/d(h_{t-1}) = da W_mem^T, which step t - 1 receives.
    /// Returns d(loss)/d(h_0) and d(loss)/d(pre-activations) for t = 1 ... T, [T, B, width]
    /// (which is also d(loss)/d(projection)).
    func backpropagateThroughTime() -> (initialHidden: Tensor, preactivations: Tensor) {
        let (b, h) = (batch, hidden)
        let hiddenZero = Tensor(shape: [b, h]) { $0.initialize(repeating: 0, count: b * h) }
        // Every entry is written by the steps below, so it starts uninitialised.
        let preactivations = Tensor(shape: [steps, b, width]) { _ in }
        let carried = UnsafeSendablePointer(hiddenZero.storage.pointer)
        let da = UnsafeSendablePointer(preactivations.storage.pointer)
        let arrived = outsideArrived
        // Made here, before the split: a lazy property first touched by both halves at once would race.
        let memoryTransposed = backwardMemory
        forEachRowRange { rows in
            let fromLater = carried.pointer + rows.lowerBound * h
            for t in stride(from: self.steps, through: 1, by: -1) {
                self.backwardStep(t, rows: rows, outside: arrived[t - 1], fromLater: fromLater, preactivations: da.pointer,
                                  memoryTransposed: memoryTransposed)
            }
        }
        hiddenGradientArrived = true
        outsideArrived = Array(repeating: false, count: steps)
        beginScheduled = false
        return (hiddenZero, preactivations)
    }

    /// Step t's backward for the sequences in `rows`. `fromLater` holds d(loss)/d(h_t) that came
    /// back from step t + 1 for those rows; on return it holds d(loss)/d(h_{t-1}).
    private func backwardStep(_ t: Int, rows: Range<Int>, outside: Bool, fromLater: UnsafeMutablePointer<Float>,
                              preactivations: UnsafeMutablePointer<Float>, memoryTransposed: PackedRightOperand) {
        let (b, h, w) = (batch, hidden, width)
        let r0 = rows.lowerBound, count = rows.count
        // Everything that reached h_t: from outside (if anything came) plus from step t + 1.
        let dh = hiddenGradientBuffer! + (t - 1) * b * h + r0 * h
        if outside {
            for i in 0..<(count * h) { dh[i] += fromLater[i] }
        } else {
            dh.update(from: fromLater, count: count * h)
        }
        let da = preactivations + (t - 1) * b * w + r0 * w
        switch cell {
        case .rnn:
            let current = hiddenBuffer + t * b * h + r0 * h
            for i in 0..<(count * h) { da[i] = dh[i] * (1 - current[i] * current[i]) }
        case .lstm:
            let gates = gateBuffer! + (t - 1) * b * w + r0 * w
            let cPrevious = cellBuffer! + (t - 1) * b * h + r0 * h, cTanh = cellTanhBuffer! + (t - 1) * b * h + r0 * h
            for r in 0..<count {
                let f = gates + r * w, i = f + h, o = f + 2 * h, g = f + 3 * h
                let df = da + r * w, di = df + h, dO = df + 2 * h, dg = df + 3 * h
                let cp = cPrevious + r * h, tc = cTanh + r * h, dhr = dh + r * h, carry = cellCarry! + (r0 + r) * h
                for j in 0..<h {
                    // c_t = f c_{t-1} + i g and h_t = o tanh(c_t): the cell gradient gathers the
                    // path through h_t and the path through c_{t+1} (the carry).
                    let dc = carry[j] + dhr[j] * o[j] * (1 - tc[j] * tc[j])
                    df[j] = dc * cp[j] * f[j] * (1 - f[j])
                    di[j] = dc * g[j] * i[j] * (1 - i[j])
                    dO[j] = dhr[j] * tc[j] * o[j] * (1 - o[j])
                    dg[j] = dc * i[j] * (1 - g[j] * g[j])
                    carry[j] = dc * f[j]
                }
            }
        }
        // d(loss)/d(h_{t-1}) = da W_mem^T.
        memoryTransposed.multiply(m: count, a: da, lda: w, beta: 0, into: fromLater, ldc: h)
    }

    /// After backpropagation through time: d(loss)/d(W_mem) as one GEMM over all steps
    /// (h_0 ... h_{T-1} against the pre-activation gradients), and the cell gradient that reached
    /// c_0. Clears the cell carry so a retained graph can run again.
    func finishBackward(preactivations: Tensor) -> (memoryWeight: Tensor, initialCell: Tensor?) {
        let (t, b, h, w) = (steps, batch, hidden, width)
        let da = preactivations.storage.pointer
        let dMemory = Tensor(shape: [h, w]) { out in
            gemm(transA: true, transB: false, m: h, n: w, k: t * b, alpha: 1, a: hiddenBuffer, lda: h,
                 b: da, ldb: w, beta: 0, c: out, ldc: w)
        }
        var dCell: Tensor?
        if let cellCarry {
            dCell = Tensor(shape: [b, h]) { $0.update(from: cellCarry, count: b * h) }
            cellCarry.update(repeating: 0, count: b * h)
        }
        return (dMemory, dCell)
    }
}

/// A pointer handed to the two halves of a split pass, which write disjoint rows through it.
private struct UnsafeSendablePointer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    init(_ pointer: UnsafeMutablePointer<Float>) { self.pointer = pointer }
    init(_ pointer: UnsafePointer<Float>) { self.pointer = UnsafeMutablePointer(mutating: pointer) }
}

/// The hidden states of one unroll, on the autodiff graph, and its trace.
public struct RecurrentOutput: Sendable {
    /// h_1 ... h_T, each [B, H]. A loss on any of them backpropagates through time.
    public let hidden: [Tensor]
    /// What the unroll recorded: all states, gate activations, and after backward the
    /// gradient that reached every hidden state.
    public let trace: RecurrentTrace

    /// h_T, the state after the last step (what a sequence classifier reads).
    public var last: Tensor { hidden[hidden.count - 1] }
}

/// Runs a recurrent cell over a sequence whose input projections are already computed.
///
/// - Parameters:
///   - projection: x_t W_in + b for every step, [T, B, width] (width 4H for the LSTM, with the
///     gates in `LSTMGate` order; H for the RNN). Computing it for all steps in one GEMM is the
///     fast path: only the recurrent product h_{t-1} W_mem is left for each step.
///   - memoryWeight: W_mem, [H, width].
///   - initialHidden: h_0, [B, H]; initialCell: c_0 (LSTM only), [B, H].
///
/// The cell's forward and backward are written by hand (one fused cell instead of a dozen
/// elementwise ops). On the tape, each h_t is a thin node that collects the gradient reaching it
/// from outside the recurrence; one "begin" node behind them all then backpropagates through
/// time in a single loop (no recursion, so a 2,000-step unroll is no deeper than a 2-step one)
/// and hands back the gradients for the projection, W_mem, h_0 and c_0.
/// The fused backward uses raw kernels, so it cannot be recorded for create-graph
/// (higher derivatives); it stops with a message if asked to.
public func recurrentUnroll(_ cell: RecurrentCell, projection: Tensor, memoryWeight: Tensor,
                            initialHidden: Tensor, initialCell: Tensor? = nil) -> RecurrentOutput {
    precondition(projection.rank == 3 && projection.shape[0] > 0, "recurrent projection must be [T, B, width] with T >= 1, got \(projection.shape)")
    let (steps, batch) = (projection.shape[0], projection.shape[1])
    let hidden = initialHidden.shape.last ?? 0
    let width = cell == .lstm ? 4 * hidden : hidden
    precondition(projection.shape[2] == width, "\(cell.rawValue) with hidden \(hidden) needs projection width \(width), got \(projection.shape)")
    precondition(memoryWeight.shape == [hidden, width], "\(cell.rawValue) memory weight must be [\(hidden), \(width)], got \(memoryWeight.shape)")
    precondition(initialHidden.shape == [batch, hidden], "initial hidden state must be [\(batch), \(hidden)], got \(initialHidden.shape)")
    let cellStart = cell == .lstm ? (initialCell ?? Tensor(zeros: [batch, hidden])) : nil
    if let cellStart { precondition(cellStart.shape == [batch, hidden], "initial cell state must be [\(batch), \(hidden)], got \(cellStart.shape)") }

    let trace = RecurrentTrace(cell: cell, steps: steps, batch: batch, hidden: hidden, memoryWeight: memoryWeight.detached())
    let perStep = batch * hidden
    trace.hiddenBuffer.update(from: initialHidden.storage.pointer, count: perStep)
    if let cellStart { trace.cellBuffer!.update(from: cellStart.storage.pointer, count: perStep) }

    let inputs = [projection, memoryWeight, initialHidden] + (cellStart.map { [$0] } ?? [])
    let recording = GradMode.isEnabled && inputs.contains { $0.requiresGrad }
    if recording { trace.prepareBackward() }
    let hasCell = cellStart != nil
    // The tape holds one "begin" node and T thin step nodes that depend on it alone. A step node
    // only files what reached h_t from outside the recurrence; the begin node runs after all of
    // them (everything they feed is done by then) and backpropagates through time in one pass.
    let begin = Tensor.differentiable(initialHidden.detached(), op: "\(cell.rawValue)-begin", inputs: inputs) { _ in
        precondition(!GradMode.isEnabled, "the fused \(cell.rawValue) backward cannot be recorded for create-graph")
        let (dInitialHidden, dProjection) = trace.backpropagateThroughTime()
        let (dMemory, dCell) = trace.finishBackward(preactivations: dProjection)
        return [dProjection, dMemory, dInitialHidden] + (hasCell ? [dCell] : [])
    }
    trace.runForward(projection: projection.storage.pointer)
    var states: [Tensor] = []
    states.reserveCapacity(steps)
    for t in 1...steps {
        let value = Tensor(shape: [batch, hidden]) { $0.update(from: trace.hiddenBuffer + t * perStep, count: perStep) }
        states.append(Tensor.differentiable(value, op: "\(cell.rawValue)-step", inputs: [begin]) { g in
            precondition(!GradMode.isEnabled, "the fused \(cell.rawValue) backward cannot be recorded for create-graph")
            trace.receiveOutsideGradient(t, g)
            // One step hands the begin node a (zero) gradient so that it is scheduled at all.
            return [trace.scheduleBegin() ? Tensor(zeros: [batch, hidden]) : nil]
        })
    }
    return RecurrentOutput(hidden: states, trace: trace)
}
