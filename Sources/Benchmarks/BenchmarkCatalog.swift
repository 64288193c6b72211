/// One named figure a benchmark reports, e.g. `gemm_gflops` = {"512": 110.2, ...}.
public struct BenchFigure: Sendable {
    public let key: String
    public let value: BenchValue
    /// What the number means, for the table ("GFLOPS", "ms per step", ...).
    public let unit: String

    public init(key: String, value: BenchValue, unit: String) {
        self.key = key
        self.value = value
        self.unit = unit
    }
}

/// A benchmark `mlcourse bench` can run by name: it measures and returns its figures.
public struct BenchmarkEntry: Sendable {
    public let name: String
    public let summary: String
    public let run: @Sendable () -> [BenchFigure]

    public init(name: String, summary: String, run: @escaping @Sendable () -> [BenchFigure]) {
        self.name = name
        self.summary = summary
        self.run = run
    }
}

/// Every benchmark, in the order `mlcourse bench` runs them.
///
/// A new benchmark plugs in by adding one entry here (name, summary, closure returning figures).
public enum BenchmarkCatalog {
    public static let all: [BenchmarkEntry] = [
        BenchmarkEntry(name: "gemm",
                       summary: "square float32 GEMM throughput, with NumPy's matmul measured in the same run",
                       run: GEMMBenchmark.figures),
        BenchmarkEntry(name: "gemm_mlp",
                       summary: "time of each GEMM in one step of the 1000->256->5 MLP at batch 64",
                       run: GEMMBenchmark.mlpFigures),
        // MERGE POINT (coordinator): wire the MLP training step once MLPStepBenchmark.swift lands:
        // BenchmarkEntry(name: "mlp_step", summary: "one training step of the 1000->256->5 MLP, batch 64",
        //                run: { [BenchFigure(key: "mlp_step_ms", value: .number(measureMLPStepMilliseconds()),
        //                                    unit: "ms per step")] }),
        // Later: "beats" (beats_per_second, CardioSim), "frame" (frame_ms, a presented TUI frame).
    ]

    /// The entry with this name, or nil.
    public static func entry(named name: String) -> BenchmarkEntry? { all.first { $0.name == name } }
}
