import CardioSim
import Course
import MLEngine

/// A recurrent cell (RNN or LSTM) reading a sequence one beat at a time, and a Linear(hidden -> 2)
/// head on its last hidden state: "was the first beat premature?".
struct SequenceClassifier: Layer {
    private(set) var cell: RecurrentCell
    private var rnn: RNN?
    private var lstm: LSTM?
    private var head: Linear

    init(cell: RecurrentCell, hidden: Int, forgetBias: Float, memoryScale: Float, generator: inout SeededGenerator) {
        self.cell = cell
        switch cell {
        case .rnn: rnn = RNN(inputs: 1, hidden: hidden, memoryScale: memoryScale, generator: &generator)
        case .lstm: lstm = LSTM(inputs: 1, hidden: hidden, forgetBias: forgetBias, memoryScale: memoryScale, generator: &generator)
        }
        head = Linear(inputs: hidden, outputs: 2, initializer: .xavierUniform, generator: &generator)
    }

    /// The logits [B, 2] for `input` [T, B, 1], and the unroll's trace.
    func run(_ input: Tensor) -> (logits: Tensor, output: RecurrentOutput) {
        let output = rnn?.run(input) ?? lstm!.run(input)
        return (head(output.last), output)
    }

    func forward(_ input: Tensor) -> Tensor { run(input).logits }

    mutating func visitParameters(_ visit: (String, inout Tensor) throws -> Void) rethrows {
        if rnn != nil { try rnn!.visitParameters { try visit("rnn.\($0)", &$1) } }
        if lstm != nil { try lstm!.visitParameters { try visit("lstm.\($0)", &$1) } }
        try head.visitParameters { try visit("head.\($0)", &$1) }
    }

    /// The Euclidean norm of all the weights together.
    var weightNorm: Double {
        var total = 0.0
        for (_, tensor) in parameters { tensor.withUnsafeScalars { for x in $0 { total += Double(x) * Double(x) } } }
        return total.squareRoot()
    }

    var isFinite: Bool { parameters.allSatisfy { $0.value.withUnsafeScalars { $0.allSatisfy(\.isFinite) } } }
}

/// The memory task's sequences as the network reads them: RR intervals in seconds, centred on
/// 0.85 s and counted in tenths of a second (so an ordinary beat reads about -1.5...1.5 and a
/// premature one about -5...-2.5), laid out time first, [T, B, 1].
struct MemorySequences: Sendable {
    static let scaling = InputScaling(centre: 0.85, unit: 0.1)
    let task: PrematureBeatSequences
    var length: Int { task.length }

    init(length: Int) {
        // The labs' ranges keep length >= 5; 1 is the simulator's own floor.
        task = (try? PrematureBeatSequences(length: max(1, length))) ?? (try! PrematureBeatSequences(length: 1))
    }

    /// `count` fresh sequences from `generator`: inputs [T, count, 1] and labels.
    func batch(_ count: Int, generator: inout SeededGenerator) -> (inputs: Tensor, labels: [Int]) {
        let (intervals, labels) = task.generate(count: count, generator: &generator)
        let (t, centre, unit) = (length, Float(Self.scaling.centre), Float(Self.scaling.unit))
        let inputs = intervals.withUnsafeBufferPointer { rr in
            Tensor(shape: [t, count, 1], scalars: (0..<(t * count)).map { k in
                // Time-major: element (step, sequence) comes from row `sequence`, column `step`.
                (rr[(k % count) * t + k / count] - centre) / unit
            })
        }
        return (inputs, labels)
    }
}

/// What one training step measured.
struct SequenceStepResult {
    var loss: Double
    var accuracy: Double
    /// |d(loss)/d(h_t)| for t = 1 ... T.
    var gradientProfile: [Double]
    /// The parameters' gradient norm before clipping.
    var gradientNorm: Double
}

extension SequenceClassifier {
    /// One minibatch: forward through time, cross-entropy on the last state, backward through
    /// time, gradient-norm clipping (`clip` > 0), one optimizer step.
    mutating func train(on batch: (inputs: Tensor, labels: [Int]), clip: Double,
                        optimizer: inout any Optimizer) throws -> SequenceStepResult {
        zeroGrad()
        let (logits, output) = run(batch.inputs)
        let loss = try crossEntropy(logits: logits, labels: batch.labels)
        loss.backward()
        let norm = clip > 0 ? clipGradientNorm(maxNorm: Float(clip)) : gradientNorm
        optimizer.step(&self)
        return SequenceStepResult(loss: Double(loss.item), accuracy: Self.accuracy(logits, batch.labels),
                                  gradientProfile: output.trace.hiddenGradientNorms() ?? [],
                                  gradientNorm: Double(norm))
    }

    /// The fraction of `labels` the logits get right.
    static func accuracy(_ logits: Tensor, _ labels: [Int]) -> Double {
        let predicted = logits.argmax(alongAxis: 1).copyScalars()
        let right = zip(predicted, labels).filter { Int($0) == $1 }.count
        return Double(right) / Double(max(labels.count, 1))
    }

    /// Accuracy on a fixed set, recording nothing, in chunks of at most 128 sequences (fewer for
    /// long ones: the trace keeps every step's gates, 1 KB per sequence per step at hidden 64).
    func accuracy(on inputs: Tensor, labels: [Int]) -> Double {
        let chunk = max(8, min(128, 12_800 / max(inputs.shape[0], 1)))
        var right = 0.0
        for start in stride(from: 0, to: labels.count, by: chunk) {
            let end = min(start + chunk, labels.count)
            let logits = withNoGrad { forward(inputs.slice(alongAxis: 1, start..<end)) }
            right += Self.accuracy(logits, Array(labels[start..<end])) * Double(end - start)
        }
        return right / Double(max(labels.count, 1))
    }
}

/// grad_ratio: |d(loss)/d(h_1)| / |d(loss)/d(h_T)|, how much of the learning signal at the
/// answer still reaches the first beat.
func gradientRatio(_ profile: [Double]) -> Double? {
    guard let first = profile.first, let last = profile.last, last > 0 else { return nil }
    return first / last
}
