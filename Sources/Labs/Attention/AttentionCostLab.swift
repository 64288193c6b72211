import Course
import Foundation
import MLEngine
import TextPlot

/// `attention-cost`: every position scores every other, so one attention layer costs about N^2
/// for a sequence of N. The lab measures it live: the forward and backward time of one
/// `MultiHeadAttention` layer (projections included) for N = 32, 64, ... up to `max_length`,
/// drawn on log-log axes, where a power law N^k is a straight line of slope k. Beside it, the
/// floating-point operations counted from the shapes.
///
/// Each step does one bounded piece of work, so the screen never waits: step 2i times the
/// forward pass of one sample at one length, step 2i + 1 the backward pass of that sample.
/// Small lengths repeat the pass enough times (fixed by the counted operations, never by the
/// clock) for the clock to resolve it. Each length is measured `samples` times; its time is the
/// median. After the last length the sweep starts again and adds samples.
///
/// Metrics: `cost_exponent` (slope of log time against log N over the upper half of the
/// lengths) and `flop_exponent` (the same for the counted operations). Only the second is
/// deterministic; tests check it, never a time.
///
/// Checkpoints keep the layer's weights, the settings, the step (where the sweep is) and the
/// times measured so far exactly as measured; a resumed lab measures the rest anew, so its new
/// times differ from an uninterrupted run's while everything counted (lengths, operations,
/// flop_exponent, step) matches bit for bit.
public struct AttentionCostLab: Lab {
    public static let labID = "attention-cost"
    public static let shortestLength = 32
    /// Floating-point operations a small length's repeated passes add up to, at least, per step.
    public static let operationsPerStep = 100_000_000
    public static let panelNames = ["cost", "flops", "table"]

    public let id = AttentionCostLab.labID
    public let title = "Attention costs N^2: time against sequence length"
    public private(set) var seed: UInt64

    private var width = 64
    private var heads = 4
    private var maxLength = 2048
    private var samples = 3
    private struct Built: Equatable { var width: Int, heads: Int, maxLength: Int, samples: Int }
    private var built = Built(width: 64, heads: 4, maxLength: 2048, samples: 3)
    private var layer: MultiHeadAttention
    private var steps = 0
    /// Milliseconds per pass, [length][sample], in the order measured.
    private var forwardTimes: [[Double]] = []
    private var backwardTimes: [[Double]] = []
    /// The forward passes waiting for their backward step (not checkpointed: recomputed if lost).
    private var pending: [Tensor] = []
    public private(set) var metrics = Metrics()

    public init(seed: UInt64) {
        self.seed = seed
        var generator = SeededGenerator(seed: seed)
        layer = MultiHeadAttention(width: 64, heads: 4, generator: &generator)
        reset(seed: seed)
    }

    // MARK: Hyperparameters

    public var parameters: [Hyperparameter] {
        [
            .logScale("width", Double(width), in: 16...256, factor: 2, integer: true, effect: .reset,
                      help: "model width of the attention layer"),
            .logScale("heads", Double(heads), in: 1...8, factor: 2, integer: true, effect: .reset,
                      help: "attention heads (must divide the width)"),
            .logScale("max_length", Double(maxLength), in: 64...2048, factor: 2, integer: true, effect: .reset,
                      help: "longest sequence measured; lengths double from 32 up to it"),
            .linear("samples", Double(samples), in: 1...9, step: 1, integer: true, effect: .reset,
                    help: "timings per length in one sweep (the median is shown)"),
        ]
    }

    public mutating func set(_ name: String, to value: HyperValue) throws {
        let number = try parameters.checked(name, value, lab: id).number ?? 0
        switch name {
        case "width":
            guard Int(number) % heads == 0 else {
                throw HyperparameterError.outOfRange(name: name, valid: "a whole number 16-256 divisible by heads (\(heads))",
                                                     got: NumberText.format(number))
            }
            width = Int(number)
        case "heads":
            guard width % Int(number) == 0 else {
                throw HyperparameterError.outOfRange(name: name, valid: "a whole number 1-8 dividing the width (\(width))",
                                                     got: NumberText.format(number))
            }
            heads = Int(number)
        case "max_length": maxLength = Int(number)
        default: samples = Int(number)
        }
    }

    // MARK: The sweep

    /// 32, 64, ... up to max_length.
    public var lengths: [Int] {
        var out: [Int] = [], n = Self.shortestLength
        while n <= built.maxLength { out.append(n); n *= 2 }
        return out
    }

    /// The lengths the exponents are fitted over: the upper half of the range (on the log
    /// scale), where the N^2 part dominates and fixed overheads no longer do.
    public var upperHalf: ArraySlice<Int> { lengths.suffix((lengths.count + 1) / 2) }

    private var stepsPerSweep: Int { lengths.count * built.samples * 2 }

    /// Counted floating-point operations of one forward and backward pass at length n.
    public func flops(length n: Int) -> (projections: Int, attention: Int) {
        MultiHeadAttention.flops(batch: 1, positions: n, width: built.width, heads: built.heads)
    }

    /// Passes timed together at length n, so that tiny lengths still take long enough to time.
    public func repetitions(length n: Int) -> Int {
        let total = flops(length: n)
        return min(512, max(1, Self.operationsPerStep / max(1, total.projections + total.attention)))
    }

    /// The step's input at length n: seeded by the lab's seed and n, the same whenever it is made.
    private func input(length n: Int) -> Tensor {
        var generator = SeededGenerator(seed: seed &+ UInt64(n) &* 0x9E37_79B9)
        return Tensor.normal([1, n, built.width], generator: &generator)
    }

    public mutating func reset(seed: UInt64) {
        self.seed = seed
        built = Built(width: width, heads: heads, maxLength: maxLength, samples: samples)
        var generator = SeededGenerator(seed: seed)
        layer = MultiHeadAttention(width: width, heads: heads, generator: &generator)
        steps = 0
        forwardTimes = lengths.map { _ in [] }
        backwardTimes = lengths.map { _ in [] }
        pending = []
        metrics = Metrics()
        updateMetrics()
    }

    public mutating func step() throws -> StepReport {
        let position = steps % stepsPerSweep
        let which = position / (2 * built.samples), isBackward = position % 2 == 1
        let n = lengths[which], reps = repetitions(length: n)
        let clock = ContinuousClock()
        if !isBackward {
            let x = input(length: n)
            let model = layer
            var outputs: [Tensor] = []
            let elapsed = clock.measure { outputs = (0..<reps).map { _ in model(x).sum() } }
            pending = outputs
            forwardTimes[which].append(milliseconds(elapsed) / Double(reps))
        } else {
            if pending.count != reps {
                // Resumed from a checkpoint between the two halves: redo the forward, untimed.
                let model = layer, x = input(length: n)
                pending = (0..<reps).map { _ in model(x).sum() }
            }
            let outputs = pending
            let elapsed = clock.measure { for output in outputs { output.backward() } }
            pending = []
            layer.zeroGrad()
            backwardTimes[which].append(milliseconds(elapsed) / Double(reps))
        }
        steps += 1
        updateMetrics()
        let sweepDone = steps % stepsPerSweep == 0
        let note = sweepDone ? "sweep done: time grows as N^\(format(metrics.latest("cost_exponent"))) (operations N^\(format(metrics.latest("flop_exponent"))))" : nil
        return StepReport(loss: nil, finished: sweepDone, note: note)
    }

    private func milliseconds(_ d: Duration) -> Double {
        Double(d.components.seconds) * 1e3 + Double(d.components.attoseconds) * 1e-15
    }

    private func format(_ x: Double?) -> String { x.map { String(format: "%.2f", $0) } ?? "?" }

    /// Median forward + backward milliseconds at each length with both halves measured, or nil.
    public var measuredMilliseconds: [Double?] {
        lengths.indices.map { i in
            let pairs = min(forwardTimes[i].count, backwardTimes[i].count)
            guard pairs > 0 else { return nil }
            let totals = (0..<pairs).map { forwardTimes[i][$0] + backwardTimes[i][$0] }.sorted()
            return pairs % 2 == 1 ? totals[pairs / 2] : (totals[pairs / 2 - 1] + totals[pairs / 2]) / 2
        }
    }

    /// Least-squares slope of log y against log x.
    static func logLogSlope(_ points: [(x: Double, y: Double)]) -> Double? {
        let usable = points.filter { $0.x > 0 && $0.y > 0 }
        guard usable.count >= 2 else { return nil }
        let lx = usable.map { Foundation.log($0.x) }, ly = usable.map { Foundation.log($0.y) }
        let mx = lx.reduce(0, +) / Double(lx.count), my = ly.reduce(0, +) / Double(ly.count)
        let sxy = zip(lx, ly).map { ($0 - mx) * ($1 - my) }.reduce(0, +)
        let sxx = lx.map { ($0 - mx) * ($0 - mx) }.reduce(0, +)
        return sxx > 0 ? sxy / sxx : nil
    }

    /// Rewrites the series and exponents from what has been measured (only complete lengths count).
    private mutating func updateMetrics() {
        let times = measuredMilliseconds
        let done = lengths.indices.filter { times[$0] != nil }
        var m = Metrics(series: [
            .init(name: "length", values: done.map { Double(lengths[$0]) }),
            .init(name: "milliseconds", values: done.map { times[$0]! }),
            .init(name: "gflop", values: done.map { i in let f = flops(length: lengths[i]); return Double(f.projections + f.attention) / 1e9 }),
        ])
        let upper = Set(upperHalf)
        let fitted = done.filter { upper.contains(lengths[$0]) }
        if let slope = Self.logLogSlope(fitted.map { (Double(lengths[$0]), times[$0]!) }) { m.set("cost_exponent", slope) }
        let counted = fitted.map { i -> (x: Double, y: Double) in
            let f = flops(length: lengths[i]); return (Double(lengths[i]), Double(f.projections + f.attention))
        }
        if let slope = Self.logLogSlope(counted) { m.set("flop_exponent", slope) }
        m.set("lengths_measured", Double(done.count))
        metrics = m
    }

    public var isFinite: Bool { layer.parameters.allSatisfy { $0.value.withUnsafeScalars { $0.allSatisfy(\.isFinite) } } }

    public var completion: CompletionCondition? {
        CompletionCondition(metric: "lengths_measured", .atLeast, Double(lengths.count), description: "every length measured")
    }

    // MARK: Panels

    public var panelIDs: [String] { Self.panelNames }

    public func panel(_ id: String) -> Panel? {
        switch id {
        case "cost": return costPanel()
        case "flops": return flopsPanel()
        case "table": return tablePanel()
        default: return nil
        }
    }

    /// x is log2 N (32 -> 5, 2048 -> 11) on a linear axis, y a log axis: together a log-log plot.
    private func costPanel() -> Panel {
        let times = measuredMilliseconds
        let done = lengths.indices.filter { times[$0] != nil }
        var series = [LineSeries(name: "measured ms", values: done.map { times[$0]! }, x: done.map { log2(Double(lengths[$0])) })]
        var title = "Time per forward + backward (log-log)"
        if let slope = metrics.latest("cost_exponent"), let anchor = done.last {
            // The fitted power law through the longest measured length, drawn over the whole range.
            let n0 = Double(lengths[anchor]), t0 = times[anchor]!
            series.append(LineSeries(name: "fit N^\(String(format: "%.2f", slope))",
                                     values: lengths.map { t0 * Foundation.pow(Double($0) / n0, slope) },
                                     x: lengths.map { log2(Double($0)) }))
            title += ": slope \(String(format: "%.2f", slope))"
        }
        let chart = LineChartSpec(series: series, yScale: .logarithmic)
        return Panel(title: title + ", x = log2 N", content: .lineChart(chart))
    }

    private func flopsPanel() -> Panel {
        let x = lengths.map { log2(Double($0)) }
        let counts = lengths.map { flops(length: $0) }
        let chart = LineChartSpec(series: [
            LineSeries(name: "total", values: counts.map { Double($0.projections + $0.attention) / 1e9 }, x: x),
            LineSeries(name: "attention (N^2)", values: counts.map { Double($0.attention) / 1e9 }, x: x),
            LineSeries(name: "projections (N)", values: counts.map { Double($0.projections) / 1e9 }, x: x),
        ], yScale: .logarithmic)
        let upper = upperHalf.map { n -> (x: Double, y: Double) in
            let f = flops(length: n)
            return (Double(n), Double(f.projections + f.attention))
        }
        let slope = Self.logLogSlope(upper).map { String(format: "%.2f", $0) } ?? "?"
        return Panel(title: "Counted GFLOP per forward + backward: slope \(slope), x = log2 N", content: .lineChart(chart))
    }

    private func tablePanel() -> Panel {
        let times = measuredMilliseconds
        let rows = lengths.indices.map { i -> [String] in
            let n = lengths[i], f = flops(length: n), total = Double(f.projections + f.attention)
            let forward = forwardTimes[i].isEmpty ? "-" : String(format: "%.3f", median(forwardTimes[i]))
            let backward = backwardTimes[i].isEmpty ? "-" : String(format: "%.3f", median(backwardTimes[i]))
            let rate = times[i].map { String(format: "%.1f", total / ($0 * 1e6)) } ?? "-"
            return [String(n), forward, backward, String(format: "%.4f", total / 1e9), rate]
        }
        let spec = TableSpec(headers: ["N", "fwd ms", "bwd ms", "GFLOP", "GFLOP/s"], rows: rows,
                             alignments: [.right, .right, .right, .right, .right])
        return Panel(title: "Each length: median of \(built.samples) timings", content: .table(spec))
    }

    private func median(_ values: [Double]) -> Double {
        let s = values.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    // MARK: Checkpoints

    public func snapshot() -> LabState {
        var tensors: [String: Tensor] = [:]
        CheckpointParts.store(layer, as: "layer", into: &tensors)
        func times(_ t: [[Double]]) -> JSONValue { .array(t.map { .array($0.map { .number($0) }) }) }
        let metadata: [String: JSONValue] = [
            "seed": .string(String(seed)),
            "step": .number(Double(steps)),
            "built": .object(["width": .number(Double(built.width)), "heads": .number(Double(built.heads)),
                              "max_length": .number(Double(built.maxLength)), "samples": .number(Double(built.samples))]),
            "forward_ms": times(forwardTimes),
            "backward_ms": times(backwardTimes),
        ]
        return LabState(labID: id, tensors: tensors, metadata: metadata)
    }

    public mutating func restore(_ state: LabState) throws {
        try state.expect(lab: id)
        func bad(_ key: String, _ problem: String) -> LabStateError { .badMetadata(lab: id, key: key, problem: problem) }
        guard let saved = state.metadata["built"]?.object, let w = saved["width"]?.number, let h = saved["heads"]?.number,
              let l = saved["max_length"]?.number, let s = saved["samples"]?.number,
              [w, h, l, s].allSatisfy({ $0 == $0.rounded() }), (16...256).contains(w), (1...8).contains(h),
              Int(w) % Int(h) == 0, (64...2048).contains(l), (1...9).contains(s) else {
            throw bad("built", "must give width 16-256 divisible by heads 1-8, max_length 64-2048 and samples 1-9")
        }
        let savedSeed = try CheckpointParts.seed(in: state)
        let savedSteps = try CheckpointParts.integer("step", in: state)
        (width, heads, maxLength, samples) = (Int(w), Int(h), Int(l), Int(s))
        reset(seed: savedSeed)
        func times(_ key: String) throws -> [[Double]] {
            guard let rows = state.metadata[key]?.array, rows.count == lengths.count else {
                throw bad(key, "must hold one list of times per length (\(lengths.count))")
            }
            return try rows.map { row in
                guard let values = row.array?.compactMap(\.number), values.count == row.array?.count,
                      values.allSatisfy({ $0 >= 0 && $0.isFinite }) else { throw bad(key, "times must be non-negative numbers") }
                return values
            }
        }
        let (f, b) = (try times("forward_ms"), try times("backward_ms"))
        try CheckpointParts.load(&layer, from: "layer", in: state)
        forwardTimes = f
        backwardTimes = b
        steps = savedSteps
        updateMetrics()
    }
}
