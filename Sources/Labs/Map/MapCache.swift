import Course
import Foundation
import MLEngine

/// Map results kept between runs, per row, seed and budget, in `map/results.json` of the
/// learner's data folder: `mlcourse map` and the `map` lab read and write the same file, so a
/// table made once shows at once the next time.
///
/// The file is a convenience, never trusted: one that cannot be read or parsed is reported and
/// treated as empty (and replaced at the next write), never a crash.
public struct MapCache: Sendable {
    public let file: URL

    public init(file: URL) { self.file = file }

    /// The cache of the learner's data folder ($MLCOURSE_HOME, else $XDG_DATA_HOME/mlcourse, else
    /// ~/.local/share/mlcourse); nil when there is no such folder to use.
    public static func learner(environment: [String: String] = ProcessInfo.processInfo.environment) -> MapCache? {
        guard let folder = try? ProgressStore.dataFolder(environment: environment) else { return nil }
        return MapCache(file: folder.appendingPathComponent("map").appendingPathComponent("results.json"))
    }

    static let format = "mlcourse-map-results"
    static let version = 1

    private struct Contents: Codable {
        var format: String
        var version: Int
        var results: [MapResult]
    }

    /// The stored results, and a sentence when the file was there but unusable.
    public func load() -> (results: [MapResult], problem: String?) {
        guard FileManager.default.fileExists(atPath: file.path) else { return ([], nil) }
        let ignored = "; ignoring it (it is rewritten when a row finishes)"
        guard let data = try? Data(contentsOf: file) else { return ([], "cannot read the map cache \(file.path)" + ignored) }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        guard let contents = try? decoder.decode(Contents.self, from: data) else {
            return ([], "the map cache \(file.path) is not valid map results" + ignored)
        }
        guard contents.format == Self.format, contents.version == Self.version else {
            return ([], "the map cache \(file.path) has format \(contents.format) version \(contents.version), not \(Self.format) \(Self.version)" + ignored)
        }
        return (contents.results, nil)
    }

    /// The stored result for `row` at `seed` and `budget`, if any.
    public func result(_ row: MapRow, seed: UInt64, budget: Int) -> MapResult? {
        load().results.last { $0.answers(row, seed: seed, budget: budget) }
    }

    /// Adds `result`, replacing an older one for the same row, recipe, seed and budget.
    /// - Throws: `AtomicFileError` when the file cannot be written.
    public func store(_ result: MapResult) throws {
        var results = load().results.filter {
            !($0.row == result.row && $0.recipe == result.recipe && $0.seed == result.seed && $0.budget == result.budget)
        }
        results.append(result)
        try write(results)
    }

    /// Forgets `row`'s results at `seed` and `budget` (a rerun asked for).
    public func forget(_ row: MapRow, seed: UInt64, budget: Int) throws {
        let (results, _) = load()
        let kept = results.filter { !$0.answers(row, seed: seed, budget: budget) }
        if kept.count != results.count { try write(kept) }
    }

    private func write(_ results: [MapResult]) throws {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(Contents(format: Self.format, version: Self.version, results: results))
        try AtomicFile.write([UInt8](data), to: file.path)
    }
}
