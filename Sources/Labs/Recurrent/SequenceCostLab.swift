import Course
import Foundation
import MLEngine
import TextPlot

/// `sequence-cost`: the sequential limit, measured. One training pass (forward and backward) over
/// one sequence of RR intervals, timed for an LSTM and for two convolution layers of about the
/// same number of weights, at lengths 50 to 2,000.
///
/// The LSTM's step t needs the memory of step t-1, so its work is a chain as long as the
/// sequence: 2,000 small products, one after the other. The convolution computes every position
/// at once (one large product per layer, split across both cores by the GEMM); its chain of
/// dependent steps is as long as it has layers. Both do work in proportion to the length; what
/// differs is how much of it can run side by side.
///
/// Each step times one model at one length, so no step blocks the screen: for each length, the
/// LSTM then the conv, `samples` times each, shortest length first; a model's time at a length is
/// the median of its samples. Short lengths repeat the pass (a count fixed by the length, never by
/// the clock) so that each step does about as much work as one pass at 2,000. After the last
/// length the sweep is done; training on starts another sweep that adds samples.
///
/// Metrics: `sequential_steps_lstm` and `sequential_steps_conv` (the chains, counted: tests
/// check these), `lstm_over_conv_seconds` (the LSTM's time over the conv's at the longest length,
/// measured: a picture, never a test), `lengths_measured`.
///
/// Checkpoints keep both models' weights, the step (where the sweep is) and the times measured
/// so far; a resumed lab measures the rest anew, so its later times differ from an uninterrupted
/// run's while everything counted matches bit for bit.
public struct SequenceCostLab: Lab {
    public static let labID = "sequence-cost"
    public static let labTitle = "The sequential limit: time per sequence, LSTM against conv"
    public static let panelNames = ["cost", "table"]
    /// The lengths measured, up to `max_length`.
    public static let candidateLengths = [50, 100, 200, 500, 1000, 2000]
    /// Time steps a short length's repeated passes add up to, at least, in one step.
    public static let stepsPerMeasurement = 2000
    /// The convolution: two layers of this kernel width (hidden channels), ReLU between.
    public static let kernel = 4
    public static let convLayers = 2

    /// Which model a measurement is of.
    public enum Model: String, CaseIterable, Sendable { case lstm, conv }

    public var id: String { Self.labID }
    public var title: String { Self.labTitle }
    public private(set) var seed: UInt64

    private struct Settings: Equatable { var hidden = 64, maxLength = 2000, samples = 3 }
    private var settings = Settings()
    private var built = Settings()

    private var lstm: LSTM
    private var conv: [Conv1d]
    private var steps = 0
    /// Milliseconds per pass, [model][length][sample], in the order measured.
    private var times: [Model: [[Double]]] = [:]
    public private(set) var metrics = Metrics()

    public init(seed: UInt64) {
        self.seed = seed
        var generator = SeededGenerator(seed: seed)
        lstm = LSTM(inputs: 1, hidden: 1, generator: &generator)
        conv = []
        reset(seed: seed)
    }

    // MARK: Hyperparameters

    public var parameters: [Hyperparameter] {
        [
            .logScale("hidden", Double(settings.hidden), in: 16...128, factor: 2, integer: true, effect: .reset,
                      help: "LSTM memory slots, and the conv's channels (both get about the same number of weights)"),
            .logScale("max_length", Double(settings.maxLength), in: 100...2000, factor: 2, integer: true, effect: .reset,
                      help: "the longest sequence measured; lengths 50, 100, 200, 500, 1000, 2000 up to it"),
            .linear("samples", Double(settings.samples), in: 1...9, step: 1, integer: true, effect: .reset,
                    help: "timings per model and length in one sweep (the median is shown)"),
        ]
    }

    public mutating func set(_ name: String, to value: HyperValue) throws {
        let number = Int(try parameters.checked(name, value, lab: id).number ?? 0)
        switch name {
        case "hidden": settings.hidden = number
        case "max_length": settings.maxLength = number
        default: settings.samples = number
        }
    }

    // MARK: What is counted

    /// The lengths of this run's sweep.
    public var lengths: [Int] { Self.candidateLengths.filter { $0 <= built.maxLength } }

    /// The chain of dependent steps in one pass at length n: the LSTM's step t waits for step
    /// t-1; the conv's layer waits only for the layer below.
    public static func sequentialSteps(_ model: Model, length n: Int) -> Int {
        model == .lstm ? n : convLayers
    }

    /// Weights of each model at `hidden`: the LSTM's four blocks of (1 + hidden) x hidden plus
    /// biases, and the two conv layers' filters plus biases.
    public static func weightCount(_ model: Model, hidden h: Int) -> Int {
        switch model {
        case .lstm: return 4 * h * (1 + h) + 4 * h
        case .conv: return (h * kernel + h) + (h * h * kernel + h)
        }
    }

    /// Passes timed together at length n, so a short length still takes long enough to time.
    public static func repetitions(length n: Int) -> Int { max(1, stepsPerMeasurement / n) }

    private var measurementsPerSweep: Int { lengths.count * Model.allCases.count * built.samples }

    /// Which model and length step `step` (counted from 0) measures.
    public func measurement(at step: Int) -> (model: Model, lengthIndex: Int) {
        let position = step % measurementsPerSweep
        let perLength = Model.allCases.count * built.samples
        return (Model.allCases[position % perLength % Model.allCases.count], position / perLength)
    }

    // MARK: Training

    public mutating func reset(seed: UInt64) {
        self.seed = seed
        built = settings
        var generator = SeededGenerator(seed: seed)
        lstm = LSTM(inputs: 1, hidden: built.hidden, forgetBias: 3, generator: &generator)
        conv = [Conv1d(inChannels: 1, outChannels: built.hidden, kernelSize: Self.kernel, generator: &generator),
                Conv1d(inChannels: built.hidden, outChannels: built.hidden, kernelSize: Self.kernel, generator: &generator)]
        steps = 0
        times = [.lstm: lengths.map { _ in [] }, .conv: lengths.map { _ in [] }]
        updateMetrics()
    }

    /// The memory task's input at length n (RR intervals, scaled as there): seeded by the lab's
    /// seed and n, the same whenever it is made, and the same numbers for both models.
    private func input(length n: Int) -> Tensor {
        var generator = SeededGenerator(seed: seed &+ UInt64(n) &* 0x9E37_79B9)
        return MemorySequences(length: n).batch(1, generator: &generator).inputs   // [n, 1, 1]
    }

    public mutating func step() throws -> StepReport {
        let (model, which) = measurement(at: steps)
        let n = lengths[which], reps = Self.repetitions(length: n)
        let sequence = input(length: n)
        let clock = ContinuousClock()
        let elapsed: Duration
        switch model {
        case .lstm:
            elapsed = clock.measure {
                for _ in 0..<reps { lstm.run(sequence).last.sum().backward() }
            }
            lstm.zeroGrad()
        case .conv:
            let signal = sequence.reshaped([1, 1, n])   // the same numbers, laid out [batch, channels, length]
            let layers = conv
            elapsed = clock.measure {
                for _ in 0..<reps { layers[1](layers[0](signal).relu()).sum().backward() }
            }
            for i in conv.indices { conv[i].zeroGrad() }
        }
        times[model]![which].append(Self.milliseconds(elapsed) / Double(reps))
        steps += 1
        updateMetrics()
        let sweepDone = steps % measurementsPerSweep == 0
        let note = sweepDone ? "sweep done: at \(lengths.last!) beats the LSTM takes \(Self.format(metrics.latest("lstm_over_conv_seconds")))x the conv's time" : nil
        return StepReport(loss: nil, finished: sweepDone, note: note)
    }

    static func milliseconds(_ d: Duration) -> Double {
        Double(d.components.seconds) * 1e3 + Double(d.components.attoseconds) * 1e-15
    }

    static func format(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "?" }
        return x >= 10 ? String(format: "%.0f", x) : String(format: "%.2g", x)
    }

    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let s = values.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    /// Median milliseconds of `model` at each length, nil where nothing is measured yet.
    public func medianMilliseconds(_ model: Model) -> [Double?] { (times[model] ?? []).map { Self.median($0) } }

    /// Rewrites the series and scalars from what has been measured: a length counts as measured
    /// when both models have at least one time there.
    private mutating func updateMetrics() {
        let (l, c) = (medianMilliseconds(.lstm), medianMilliseconds(.conv))
        let done = lengths.indices.filter { l[$0] != nil && c[$0] != nil }
        var m = Metrics(series: [
            .init(name: "length", values: done.map { Double(lengths[$0]) }),
            .init(name: "lstm_ms", values: done.map { l[$0]! }),
            .init(name: "conv_ms", values: done.map { c[$0]! }),
        ])
        let longest = lengths.last ?? 0
        m.set("sequential_steps_lstm", Double(Self.sequentialSteps(.lstm, length: longest)))
        m.set("sequential_steps_conv", Double(Self.sequentialSteps(.conv, length: longest)))
        if let last = lengths.indices.last, let lstmTime = l[last], let convTime = c[last], convTime > 0 {
            m.set("lstm_over_conv_seconds", lstmTime / convTime)
        }
        m.set("lengths_measured", Double(done.count))
        metrics = m
    }

    public var isFinite: Bool {
        var all = lstm.parameters.map(\.value)
        for layer in conv { all += layer.parameters.map(\.value) }
        return all.allSatisfy { $0.withUnsafeScalars { $0.allSatisfy(\.isFinite) } }
    }

    public var completion: CompletionCondition? {
        CompletionCondition(metric: "lengths_measured", .atLeast, Double(lengths.count), description: "every length measured for both models")
    }

    // MARK: Panels

    public var panelIDs: [String] { Self.panelNames }

    public func panel(_ id: String) -> Panel? {
        switch id {
        case "cost": return costPanel()
        case "table": return tablePanel()
        default: return nil
        }
    }

    /// Milliseconds against length, both axes linear: time in proportion to length is a straight line.
    private func costPanel() -> Panel {
        let series = Model.allCases.map { model -> LineSeries in
            let ms = medianMilliseconds(model)
            let done = lengths.indices.filter { ms[$0] != nil }
            return LineSeries(name: model == .lstm ? "LSTM" : "conv", values: done.map { ms[$0]! },
                              x: done.map { Double(lengths[$0]) })
        }
        return Panel(title: "Milliseconds per sequence, by length", content: .lineChart(LineChartSpec(series: series)))
    }

    private func tablePanel() -> Panel {
        let (l, c) = (medianMilliseconds(.lstm), medianMilliseconds(.conv))
        func ms(_ x: Double?) -> String { x.map { String(format: "%.3f", $0) } ?? "-" }
        let rows = lengths.indices.map { i -> [String] in
            let n = lengths[i]
            let ratio = (l[i] != nil && c[i] != nil && c[i]! > 0) ? Self.format(l[i]! / c[i]!) + "x" : "-"
            return [String(n), ms(l[i]), ms(c[i]), ratio,
                    String(Self.sequentialSteps(.lstm, length: n)), String(Self.sequentialSteps(.conv, length: n))]
        }
        let spec = TableSpec(headers: ["length", "LSTM ms", "conv ms", "LSTM/conv", "chain LSTM", "chain conv"], rows: rows,
                             alignments: Array(repeating: .right, count: 6))
        let h = built.hidden
        return Panel(title: "LSTM (\(Self.weightCount(.lstm, hidden: h)) weights) against conv (\(Self.weightCount(.conv, hidden: h)))",
                     content: .table(spec))
    }

    // MARK: Checkpoints

    public func snapshot() -> LabState {
        var tensors: [String: Tensor] = [:]
        CheckpointParts.store(lstm, as: "lstm", into: &tensors)
        for (i, layer) in conv.enumerated() { CheckpointParts.store(layer, as: "conv\(i + 1)", into: &tensors) }
        func json(_ t: [[Double]]) -> JSONValue { .array(t.map { .array($0.map { .number($0) }) }) }
        let metadata: [String: JSONValue] = [
            "seed": .string(String(seed)),
            "step": .number(Double(steps)),
            "built": .object(["hidden": .number(Double(built.hidden)), "max_length": .number(Double(built.maxLength)),
                              "samples": .number(Double(built.samples))]),
            "lstm_ms": json(times[.lstm] ?? []),
            "conv_ms": json(times[.conv] ?? []),
        ]
        return LabState(labID: id, tensors: tensors, metadata: metadata)
    }

    public mutating func restore(_ state: LabState) throws {
        try state.expect(lab: id)
        func bad(_ key: String, _ problem: String) -> LabStateError { .badMetadata(lab: id, key: key, problem: problem) }
        guard let saved = state.metadata["built"]?.object, let h = saved["hidden"]?.number,
              let l = saved["max_length"]?.number, let s = saved["samples"]?.number else {
            throw bad("built", "must give hidden, max_length and samples")
        }
        let savedSeed = try CheckpointParts.seed(in: state)
        let savedSteps = try CheckpointParts.integer("step", in: state)
        var copy = self
        // Each value goes through the same checks as a typed one.
        try copy.set("hidden", to: .number(h))
        try copy.set("max_length", to: .number(l))
        try copy.set("samples", to: .number(s))
        copy.reset(seed: savedSeed)
        func times(_ key: String) throws -> [[Double]] {
            guard let rows = state.metadata[key]?.array, rows.count == copy.lengths.count else {
                throw bad(key, "must hold one list of times per length (\(copy.lengths.count))")
            }
            return try rows.map { row in
                guard let values = row.array?.compactMap(\.number), values.count == row.array?.count,
                      values.allSatisfy({ $0 >= 0 && $0.isFinite }) else { throw bad(key, "times must be non-negative numbers") }
                return values
            }
        }
        copy.times = [.lstm: try times("lstm_ms"), .conv: try times("conv_ms")]
        try CheckpointParts.load(&copy.lstm, from: "lstm", in: state)
        for i in copy.conv.indices { try CheckpointParts.load(&copy.conv[i], from: "conv\(i + 1)", in: state) }
        copy.steps = savedSteps
        copy.updateMetrics()
        self = copy
    }
}
