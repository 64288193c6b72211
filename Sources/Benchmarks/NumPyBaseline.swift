import Foundation

/// NumPy's float32 matmul timed in a `python3` child process, as a yardstick for `gemm`.
///
/// The child gets the parent's environment minus `OPENBLAS_CORETYPE` and `OPENBLAS_L2_SIZE`
/// (they can pin OpenBLAS to a slower kernel). It reports which BLAS NumPy used.
public enum NumPyBaseline {
    /// The outcome: GFLOPS per size and the BLAS description, or why there is no baseline.
    public enum Result: Sendable {
        case measured(gflops: [Int: Double], best: [Int: Double], kernel: BenchValue)
        case unavailable(reason: String)
    }

    /// Environment variables removed for the child process only.
    public static let clearedVariables = ["OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"]

    /// Times `numpy.matmul` on n x n float32 matrices for each size (median and fastest of `runs` runs).
    public static func measure(sizes: [Int], runs: Int = 7) -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, String(runs)] + sizes.map(String.init)
        var environment = ProcessInfo.processInfo.environment
        for name in clearedVariables { environment[name] = nil }
        process.environment = environment
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            return .unavailable(reason: "could not start python3: \(error)")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let detail = errorText.split(separator: "\n").last.map(String.init) ?? "no message"
            return .unavailable(reason: "python3 exited with status \(process.terminationStatus): \(detail)")
        }
        guard let report = try? JSONDecoder().decode(BenchValue.self, from: data) else {
            return .unavailable(reason: "python3 printed no JSON report")
        }
        if case let .string(message)? = report["error"] { return .unavailable(reason: message) }
        var gflops: [Int: Double] = [:], best: [Int: Double] = [:]
        for size in sizes {
            if let value = report["gflops"]?[String(size)]?.number { gflops[size] = value }
            if let value = report["best"]?[String(size)]?.number { best[size] = value }
        }
        return .measured(gflops: gflops, best: best, kernel: report["kernel"] ?? .null)
    }

    /// The child's program: argv = runs, sizes...; prints one JSON object.
    static let script = """
    import json, sys, time
    try:
        import numpy as np
    except Exception as exc:
        print(json.dumps({"error": "numpy is not importable: %s" % exc}))
        sys.exit(0)
    runs = int(sys.argv[1])
    report = {"gflops": {}, "best": {}}
    for n in map(int, sys.argv[2:]):
        rng = np.random.default_rng(0)
        a = rng.standard_normal((n, n), dtype=np.float32) * 0.5
        b = rng.standard_normal((n, n), dtype=np.float32) * 0.5
        c = np.empty((n, n), dtype=np.float32)
        np.matmul(a, b, out=c)
        start = time.perf_counter(); np.matmul(a, b, out=c); once = time.perf_counter() - start
        reps = max(1, min(100000, int(0.02 / max(once, 1e-7))))
        np.matmul(a, b, out=c)
        samples = []
        for _ in range(runs):
            start = time.perf_counter()
            for _ in range(reps):
                np.matmul(a, b, out=c)
            samples.append((time.perf_counter() - start) / reps)
        samples.sort()
        median = samples[len(samples) // 2] if len(samples) % 2 else sum(samples[len(samples) // 2 - 1:len(samples) // 2 + 1]) / 2
        report["gflops"][str(n)] = 2.0 * n ** 3 / median / 1e9
        report["best"][str(n)] = 2.0 * n ** 3 / samples[0] / 1e9
    kernel = {"numpy": np.__version__}
    try:
        from threadpoolctl import threadpool_info
        blas = [d for d in threadpool_info() if d.get("user_api") == "blas"]
        if blas:
            kernel.update({k: blas[0].get(k) for k in ("internal_api", "version", "architecture", "num_threads", "threading_layer")})
        kernel["source"] = "threadpoolctl"
    except ImportError:
        try:
            config = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
            kernel.update({"internal_api": config.get("name"), "version": config.get("version")})
            kernel["source"] = "numpy.show_config"
        except Exception as exc:
            kernel["source"] = "unknown (%s)" % exc
    report["kernel"] = kernel
    print(json.dumps(report))
    """
}
