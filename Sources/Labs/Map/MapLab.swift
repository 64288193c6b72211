import Course
import Foundation
import MLEngine
import TextPlot

/// `map`: every row of chapter 10's map trained here, one after another, on its group's shared
/// task, filling a table as rows finish.
///
/// Each step of this lab takes `slice` steps of the current row's own lab (built as
/// `mlcourse run` builds it), so a step stays short on screen. Results found in the learner's
/// map cache (same row, recipe, seed and steps) are shown at once and not trained again;
/// `rerun` trains one row anew. With the cache off the run depends on the seed alone.
public struct MapLab: Lab {
    public static let labID = "map"
    public static let labTitle = "The map: every model trained here, on shared tasks"
    public static let panelNames = ["table", "progress"]

    public let id = MapLab.labID
    public let title = MapLab.labTitle
    public private(set) var seed: UInt64

    /// Share of every row's step budget (1: the full map).
    private var budgetScale = 1.0
    private var usesCache = true
    /// Which group's rows are shown and trained ("all", or a group's id).
    private var group = "all"
    /// The last row asked to be trained again ("none" before any).
    private var rerun = "none"
    /// A rerun asked for and not yet started.
    private var pendingRerun: String?

    private let allRows: [MapRow]
    /// The rows of the chosen group, in map order.
    private var rows: [MapRow] { group == "all" ? allRows : allRows.filter { $0.group.id == group } }
    private let catalogue: LabCatalogue
    private let cache: MapCache?
    /// Finished rows by id, and which of them came from the cache.
    private var results: [String: MapResult] = [:]
    private var cached: Set<String> = []
    /// Rows still to train, in order.
    private var queue: [String] = []
    private var current: MapRowRun?
    /// Said on the progress panel when the cache file could not be used.
    private var cacheProblem: String?
    public private(set) var metrics = Metrics()

    /// - Parameters:
    ///   - catalogue: where the rows' labs come from (the course catalogue).
    ///   - cache: the shared results file, or nil for none.
    ///   - rows: the map's rows (tests pass a few).
    public init(seed: UInt64, catalogue: LabCatalogue, cache: MapCache?, rows: [MapRow] = MapRows.all) {
        self.seed = seed
        self.catalogue = catalogue
        self.cache = cache
        allRows = rows
        reset(seed: seed)
    }

    // MARK: Hyperparameters

    public var parameters: [Hyperparameter] {
        Self.parameters(scale: budgetScale, cache: usesCache, group: group, rerun: rerun, rows: allRows)
    }
    public static var defaultParameters: [Hyperparameter] {
        parameters(scale: 1, cache: true, group: "all", rerun: "none", rows: MapRows.all)
    }

    private static func parameters(scale: Double, cache: Bool, group: String, rerun: String, rows: [MapRow]) -> [Hyperparameter] {
        [
            .logScale("budget", scale, in: 0.01...1, factor: 2, effect: .reset,
                      help: "share of each row's step budget (1: the full map; less for a quick look)"),
            .choice("cache", cache ? "on" : "off", among: ["on", "off"], effect: .reset,
                    help: "show results saved by an earlier map run (and save new ones)"),
            .choice("group", group, among: ["all"] + MapGroup.all.map(\.id), effect: .reset,
                    help: "train and show one task's rows only, or all of them"),
            .choice("rerun", rerun, among: ["none"] + rows.filter(\.isAvailable).map(\.id),
                    help: "train this row again now, replacing its result"),
        ]
    }

    public mutating func set(_ name: String, to value: HyperValue) throws {
        let checked = try parameters.checked(name, value, lab: id)
        switch name {
        case "budget": budgetScale = checked.number ?? budgetScale
        case "cache": usesCache = checked.choice == "on"
        case "group": group = checked.choice ?? group
        default:
            rerun = checked.choice ?? rerun
            pendingRerun = rows.contains { $0.id == rerun } ? rerun : nil
        }
    }

    /// Drops `row`'s result (and its cached one) and puts it first in line. Done at the next
    /// step, not in `set`: a checkpoint being loaded sets every saved value before its reset,
    /// and must not forget cached results on the way.
    private mutating func trainAgain(_ row: MapRow) {
        results[row.id] = nil
        cached.remove(row.id)
        if current?.row.id == row.id { current = nil }
        queue.removeAll { $0 == row.id }
        queue.insert(row.id, at: 0)
        if usesCache, let cache { try? cache.forget(row, seed: seed, budget: budget(row)) }
        refreshMetrics()
    }

    func budget(_ row: MapRow) -> Int { row.recipe?.steps(scale: budgetScale) ?? 0 }

    // MARK: Training

    public mutating func reset(seed: UInt64) {
        self.seed = seed
        results = [:]
        cached = []
        current = nil
        pendingRerun = nil
        cacheProblem = nil
        if usesCache, let cache {
            let (stored, problem) = cache.load()
            cacheProblem = problem
            for row in rows where row.isAvailable {
                if let hit = stored.last(where: { $0.answers(row, seed: seed, budget: budget(row)) }) {
                    results[row.id] = hit
                    cached.insert(row.id)
                }
            }
        }
        queue = rows.filter { $0.isAvailable && results[$0.id] == nil }.map(\.id)
        refreshMetrics()
    }

    public mutating func step() throws -> StepReport {
        if let id = pendingRerun, let row = rows.first(where: { $0.id == id }) {
            pendingRerun = nil
            trainAgain(row)
        }
        if current == nil {
            guard let next = queue.first, let row = rows.first(where: { $0.id == next }) else {
                return StepReport(finished: true, note: "map: every available row is scored")
            }
            queue.removeFirst()
            current = try MapRowRun(row, seed: seed, budget: budget(row), catalogue: catalogue)
        }
        guard var run = current else { return StepReport() }
        run.advance(maxSteps: run.recipe.slice)
        guard run.isDone else {
            current = run
            return StepReport()
        }
        let result = run.result
        results[run.row.id] = result
        current = nil
        if usesCache, let cache { try? cache.store(result) }
        refreshMetrics()
        let score = result.score.map { "\(run.row.group.metric) \(MapTable.number($0))" } ?? "no score (\(result.status.rawValue))"
        return StepReport(finished: queue.isEmpty, note: "map: \(run.row.model) \(score) after \(result.steps) \(result.steps == 1 ? "step" : "steps")")
    }

    /// Rows done, and each finished row's score under `score_<row>` (seconds stay out: they
    /// are measured, not computed, and would differ between two identical runs).
    private mutating func refreshMetrics() {
        var fresh = Metrics()
        fresh.set("rows_done", Double(results.count))
        for row in rows {
            if let score = results[row.id]?.score { fresh.set("score_\(row.id)", score) }
        }
        metrics = fresh
    }

    public var isFinite: Bool { current?.lab.isFinite ?? true }

    // MARK: Panels

    func state(_ row: MapRow) -> MapTable.State {
        guard row.isAvailable else { return .notAvailable }
        if let result = results[row.id] { return .done([result]) }
        if let current, current.row.id == row.id { return .training(steps: current.steps, budget: current.budget) }
        return .waiting
    }

    public var panelIDs: [String] { Self.panelNames }

    public func panel(_ id: String) -> Panel? {
        switch id {
        case "table":
            let scale = budgetScale == 1 ? "full budgets" : "budgets x\(NumberText.format(budgetScale))"
            return Panel(title: "The map, measured here (seed \(seed), \(scale))",
                         content: .table(MapTable.spec(rows, state: state)))
        case "progress": return progressPanel()
        default: return nil
        }
    }

    private func progressPanel() -> Panel {
        let available = rows.filter(\.isAvailable).count
        var gauges = [GaugeSpec(label: "rows", value: Double(results.count), range: 0...Double(max(1, available)),
                                caption: "\(results.count)/\(available) scored" + (cached.isEmpty ? "" : ", \(cached.count) from the cache"))]
        if let current {
            gauges.append(GaugeSpec(label: current.row.id, value: Double(current.steps), range: 0...Double(max(1, current.budget)),
                                    caption: "\(current.steps)/\(current.budget) steps, \(String(format: "%.0f", current.seconds)) s"))
        } else if let next = queue.first {
            gauges.append(GaugeSpec(label: next, value: 0, caption: "next"))
        }
        let problem = cacheProblem.map { [GaugeSpec(label: "cache", value: 0, caption: $0)] } ?? []
        return Panel(title: "Training now", content: .gauges(gauges + problem))
    }

    // MARK: Checkpoints

    public func snapshot() -> LabState {
        var metadata: [String: JSONValue] = [
            "seed": .string(String(seed)),
            "budget": .number(budgetScale),
            "cache": .string(usesCache ? "on" : "off"),
            "group": .string(group),
            "rerun": .string(rerun),
            "results": .array(rows.compactMap { results[$0.id] }.map { MapResultCoding.json($0, cached: cached.contains($0.row)) }),
            "queue": .array(queue.map(JSONValue.string)),
            "pending_rerun": pendingRerun.map(JSONValue.string) ?? .null,
        ]
        var tensors: [String: Tensor] = [:]
        if let current {
            let inner = current.lab.snapshot()
            for (name, tensor) in inner.tensors { tensors["row/" + name] = tensor }
            metadata["current"] = .object([
                "row": .string(current.row.id),
                "steps": .number(Double(current.steps)),
                "seconds": StateCoding.json(current.seconds),
                "lab": .object(inner.metadata),
            ])
        }
        return LabState(labID: id, tensors: tensors, metadata: metadata)
    }

    public mutating func restore(_ state: LabState) throws {
        try state.expect(lab: id)
        func bad(_ key: String, _ problem: String) -> LabStateError { .badMetadata(lab: id, key: key, problem: problem) }
        let savedSeed = try CheckpointParts.seed(in: state)
        guard let scale = state.metadata["budget"]?.number, (0.01...1).contains(scale) else { throw bad("budget", "must be 0.01-1") }
        guard let cacheWord = state.metadata["cache"]?.string, ["on", "off"].contains(cacheWord) else { throw bad("cache", "must be on or off") }
        let groupWord = try StateCoding.string(state.metadata["group"], key: "group", lab: id)
        guard groupWord == "all" || MapGroup.all.contains(where: { $0.id == groupWord }) else { throw bad("group", "names no group") }
        group = groupWord
        let rerunWord = try StateCoding.string(state.metadata["rerun"], key: "rerun", lab: id)
        guard rerunWord == "none" || allRows.contains(where: { $0.id == rerunWord }) else { throw bad("rerun", "names no row") }
        guard let savedResults = state.metadata["results"]?.array else { throw bad("results", "must be a list") }
        var restored: [String: MapResult] = [:], fromCache: Set<String> = []
        for value in savedResults {
            let (result, wasCached) = try MapResultCoding.result(value, lab: id)
            guard rows.contains(where: { $0.id == result.row }) else { throw bad("results", "names no row: \(result.row)") }
            restored[result.row] = result
            if wasCached { fromCache.insert(result.row) }
        }
        guard let queued = state.metadata["queue"]?.array?.compactMap(\.string),
              queued.allSatisfy({ id in rows.contains { $0.id == id && $0.isAvailable } }) else {
            throw bad("queue", "must list available rows")
        }
        let pending = state.metadata["pending_rerun"]?.string
        guard pending == nil || rows.contains(where: { $0.id == pending && $0.isAvailable }) else { throw bad("pending_rerun", "names no row") }
        var running: MapRowRun?
        if let saved = state.metadata["current"]?.object {
            guard let rowID = saved["row"]?.string, let row = rows.first(where: { $0.id == rowID }), let recipe = row.recipe,
                  let steps = saved["steps"]?.number.flatMap({ StateCoding.int($0, in: 0...recipe.budget) }),
                  let seconds = saved["seconds"].flatMap(StateCoding.double(from:)),
                  let inner = saved["lab"]?.object else {
                throw bad("current", "must name an available row with its steps, seconds and lab state")
            }
            let tensors = Dictionary(uniqueKeysWithValues: state.tensors.compactMap { name, tensor in
                name.hasPrefix("row/") ? (String(name.dropFirst(4)), tensor) : nil
            })
            let rowBudget = row.recipe?.steps(scale: scale) ?? 0
            running = try MapRowRun(row, seed: savedSeed, budget: rowBudget, catalogue: catalogue, steps: steps, seconds: seconds,
                                    state: LabState(labID: recipe.lab, tensors: tensors, metadata: inner))
        }
        (seed, budgetScale, usesCache, rerun) = (savedSeed, scale, cacheWord == "on", rerunWord)
        (results, cached, queue, current) = (restored, fromCache, queued, running)
        pendingRerun = pending
        cacheProblem = nil
        refreshMetrics()
    }
}

/// A map result in checkpoint metadata: the seed as a string (JSON numbers hold 53 bits), the
/// score as StateCoding writes numbers.
enum MapResultCoding {
    static func json(_ result: MapResult, cached: Bool) -> JSONValue {
        .object([
            "row": .string(result.row), "recipe": .string(result.recipe), "seed": .string(String(result.seed)),
            "budget": .number(Double(result.budget)), "steps": .number(Double(result.steps)),
            "score": result.score.map(StateCoding.json) ?? .null, "seconds": StateCoding.json(result.seconds),
            "status": .string(result.status.rawValue), "cached": .bool(cached),
        ])
    }

    static func result(_ value: JSONValue, lab: String) throws -> (MapResult, cached: Bool) {
        guard let o = value.object, let row = o["row"]?.string, let recipe = o["recipe"]?.string,
              let seed = o["seed"]?.string.flatMap({ UInt64($0) }),
              let budget = o["budget"]?.number.flatMap({ StateCoding.int($0, in: 0...RunRecord.maximumSteps) }),
              let steps = o["steps"]?.number.flatMap({ StateCoding.int($0, in: 0...RunRecord.maximumSteps) }),
              let seconds = o["seconds"].flatMap(StateCoding.double(from:)),
              let status = o["status"]?.string.flatMap(MapResult.Status.init(rawValue:)),
              case .bool(let cached)? = o["cached"] else {
            throw LabStateError.badMetadata(lab: lab, key: "results", problem: "each result needs row, recipe, seed, budget, steps, seconds, status, cached")
        }
        let score: Double?
        switch o["score"] {
        case .null?, nil: score = nil
        case let value?:
            guard let x = StateCoding.double(from: value) else {
                throw LabStateError.badMetadata(lab: lab, key: "results", problem: "a score must be a number or null")
            }
            score = x
        }
        return (MapResult(row: row, recipe: recipe, seed: seed, budget: budget, steps: steps, score: score, seconds: seconds, status: status), cached)
    }
}

extension MapLab {
    /// The course catalogue's entry, keeping results in the learner's data folder. Declared
    /// without building a lab: the map's rows come from the catalogue this entry is part of,
    /// which must exist before a map lab can be made.
    static var catalogueEntry: LabCatalogue.Entry { catalogueEntry(cache: { MapCache.learner() }) }

    /// The same entry with its results kept in `cache` (nil: kept nowhere).
    static func catalogueEntry(cache: @escaping @Sendable () -> MapCache?) -> LabCatalogue.Entry {
        LabCatalogue.Entry(id: labID, title: labTitle, parameters: defaultParameters, panelIDs: panelNames) { seed in
            MapLab(seed: seed, catalogue: CourseCatalogue.labs, cache: cache())
        }
    }
}

extension CourseCatalogue {
    /// The course's labs with the map keeping its results in `mapCache` instead of the learner's
    /// data folder: tests that open every page use it so they neither read nor write the real one.
    public static func labs(mapCache: MapCache?) -> LabCatalogue {
        LabCatalogue(labs.entries.map { $0.id == MapLab.labID ? MapLab.catalogueEntry(cache: { mapCache }) : $0 })
    }
}
