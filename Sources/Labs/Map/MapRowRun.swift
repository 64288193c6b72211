import Course
import Foundation
import MLEngine

/// One row being trained: its lab built as `mlcourse run LAB --set ...` builds it (catalogue,
/// seed, settings, reset), stepped until its budget is spent, it finishes by itself, or its
/// numbers stop being finite; then read for its score. The `map` command and the `map` lab both
/// go through here, so they reach the same numbers as `run` at the same seed and steps.
public struct MapRowRun {
    public let row: MapRow
    public let recipe: MapRow.Recipe
    public let seed: UInt64
    /// Steps this run may take.
    public let budget: Int
    public private(set) var lab: any Lab
    public private(set) var steps = 0
    public private(set) var finished = false
    public private(set) var diverged = false
    /// Seconds spent building and stepping so far (a resumed run goes on from the saved figure).
    public private(set) var seconds: Double

    /// - Throws: `MapError.notAvailable` for a row without a recipe, `MapError.recipe` when the
    ///   catalogue refuses its lab or a setting (a programming error the tests catch).
    public init(_ row: MapRow, seed: UInt64, budget: Int, catalogue: LabCatalogue) throws(MapError) {
        guard let recipe = row.recipe else { throw .notAvailable(row.id, row.missing ?? "") }
        let start = ContinuousClock.now
        self.row = row
        self.recipe = recipe
        self.seed = seed
        self.budget = budget
        lab = try Self.build(recipe, seed: seed, catalogue: catalogue)
        seconds = Self.seconds(since: start)
    }

    /// Puts back a run saved mid-way: the lab rebuilt, then its state restored.
    init(_ row: MapRow, seed: UInt64, budget: Int, catalogue: LabCatalogue, steps: Int, seconds: Double,
         state: LabState) throws {
        try self.init(row, seed: seed, budget: budget, catalogue: catalogue)
        try lab.restore(state)
        self.steps = steps
        self.seconds = seconds
        finished = steps >= budget
    }

    static func build(_ recipe: MapRow.Recipe, seed: UInt64, catalogue: LabCatalogue) throws(MapError) -> any Lab {
        var lab: any Lab
        do { lab = try catalogue.make(recipe.lab, seed: seed) } catch { throw .recipe(error.description) }
        for setting in recipe.settings {
            guard let parameter = lab.parameters[named: setting.name] else {
                throw .recipe("lab '\(recipe.lab)' has no setting '\(setting.name)'")
            }
            do { try lab.set(setting.name, to: try parameter.parse(setting.value)) } catch { throw .recipe("\(error)") }
        }
        lab.reset(seed: seed)
        return lab
    }

    /// True once nothing is left to do.
    public var isDone: Bool { finished || diverged }

    /// Takes up to `maxSteps` more steps. A step that throws ends the run as diverged, as a
    /// lab's own failure would stop `run`.
    public mutating func advance(maxSteps: Int) {
        let start = ContinuousClock.now
        defer { seconds += Self.seconds(since: start) }
        for _ in 0..<maxSteps where !isDone {
            guard steps < budget else { finished = true; return }
            let report: StepReport
            do { report = try lab.step() } catch { diverged = true; return }
            steps += 1
            if let loss = report.loss, !loss.isFinite { diverged = true; return }
            if !lab.isFinite { diverged = true; return }
            if report.finished || steps >= budget { finished = true }
        }
    }

    /// The score so far: the recipe's metric, if measured and finite.
    public var score: Double? {
        guard !diverged, let value = lab.metrics.latest(recipe.metric), value.isFinite else { return nil }
        return value
    }

    public var result: MapResult {
        MapResult(row: row.id, recipe: recipe.signature, seed: seed, budget: budget, steps: steps, score: score,
                  seconds: seconds, status: diverged ? .diverged : .ok)
    }

    /// Trains to the end in one go (the `map` command).
    public static func train(_ row: MapRow, seed: UInt64, budget: Int, catalogue: LabCatalogue,
                             progress: (MapRowRun) -> Void = { _ in }) throws(MapError) -> MapResult {
        var run = try MapRowRun(row, seed: seed, budget: budget, catalogue: catalogue)
        while !run.isDone {
            run.advance(maxSteps: max(1, run.recipe.slice))
            progress(run)
        }
        return run.result
    }

    private static func seconds(since start: ContinuousClock.Instant) -> Double {
        Double((ContinuousClock.now - start) / .microseconds(1)) / 1e6
    }
}

/// Why a row cannot be run.
public enum MapError: Error, Equatable, CustomStringConvertible {
    case notAvailable(String, String)
    case recipe(String)
    case unknownRows([String])

    public var description: String {
        switch self {
        case .notAvailable(let id, let why): return "row '\(id)' is not available yet: \(why)"
        case .recipe(let message): return "a map recipe is wrong: \(message)"
        case .unknownRows(let names):
            let guess = names.count == 1 ? Suggestion.closest(to: names[0], in: MapRows.ids).map { " (did you mean '\($0)'?)" } ?? "" : ""
            return "no map row named " + names.map { "'\($0)'" }.joined(separator: ", ") + guess
                + "; rows: " + MapRows.ids.joined(separator: ", ")
        }
    }
}
