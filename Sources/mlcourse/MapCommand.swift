import ArgumentParser
import Course
import Foundation
import Labs

/// `mlcourse map`: chapter 10's map trained here, row after row, each on its group's shared task
/// for a fixed step budget, then printed as a table (or JSON). Results are cached per row, seed
/// and budget in the learner's data folder, which the `map` lab reads too.
struct MapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "map",
        abstract: "Train every row of chapter 10's map and print its scores: `map --rows unet,window-cnn`.",
        discussion: """
            Each row trains its lab (as `mlcourse run` would) for a fixed number of steps: scores \
            depend on the seed and the steps only; seconds are measured and reported, never used \
            to stop. Rows: \(MapRows.ids.joined(separator: ", ")). Rows no lab trains yet are \
            listed as not available. Results are kept in the map folder of mlcourse's data folder \
            ($MLCOURSE_HOME, else $XDG_DATA_HOME/mlcourse, else ~/.local/share/mlcourse) and \
            shown at once the next time; --fresh trains again. --budget-scale 0.1 gives every \
            row a tenth of its steps (a quick check, as CI runs it; closed-form rows such as PCA \
            and K-means always get theirs). Exit codes: 0 ok; 64 an unknown row or a bad option.
            """)

    @Flag(help: "Print a JSON list, one object per row: group, task, tier, model, metric, score, seconds, steps, seed (and more).")
    var json = false

    @Option(name: .customLong("rows"), parsing: .upToNextOption, help: "Only these rows (names, or a comma-separated list).")
    var rows: [String] = []

    @Option(parsing: .unconditional, help: "Train each row at this many seeds (seed, seed+1, ...); the table shows mean +- spread.")
    var seeds = 1

    @Option(parsing: .unconditional, help: "The first seed.", transform: SeedArgument.parse)
    var seed: UInt64 = 42

    @Option(name: .customLong("budget-scale"), parsing: .unconditional, help: "Share of each row's step budget, from 0.001 to 1.")
    var budgetScale = 1.0

    @Flag(help: "Ignore cached results (new ones are still saved).")
    var fresh = false

    func validate() throws {
        guard (1...20).contains(seeds) else { throw ValidationError("--seeds must be between 1 and 20, got \(seeds)") }
        guard budgetScale >= 0.001, budgetScale <= 1 else {
            throw ValidationError("--budget-scale must be between 0.001 and 1, got \(budgetScale)")
        }
    }

    func run() throws {
        let chosen: [MapRow]
        do { chosen = try MapReport.select(rows) } catch {
            Console.error("mlcourse map: \(error)")
            throw ExitCode(64)
        }
        let store = MapCache.learner()
        if let problem = store?.load().problem { Console.error("mlcourse map: \(problem)") }
        let seedList = (0..<seeds).map { seed &+ UInt64($0) }
        let total = chosen.filter(\.isAvailable).count * seeds
        var done = 0
        let live = Console.stderrIsTerminal
        let report: MapReport
        do {
            report = try MapReport.make(
                rows: chosen, seeds: seedList, budgetScale: budgetScale, cache: store, reuse: !fresh,
                catalogue: Catalogue.labs,
                progress: { row, seed, run in
                    guard live else { return }
                    Console.errorInline("\r[\(done + 1)/\(total)] \(row.id) seed \(seed): \(run.steps)/\(run.budget) steps\u{1B}[K")
                },
                finished: { row, result, cached in
                    done += 1
                    let score = result.score.map { _ in MapTable.scoreText([result]) + " " + row.group.metric + ", " } ?? "no score, "
                    let line = "[\(done)/\(total)] \(row.id) seed \(result.seed): \(score)\(result.steps) \(result.steps == 1 ? "step" : "steps"), "
                        + String(format: "%.1f s", result.seconds) + (cached ? " (cached)" : "")
                    Console.error((live ? "\r\u{1B}[K" : "") + line)
                })
        } catch {
            Console.error("mlcourse map: \(error)")
            throw ExitCode(1)
        }
        print(json ? try report.json() : report.table)
    }
}
