import Course
import Foundation

/// `mlcourse run`: a lab trained without a screen, through the very same `Session` the course
/// screen uses (same `open`, same `set`, same `step()`), so a headless run and a run on screen
/// with the same seed and settings reach the same numbers.
public struct HeadlessRun {
    /// What to run.
    public struct Request: Sendable, Equatable {
        public var lab: String
        /// `NAME=VALUE` pairs as typed after `--set`, parsed by `parseSettings`.
        public var settings: [LabBlock.Setting]
        public var steps: Int
        public var seed: UInt64
        public init(lab: String, settings: [LabBlock.Setting] = [], steps: Int, seed: UInt64) {
            self.lab = lab; self.settings = settings; self.steps = steps; self.seed = seed
        }
    }

    public let catalogue: LabCatalogue
    public init(catalogue: LabCatalogue) { self.catalogue = catalogue }

    /// Reads `--set` arguments: each `NAME=VALUE` (spaces around `=` allowed when quoted).
    /// - Throws: `HeadlessRunError.usage` for a pair without a name or a value.
    public static func parseSettings(_ pairs: [String]) throws(HeadlessRunError) -> [LabBlock.Setting] {
        try pairs.map { (pair: String) throws(HeadlessRunError) -> LabBlock.Setting in
            guard let eq = pair.firstIndex(of: "=") else {
                throw .usage("--set takes NAME=VALUE, e.g. --set lr=0.1; got '\(pair)'")
            }
            let name = pair[..<eq].trimmingCharacters(in: .whitespaces)
            let value = pair[pair.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, !value.isEmpty else {
                throw .usage("--set takes NAME=VALUE with both parts, e.g. --set lr=0.1; got '\(pair)'")
            }
            return LabBlock.Setting(name: name, value: value)
        }
    }

    /// Builds the lab exactly as a lesson page would (catalogue, seed, settings, reset) in a
    /// session of its own, paused at step 0.
    /// - Throws: `HeadlessRunError.usage` for an unknown lab (with a suggestion) or a refused
    ///   setting.
    public func prepare(_ request: Request) throws(HeadlessRunError) -> Session {
        guard catalogue.entry(request.lab) != nil else {
            let known = catalogue.ids.isEmpty ? "" : " (labs: \(catalogue.ids.joined(separator: ", ")))"
            throw .usage(LabCatalogueError.unknownLab(request.lab, suggestion: Suggestion.closest(to: request.lab, in: catalogue.ids)).description + known)
        }
        let session = Session(lessons: [], catalogue: catalogue, seed: request.seed)
        do {
            try session.open(LabBlock(lab: request.lab, settings: request.settings))
        } catch {
            throw .usage(error.description)
        }
        return session
    }

    /// Trains `steps` steps (or until the lab diverges or stops), calling `progress` with the
    /// steps done so far about every `chunk` steps.
    public func train(_ session: Session, steps: Int, chunk: Int = 50,
                      progress: (Int) -> Void = { _ in }) throws(HeadlessRunError) -> HeadlessRunReport {
        let clock = ContinuousClock()
        let start = clock.now
        if steps > 0 {
            do { try session.train(steps: steps) } catch { throw .failed(error.description) }
            while session.isTraining {
                session.advance(maxSteps: max(1, chunk), until: .now + .seconds(3600))
                progress(session.stepCount)
            }
        }
        let seconds = Double((clock.now - start) / .microseconds(1)) / 1e6
        return HeadlessRunReport(session: session, seconds: seconds)
    }
}

/// What a headless run reports: the keys of `mlcourse run --json`.
public struct HeadlessRunReport: Encodable, Sendable {
    /// How the run ended.
    public enum Status: String, Encodable, Sendable {
        case ok
        /// The numbers became NaN or infinite: `message` says where and why.
        case diverged
        /// The lab stopped by itself (finished, or a step failed).
        case stopped
    }

    public var lab: String
    public var seed: UInt64
    /// Steps actually taken.
    public var steps: Int
    /// Every hyperparameter's value at the end, as numbers or words.
    public var hyperparameters: [String: ReportValue]
    public var metrics: Metrics
    public var seconds: Double
    public var status: Status
    public var message: String?
    /// The trained model on a learner's imported recording (`--test-on NAME`), when asked.
    public var testOn: TestOnReport?

    enum CodingKeys: String, CodingKey {
        case lab, seed, steps, hyperparameters, metrics, seconds, status, message
        case testOn = "test_on"
    }

    /// A number or a word, written as a plain JSON number or string.
    public enum ReportValue: Encodable, Sendable, Equatable {
        case number(Double)
        case word(String)
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .number(let x): try c.encode(x)
            case .word(let w): try c.encode(w)
            }
        }
    }

    init(session: Session, seconds: Double) {
        let lab = session.lab
        self.lab = lab?.id ?? ""
        seed = lab?.seed ?? session.defaultSeed
        steps = session.stepCount
        hyperparameters = Dictionary(uniqueKeysWithValues: (lab?.parameters ?? []).map {
            ($0.name, $0.value.number.map(ReportValue.number) ?? .word($0.value.description))
        })
        metrics = lab?.metrics ?? Metrics()
        self.seconds = seconds
        switch session.runState {
        case .diverged(_, let message): status = .diverged; self.message = message
        case .stopped(let message): status = .stopped; self.message = message
        default: status = .ok; message = nil
        }
    }

    /// One JSON object (sorted keys; NaN and infinities as "nan", "inf", "-inf").
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// A few lines for people: where it ended, the hyperparameters, the last metrics.
    public var summary: String {
        var lines = ["\(lab): \(steps) steps in \(String(format: "%.2f", seconds)) s, seed \(seed)"]
        if let message { lines.append("\(status == .diverged ? "DIVERGED" : "stopped"): \(message)") }
        lines.append("hyperparameters: " + hyperparameters.keys.sorted().map { key in
            switch hyperparameters[key]! {
            case .number(let x): "\(key)=\(NumberText.format(x))"
            case .word(let w): "\(key)=\(w)"
            }
        }.joined(separator: " "))
        for series in metrics.series { if let last = series.values.last { lines.append("  \(series.name): \(NumberText.format(last))") } }
        for scalar in metrics.scalars { lines.append("  \(scalar.name): \(NumberText.format(scalar.value))") }
        if let testOn { lines.append(testOn.summary) }
        return lines.joined(separator: "\n")
    }
}

/// Why a headless run could not be done; `isUsage` errors are the caller's (exit 64).
public enum HeadlessRunError: Error, Equatable, CustomStringConvertible {
    case usage(String)
    case failed(String)
    public var description: String {
        switch self {
        case .usage(let m), .failed(let m): return m
        }
    }
    public var isUsage: Bool { if case .usage = self { true } else { false } }
}
