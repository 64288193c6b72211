/// Recurrent layers: a memory carried from one time step to the next.
///
/// Both read a sequence as `[T, B, inputs]` (time first: step t of every sequence in the batch
/// is one contiguous block) and keep the lesson's notation, `x W_in + memory W_mem + b`, so the
/// weights are stored as `W_in [inputs, width]` and `W_mem [hidden, width]` (not transposed as
/// in `Linear`). The input projection of every step is one GEMM over all T x B rows; only the
/// recurrent product waits for the step before it (see `recurrentUnroll`).

/// A plain (Elman) recurrent network: memory_t = tanh(x_t W_in + memory_{t-1} W_mem + b).
public struct RNN: Layer {
    /// W_in, [inputs, hidden].
    public var inputWeight: Tensor
    /// W_mem, [hidden, hidden].
    public var memoryWeight: Tensor
    /// b, [hidden].
    public var bias: Tensor

    /// Weights uniform in ±1/sqrt(hidden) as in PyTorch; `memoryScale` multiplies W_mem (above
    /// about 1.5 the memory turns chaotic and gradients explode back through time).
    public init(inputs: Int, hidden: Int, memoryScale: Float = 1, generator: inout SeededGenerator) {
        precondition(inputs > 0 && hidden > 0, "RNN needs positive sizes, got \(inputs) -> \(hidden)")
        let bound = 1 / Float(hidden).squareRoot()
        inputWeight = Tensor.uniform([inputs, hidden], low: -bound, high: bound, generator: &generator).requiringGrad()
        memoryWeight = (Tensor.uniform([hidden, hidden], low: -bound, high: bound, generator: &generator) * memoryScale).requiringGrad()
        bias = Tensor(zeros: [hidden]).requiringGrad()
    }

    public var inputCount: Int { inputWeight.shape[0] }
    public var hiddenCount: Int { memoryWeight.shape[0] }

    /// Runs over `input` [T, B, inputs] from `initialHidden` (zeros by default).
    public func run(_ input: Tensor, initialHidden: Tensor? = nil) -> RecurrentOutput {
        let projection = recurrentProjection(input, inputWeight, bias)
        return recurrentUnroll(.rnn, projection: projection, memoryWeight: memoryWeight,
                               initialHidden: initialHidden ?? Tensor(zeros: [input.shape[1], hiddenCount]))
    }

    /// The last hidden state, [B, hidden].
    public func forward(_ input: Tensor) -> Tensor { run(input).last }

    public mutating func visitParameters(_ visit: (String, inout Tensor) throws -> Void) rethrows {
        try visit("input_weight", &inputWeight)
        try visit("memory_weight", &memoryWeight)
        try visit("bias", &bias)
    }
}

/// Long short-term memory (Hochreiter and Schmidhuber, 1997, with the forget gate of Gers et
/// al., 2000). Four blocks of H columns, in `LSTMGate` order:
///
///     f = sigmoid(.)   forget: how much of each memory slot to keep
///     i = sigmoid(.)   input: how much of the candidate to write
///     o = sigmoid(.)   output: how much of the memory to show
///     g = tanh(.)      candidate: what to write
///     c_t = f * c_{t-1} + i * g,   h_t = o * tanh(c_t)
///
/// With f near 1 and i near 0 a slot carries its value unchanged across many steps, and so
/// does its gradient: that is the whole trick against vanishing gradients.
public struct LSTM: Layer {
    /// W_in, [inputs, 4 hidden].
    public var inputWeight: Tensor
    /// W_mem, [hidden, 4 hidden].
    public var memoryWeight: Tensor
    /// b, [4 hidden].
    public var bias: Tensor

    /// Weights uniform in ±1/sqrt(hidden) as in PyTorch, biases 0 except the forget gate's,
    /// which start at `forgetBias`: sigmoid(forgetBias) is the fraction of memory kept per step
    /// at first (0.73 for 1, 0.95 for 3), so a large value lets gradients reach early steps
    /// before anything is learned.
    public init(inputs: Int, hidden: Int, forgetBias: Float = 1, memoryScale: Float = 1, generator: inout SeededGenerator) {
        precondition(inputs > 0 && hidden > 0, "LSTM needs positive sizes, got \(inputs) -> \(hidden)")
        let bound = 1 / Float(hidden).squareRoot()
        inputWeight = Tensor.uniform([inputs, 4 * hidden], low: -bound, high: bound, generator: &generator).requiringGrad()
        memoryWeight = (Tensor.uniform([hidden, 4 * hidden], low: -bound, high: bound, generator: &generator) * memoryScale).requiringGrad()
        bias = Tensor(shape: [4 * hidden], scalars: (0..<(4 * hidden)).map { $0 < hidden ? forgetBias : 0 }).requiringGrad()
    }

    public var inputCount: Int { inputWeight.shape[0] }
    public var hiddenCount: Int { memoryWeight.shape[0] }

    /// Runs over `input` [T, B, inputs] from `initialHidden` and `initialCell` (zeros by default).
    public func run(_ input: Tensor, initialHidden: Tensor? = nil, initialCell: Tensor? = nil) -> RecurrentOutput {
        let projection = recurrentProjection(input, inputWeight, bias)
        let zeros = Tensor(zeros: [input.shape[1], hiddenCount])
        return recurrentUnroll(.lstm, projection: projection, memoryWeight: memoryWeight,
                               initialHidden: initialHidden ?? zeros, initialCell: initialCell ?? zeros)
    }

    /// The last hidden state, [B, hidden].
    public func forward(_ input: Tensor) -> Tensor { run(input).last }

    public mutating func visitParameters(_ visit: (String, inout Tensor) throws -> Void) rethrows {
        try visit("input_weight", &inputWeight)
        try visit("memory_weight", &memoryWeight)
        try visit("bias", &bias)
    }
}

/// x_t W_in + b for all T x B rows at once: [T, B, inputs] -> [T, B, width], one op on the tape.
///
/// The bias is laid down first and the product added on top of it (a GEMM with beta = 1), so
/// the 3 MB output is written once instead of being made by the product and copied by `+ b`.
/// Backward: d(input) = g W_in^T, d(W_in) = x^T g, d(b) = the column sums of g.
func recurrentProjection(_ input: Tensor, _ inputWeight: Tensor, _ bias: Tensor) -> Tensor {
    precondition(input.rank == 3 && input.shape[2] == inputWeight.shape[0],
                 "recurrent input must be [T, B, \(inputWeight.shape[0])], got \(input.shape)")
    let width = inputWeight.shape[1]
    precondition(bias.shape == [width], "recurrent bias must be [\(width)], got \(bias.shape)")
    let (steps, batch, inputs) = (input.shape[0], input.shape[1], input.shape[2])
    let rows = steps * batch
    let px = input.storage.pointer, pw = inputWeight.storage.pointer, pb = bias.storage.pointer
    let projection = Tensor(shape: [steps, batch, width]) { out in
        for r in 0..<rows { (out + r * width).update(from: pb, count: width) }
        gemm(transA: false, transB: false, m: rows, n: width, k: inputs, alpha: 1,
             a: px, lda: inputs, b: pw, ldb: width, beta: 1, c: out, ldc: width)
    }
    return Tensor.differentiable(projection, op: "recurrent_projection", inputs: [input, inputWeight, bias]) { g in
        let gradRows = g.reshaped([rows, width])
        let dInput = input.requiresGrad
            ? matmul(gradRows, inputWeight, transposeB: true).reshaped([steps, batch, inputs]) : nil
        let dWeight = inputWeight.requiresGrad
            ? matmul(input.reshaped([rows, inputs]), gradRows, transposeA: true) : nil
        let dBias = bias.requiresGrad ? columnSums(gradRows) : nil
        return [dInput, dWeight, dBias]
    }
}

/// The sum of each column of a [rows, width] matrix: row after row added into one accumulator.
private func columnSums(_ matrix: Tensor) -> Tensor {
    let (rows, width) = (matrix.shape[0], matrix.shape[1])
    let source = matrix.storage.pointer
    return Tensor(shape: [width]) { sums in
        sums.initialize(repeating: 0, count: width)
        for r in 0..<rows {
            let row = source + r * width
            for j in 0..<width { sums[j] += row[j] }
        }
    }
}
