import Foundation

/// Wall-clock timings of one piece of work: several runs after a warm-up, summarised by the
/// median (robust to the odd slow run on a shared machine) and the spread around it.
public struct Timing: Sendable {
    /// Seconds per run, in the order they were measured.
    public let samples: [Double]

    public init(samples: [Double]) {
        precondition(!samples.isEmpty, "a timing needs at least one sample")
        self.samples = samples
    }

    /// The middle sample (mean of the two middle ones for an even count), in seconds.
    public var median: Double {
        let sorted = samples.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    public var fastest: Double { samples.min()! }
    public var slowest: Double { samples.max()! }

    /// Half the distance between the fastest and slowest run, relative to the median
    /// (0.05 means the runs lay within about plus or minus 5% of the median).
    public var relativeSpread: Double { median > 0 ? (slowest - fastest) / (2 * median) : 0 }
}

/// Times `body`: `warmUp` untimed runs (caches, page faults, thread start-up), then `runs`
/// timed ones. A run calls `body` `repetitions` times, so very short work is timed in bulk;
/// samples are seconds per single call.
public func measure(warmUp: Int = 2, runs: Int = 7, repetitions: Int = 1, _ body: () throws -> Void) rethrows -> Timing {
    precondition(runs > 0 && repetitions > 0, "measure needs at least one run of one repetition")
    for _ in 0..<warmUp { try body() }
    var samples: [Double] = []
    samples.reserveCapacity(runs)
    for _ in 0..<runs {
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<repetitions { try body() }
        let elapsed = DispatchTime.now().uptimeNanoseconds - start
        samples.append(Double(elapsed) / 1e9 / Double(repetitions))
    }
    return Timing(samples: samples)
}

/// How many repetitions make one timed run last about `target` seconds, from a single trial call.
public func repetitionsFor(target: Double, _ body: () throws -> Void) rethrows -> Int {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    let once = max(1e-7, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    return max(1, min(100_000, Int(target / once)))
}
