import ArgumentParser
import Benchmarks
import Foundation

/// `mlcourse bench`: measures the engine's speed and prints a table, or one JSON object.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the engine's speed (build with -c release for meaningful figures).",
        discussion: "Benchmarks: " + BenchmarkCatalog.all.map { "\($0.name) (\($0.summary))" }.joined(separator: "; "))

    @Flag(help: "Print one JSON object on stdout instead of a table.")
    var json = false

    @Option(help: ArgumentHelp("Run only these benchmarks, comma-separated.", valueName: "name,..."),
            transform: { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } })
    var only: [String]?

    func validate() throws {
        let unknown = (only ?? []).filter { BenchmarkCatalog.entry(named: $0) == nil }
        if !unknown.isEmpty {
            throw ValidationError("unknown benchmark \(unknown.joined(separator: ", ")); known: "
                                  + BenchmarkCatalog.all.map(\.name).joined(separator: ", "))
        }
    }

    func run() throws {
        let entries = only.map { names in names.compactMap(BenchmarkCatalog.entry(named:)) } ?? BenchmarkCatalog.all
        #if DEBUG
        let build = "debug"
        #else
        let build = "release"
        #endif
        var context: [BenchFigure] = [
            BenchFigure(key: "build", value: .string(build), unit: ""),
            BenchFigure(key: "cores", value: .number(Double(ProcessInfo.processInfo.activeProcessorCount)), unit: ""),
            BenchFigure(key: "load_average", value: loadAverage().map(BenchValue.number) ?? .null, unit: ""),
        ]
        if build == "debug" {
            FileHandle.standardError.write(Data("note: debug build; timings are only meaningful with -c release\n".utf8))
        }
        var rows: [(benchmark: String, figure: BenchFigure)] = []
        for entry in entries {
            FileHandle.standardError.write(Data("running \(entry.name)...\n".utf8))
            rows += entry.run().map { (entry.name, $0) }
        }
        if json {
            context += rows.map(\.figure)
            print(BenchValue.object(context.map { ($0.key, $0.value) }).json)
        } else {
            print(table(rows, build: build))
        }
    }

    /// The 1-minute load average (Linux), so figures from a busy shared machine can be recognised.
    private func loadAverage() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return nil }
        return text.split(separator: " ").first.flatMap { Double($0) }
    }

    /// One line per number: an object-valued figure (e.g. GFLOPS per size) gets a line per member.
    private func table(_ rows: [(benchmark: String, figure: BenchFigure)], build: String) -> String {
        var lines: [(String, String, String, String)] = [("benchmark", "figure", "value", "unit")]
        for (benchmark, figure) in rows {
            if case let .object(pairs) = figure.value, pairs.allSatisfy({ $0.1.isScalar }) {
                for (key, value) in pairs {
                    lines.append((benchmark, "\(figure.key)[\(key)]", value.text, figure.unit))
                }
            } else {
                lines.append((benchmark, figure.key, figure.value.text, figure.unit))
            }
        }
        let widths = (0..<3).map { column in lines.map { [$0.0, $0.1, $0.2][column].count }.max()! }
        func pad(_ s: String, _ width: Int) -> String { s + String(repeating: " ", count: max(0, width - s.count)) }
        let body = lines.map { pad($0.0, widths[0]) + "  " + pad($0.1, widths[1]) + "  " + pad($0.2, widths[2]) + "  " + $0.3 }
        let load = loadAverage().map { String(format: ", load average %.2f", $0) } ?? ""
        return (body + ["(\(build) build, \(ProcessInfo.processInfo.activeProcessorCount) cores\(load))"]).joined(separator: "\n")
    }
}

private extension BenchValue {
    var isScalar: Bool {
        switch self {
        case .array, .object: return false
        default: return true
        }
    }
}
