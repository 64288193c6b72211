import Course
import Foundation
import Labs

/// The promise every lab keeps so keys and page turns always answer: one `step()` at default
/// settings takes no more than about 50 ms. Each lab of the catalogue is built with the
/// session's default seed and stepped `steps` times (fewer if it finishes); the longest step
/// and the median are reported per lab. The longest step includes whatever a lab does now and
/// then inside a step (a test-set evaluation, a slice of one), which is what the screen waits for.
public enum LabStepTimes {
    /// The budget the course holds each step to, in milliseconds.
    public static let budgetMilliseconds = 50.0

    public struct Times: Sendable {
        public var lab: String
        public var longest: Double
        public var median: Double
        public var steps: Int
    }

    /// Labs a page also runs at other settings whose steps cost more than the defaults' (the
    /// boosting lab on the beats grows five trees on 250 features a step, on the patients one
    /// tree on 12), timed under their own name as well.
    public static let variants: [(name: String, lab: String, settings: [(String, HyperValue)])] = [
        ("boosting task=beats", "boosting", [("task", .choice("beats"))]),
    ]

    /// Times `steps` steps of each lab in `ids` (all of the catalogue and the variants when nil).
    public static func measure(steps: Int = 250, ids: [String]? = nil) -> [Times] {
        CourseCatalogue.prepareSharedData()
        let labs = CourseCatalogue.labs.entries.filter { ids?.contains($0.id) ?? true }.map { (name: $0.id, entry: $0, settings: [(String, HyperValue)]()) }
        let others = variants.filter { ids?.contains($0.name) ?? true }.compactMap { variant in
            CourseCatalogue.labs.entry(variant.lab).map { (name: variant.name, entry: $0, settings: variant.settings) }
        }
        return (labs + others).compactMap { name, entry, settings in
            var lab = entry.make(MLPECGBenchmark.defaultSeed)
            for (setting, value) in settings { try? lab.set(setting, to: value) }
            if !settings.isEmpty { lab.reset(seed: MLPECGBenchmark.defaultSeed) }
            var milliseconds: [Double] = []
            for _ in 0..<steps {
                let start = DispatchTime.now().uptimeNanoseconds
                guard let report = try? lab.step() else { break }
                milliseconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
                if report.finished { break }
            }
            guard !milliseconds.isEmpty else { return nil }
            return Times(lab: name, longest: milliseconds.max()!, median: Timing(samples: milliseconds).median,
                         steps: milliseconds.count)
        }
    }

    public static func figures() -> [BenchFigure] {
        let times = measure()
        let over = times.filter { $0.longest > budgetMilliseconds }.map(\.lab)
        return [
            BenchFigure(key: "lab_step_longest_ms", value: .object(times.map { ($0.lab, .number($0.longest)) }),
                        unit: "ms, the longest of up to 250 default steps"),
            BenchFigure(key: "lab_step_median_ms", value: .object(times.map { ($0.lab, .number($0.median)) }),
                        unit: "ms per step (median)"),
            // A count in the value column (a list there would widen every row of the table).
            BenchFigure(key: "lab_steps_over_budget", value: .number(Double(over.count)),
                        unit: "labs whose longest step passed \(Int(budgetMilliseconds)) ms" + (over.isEmpty ? "" : ": " + over.joined(separator: ", "))),
        ]
    }
}
