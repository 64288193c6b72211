import Course
import Foundation

/// The whole map trained headless (`mlcourse map`): chosen rows at one or more seeds, each row
/// from the cache when it holds the same run, and the report's JSON.
public struct MapReport: Sendable {
    /// One row of the report: `mlcourse map --json` prints a list of these.
    public struct Line: Sendable, Encodable {
        public var row: String
        public var group: String
        public var task: String
        public var tier: String
        public var model: String
        /// "loss -> optimizer".
        public var training: String
        public var metric: String
        public var higherIsBetter: Bool
        /// False for a row no lab trains yet: no score, and `note` says why.
        public var available: Bool
        /// Mean over seeds; nil when not available or no seed produced one.
        public var score: Double?
        /// Standard deviation over seeds (0 for one seed).
        public var spread: Double?
        /// Mean seconds a seed took (as measured when it ran, cached or not).
        public var seconds: Double?
        public var steps: Int?
        /// The first seed; `seeds` lists them all.
        public var seed: UInt64
        public var seeds: [UInt64]
        public var scores: [Double?]
        /// How many of the seeds came from the cache.
        public var cached: Int
        public var note: String?

        enum CodingKeys: String, CodingKey {
            case row, group, task, tier, model, training, metric, available, score, spread, seconds, steps, seed, seeds, scores, cached, note
            case higherIsBetter = "higher_is_better"
        }

        // Absent numbers are written as null, so every object has every key.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(row, forKey: .row); try c.encode(group, forKey: .group); try c.encode(task, forKey: .task)
            try c.encode(tier, forKey: .tier); try c.encode(model, forKey: .model); try c.encode(training, forKey: .training)
            try c.encode(metric, forKey: .metric); try c.encode(higherIsBetter, forKey: .higherIsBetter)
            try c.encode(available, forKey: .available); try c.encode(score, forKey: .score); try c.encode(spread, forKey: .spread)
            try c.encode(seconds, forKey: .seconds); try c.encode(steps, forKey: .steps); try c.encode(seed, forKey: .seed)
            try c.encode(seeds, forKey: .seeds); try c.encode(scores, forKey: .scores); try c.encode(cached, forKey: .cached)
            try c.encode(note, forKey: .note)
        }
    }

    public var lines: [Line]
    /// Rows in report order with their results per seed, for the table.
    public var results: [(row: MapRow, results: [MapResult])]

    /// The rows `names` picks (all when empty), in map order.
    /// - Throws: `MapError.unknownRows` naming every unknown name and listing the valid ones.
    public static func select(_ names: [String], from rows: [MapRow] = MapRows.all) throws(MapError) -> [MapRow] {
        let wanted = names.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }.filter { !$0.isEmpty }
        guard !wanted.isEmpty else { return rows }
        let unknown = wanted.filter { name in !rows.contains { $0.id == name } }
        guard unknown.isEmpty else { throw .unknownRows(unknown) }
        return rows.filter { wanted.contains($0.id) }
    }

    /// Trains (or reads from `cache`) every row at every seed, one after another.
    /// - Parameters:
    ///   - reuse: false trains every row even when the cache holds its result (still storing the new one).
    ///   - progress: called with the row, the seed and the run so far, about every slice.
    ///   - finished: called as each row and seed is done (from the cache or trained).
    public static func make(rows: [MapRow], seeds: [UInt64], budgetScale: Double, cache: MapCache?, reuse: Bool = true,
                            catalogue: LabCatalogue,
                            progress: (MapRow, UInt64, MapRowRun) -> Void = { _, _, _ in },
                            finished: (MapRow, MapResult, _ cached: Bool) -> Void = { _, _, _ in }) throws(MapError) -> MapReport {
        let stored = reuse ? (cache?.load().results ?? []) : []
        var report = MapReport(lines: [], results: [])
        for row in rows {
            var results: [MapResult] = []
            var fromCache = 0
            if let recipe = row.recipe {
                let budget = recipe.steps(scale: budgetScale)
                for seed in seeds {
                    if let hit = stored.last(where: { $0.answers(row, seed: seed, budget: budget) }) {
                        results.append(hit)
                        fromCache += 1
                        finished(row, hit, true)
                        continue
                    }
                    let result = try MapRowRun.train(row, seed: seed, budget: budget, catalogue: catalogue) { progress(row, seed, $0) }
                    results.append(result)
                    try? cache?.store(result)
                    finished(row, result, false)
                }
            }
            report.results.append((row, results))
            report.lines.append(line(row, results, seeds: seeds, cached: fromCache))
        }
        return report
    }

    static func line(_ row: MapRow, _ results: [MapResult], seeds: [UInt64], cached: Int) -> Line {
        let scores = results.compactMap(\.score)
        let summary = scores.isEmpty ? nil : MapTable.summary(scores)
        let note = row.missing ?? (results.contains { $0.status == .diverged } ? "diverged at some seed" : nil)
        return Line(row: row.id, group: row.group.name, task: row.group.task, tier: row.tier.rawValue, model: row.model,
                    training: row.training, metric: row.group.metric, higherIsBetter: row.group.higherIsBetter,
                    available: row.isAvailable, score: summary?.mean, spread: summary?.spread,
                    seconds: results.isEmpty ? nil : results.map(\.seconds).reduce(0, +) / Double(results.count),
                    steps: results.map(\.steps).max(), seed: seeds.first ?? 0, seeds: seeds,
                    scores: results.map(\.score), cached: cached, note: note)
    }

    /// `mlcourse map --json`: a list of objects, one per row (sorted keys; NaN never occurs, a
    /// missing score is null).
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(lines), as: UTF8.self)
    }

    /// The table for people.
    public var table: String {
        MapTable.text(MapTable.spec(results.map(\.row)) { row in
            guard row.isAvailable else { return .notAvailable }
            return results.first { $0.row.id == row.id }.map { .done($0.results) } ?? .waiting
        })
    }
}
