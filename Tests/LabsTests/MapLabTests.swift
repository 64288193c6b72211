import Course
import Foundation
import MLEngine
import Testing
import TextPlot
@testable import Labs

/// `map` and its parts: rows, one row's run, the cache, the lab that fills the table.
/// Small budgets (a debug build is slow): two quick real rows and one not yet available.
@Suite struct MapLabTests {
    static let quick = ["plain-net", "q-table"]
    static var rows: [MapRow] { quick.map { MapRows.row($0)! } + [missing] }
    /// A row no lab trains (every row of the course's map has a lab now; the kind stays).
    static let missing = MapRow("not-yet", .segmentation, .frontier, model: "a model no lab has", training: "-",
                                missing: "no lab trains it yet")
    static let scale = 0.01

    static func temporaryCache() -> MapCache {
        MapCache(file: FileManager.default.temporaryDirectory
            .appendingPathComponent("map-cache-\(UUID().uuidString)").appendingPathComponent("results.json"))
    }

    static func lab(seed: UInt64 = 5, cache: MapCache? = nil) throws -> MapLab {
        var lab = MapLab(seed: seed, catalogue: CourseCatalogue.labs, cache: cache, rows: rows)
        try lab.set("budget", to: .number(scale))
        lab.reset(seed: seed)
        return lab
    }

    /// Steps until the lab says every row is done; the number of steps taken.
    @discardableResult
    static func finish(_ lab: inout MapLab, limit: Int = 500) throws -> Int {
        for taken in 1...limit where try lab.step().finished { return taken }
        Issue.record("the map did not finish in \(limit) steps")
        return limit
    }

    @Test func rowsNameTheirLabsSettingsAndGroups() throws {
        #expect(Set(MapRows.ids).count == MapRows.all.count, "row names must be unique")
        for group in MapGroup.all { #expect(MapRows.all.contains { $0.group == group }, "\(group.name) has no row") }
        for row in MapRows.all {
            #expect(row.isAvailable != (row.missing != nil), "\(row.id): a row has a recipe or says why not")
            guard let recipe = row.recipe else { continue }
            let entry = try #require(CourseCatalogue.labs.entry(recipe.lab), "\(row.id): no lab \(recipe.lab)")
            for setting in recipe.settings {
                let parameter = try #require(entry.parameters[named: setting.name], "\(row.id): \(recipe.lab) has no \(setting.name)")
                #expect(throws: Never.self) { _ = try parameter.parse(setting.value) }
            }
            #expect(recipe.budget > 0 && recipe.slice > 0)
        }
        // What the issue's table asks of the groups that exist today.
        #expect(MapRows.row("unet")?.recipe?.metric == "test_dice" && MapRows.row("pinn")?.recipe?.metric == "extrapolation_rmse")
        #expect(MapRows.row("q-table")?.recipe?.settings == [LabBlock.Setting(name: "env", value: "dosing")])
        #expect(MapRows.row("swin-unet")?.recipe?.lab == ECGSegmentationLab.swinID && MapRows.row("swin-unet")?.recipe?.metric == "test_dice")
    }

    @Test func aRowsScoreIsItsLabsMetricAfterItsSteps() throws {
        let row = MapRows.row("plain-net")!
        let result = try MapRowRun.train(row, seed: 3, budget: 30, catalogue: CourseCatalogue.labs)
        // The same lab, built and stepped by hand.
        var lab = try CourseCatalogue.labs.make(PINNWindkesselLab.labID, seed: 3)
        try lab.set("physics", to: .choice("off"))
        lab.reset(seed: 3)
        for _ in 0..<30 { _ = try lab.step() }
        #expect(result.steps == 30 && result.status == .ok)
        #expect(result.score == lab.metrics.latest("extrapolation_rmse"))
        #expect(result.seconds > 0)
        let other = try MapRowRun.train(row, seed: 4, budget: 30, catalogue: CourseCatalogue.labs)
        #expect(other.score != result.score, "another seed, another score")
    }

    @Test func aRowWithoutALabCannotRunAndShowsNoScore() throws {
        let missing = Self.missing
        #expect(throws: MapError.self) { _ = try MapRowRun(missing, seed: 1, budget: 10, catalogue: CourseCatalogue.labs) }
        let cells = MapTable.cells(missing, .notAvailable)
        #expect(cells[5] == "not available yet" && cells[6].isEmpty && cells[7].isEmpty)
    }

    @Test func theLabFillsTheTableRowByRowAndMatchesTheRunner() throws {
        var lab = try Self.lab()
        #expect(lab.metrics.latest("rows_done") == 0)
        var sawTraining = false
        for _ in 0..<500 {
            let report = try lab.step()
            if case .training = lab.state(Self.rows[1]) { sawTraining = true }
            if report.finished { break }
        }
        #expect(sawTraining, "the table shows a row while it trains")
        #expect(lab.metrics.latest("rows_done") == 2)
        for id in Self.quick {
            let row = MapRows.row(id)!
            let alone = try MapRowRun.train(row, seed: 5, budget: row.recipe!.steps(scale: Self.scale), catalogue: CourseCatalogue.labs)
            #expect(lab.metrics.latest("score_\(id)") == alone.score, "\(id) in the lab and alone")
        }
        #expect(try lab.step().finished, "nothing left to do")
    }

    @Test func theCacheRoundTripsAndSurvivesACorruptFile() throws {
        let cache = Self.temporaryCache()
        defer { try? FileManager.default.removeItem(at: cache.file.deletingLastPathComponent()) }
        var first = try Self.lab(cache: cache)
        try Self.finish(&first)
        #expect(cache.load().results.count == 2 && cache.load().problem == nil)

        // Shown at once: done before any step, the same scores, and nothing left to train.
        let again = try Self.lab(cache: cache)
        #expect(again.metrics == first.metrics)
        var copy = again
        #expect(try copy.step().finished)
        // Another seed is another run.
        let otherSeed = try Self.lab(seed: 6, cache: cache)
        #expect(otherSeed.metrics.latest("rows_done") == 0)

        try Data("{ not json".utf8).write(to: cache.file)
        #expect(cache.load().results.isEmpty)
        #expect(cache.load().problem?.contains("not valid map results") == true)
        var afterCorruption = try Self.lab(cache: cache)
        #expect(afterCorruption.metrics.latest("rows_done") == 0)
        let progress = try #require(afterCorruption.panel("progress"))
        guard case .gauges(let gauges) = progress.content else { Issue.record("progress is gauges"); return }
        #expect(gauges.contains { $0.caption?.contains("not valid map results") == true })
        try Self.finish(&afterCorruption)
        #expect(afterCorruption.metrics == first.metrics)
        #expect(cache.load().problem == nil && cache.load().results.count == 2, "rewritten whole")
    }

    /// Tests that open every page build the map from `CourseCatalogue.labs(mapCache:)`, so they
    /// never touch the learner's data folder: the map lab made there reads the cache it is given.
    @Test func theCatalogueCanGiveTheMapAnotherCache() throws {
        let cache = Self.temporaryCache()
        defer { try? FileManager.default.removeItem(at: cache.file.deletingLastPathComponent()) }
        try FileManager.default.createDirectory(at: cache.file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("{ not json".utf8).write(to: cache.file)
        func cacheCaption(_ catalogue: LabCatalogue) throws -> String? {
            let lab = try catalogue.make(MapLab.labID, seed: 5)
            guard case .gauges(let gauges)? = lab.panel("progress")?.content else { return nil }
            return gauges.first { $0.label == "cache" }?.caption
        }
        #expect(try cacheCaption(CourseCatalogue.labs(mapCache: cache))?.contains(cache.file.path) == true)
        #expect(try cacheCaption(CourseCatalogue.labs(mapCache: nil)) == nil)
        #expect(CourseCatalogue.labs(mapCache: nil).ids == CourseCatalogue.labs.ids)
    }

    @Test func rerunTrainsARowAgainToTheSameScore() throws {
        var lab = try Self.lab()
        try Self.finish(&lab)
        let before = lab.metrics
        try lab.set("rerun", to: .choice("q-table"))
        let report = try lab.step()
        #expect(!report.finished)
        if case .training = lab.state(MapRows.row("q-table")!) {} else { Issue.record("q-table is training again") }
        #expect(lab.metrics.latest("score_q-table") == nil && lab.metrics.latest("rows_done") == 1)
        try Self.finish(&lab)
        #expect(lab.metrics == before, "same seed and steps: same score")
    }

    @Test func savedMidRowItContinuesAsIfNeverStopped() throws {
        var straight = try Self.lab()
        var first = try Self.lab()
        for _ in 0..<3 { _ = try straight.step(); _ = try first.step() }
        let state = first.snapshot()
        #expect(state.metadata["current"] != nil && !state.tensors.isEmpty, "saved in the middle of a row")
        var resumed = MapLab(seed: 99, catalogue: CourseCatalogue.labs, cache: nil, rows: Self.rows)
        try resumed.restore(state)
        let a = try Self.finish(&straight), b = try Self.finish(&resumed)
        #expect(a == b)
        #expect(straight.metrics == resumed.metrics)
        #expect(straight.snapshot().metadata["queue"] == resumed.snapshot().metadata["queue"])

        var broken = state
        broken.metadata["queue"] = .array([.string("no-such-row")])
        #expect(throws: LabStateError.self) { try resumed.restore(broken) }
    }

    @Test func aGroupSettingTrainsAndShowsThatTasksRowsOnly() throws {
        var lab = MapLab(seed: 5, catalogue: CourseCatalogue.labs, cache: nil)
        try lab.set("group", to: .choice("physics"))
        try lab.set("budget", to: .number(Self.scale))
        lab.reset(seed: 5)
        let table = try #require(lab.panel("table"))
        guard case .table(let spec) = table.content else { Issue.record("the map panel is a table"); return }
        #expect(spec.rows.map { $0[2] } == ["plain net (no physics)", "PINN"])
        try Self.finish(&lab)
        #expect(lab.metrics.latest("rows_done") == 2 && lab.metrics.latest("score_pinn") != nil)
        #expect(lab.metrics.latest("score_boosting") == nil)
    }

    /// The catalogue's own checkpoint path (a file on disk, load, continue, replay from the seed)
    /// for `map` alone, so it runs with this suite rather than only with the whole catalogue's.
    @Test func theCatalogueCheckpointPathHoldsForTheMap() throws {
        try CatalogueCheckpointTests.checkContinuation("map")
    }

    /// The table at the widths of 120x40 and 80x24 screens, in ASCII: every row's model and
    /// score readable, the unavailable one saying so.
    @Test(arguments: [118, 78, 60])
    func theTableReadsAtEverySizeInASCII(width: Int) throws {
        var lab = try Self.lab()
        try Self.finish(&lab)
        let panel = try #require(lab.panel("table"))
        var canvas = Canvas(width: width, height: 9)
        panel.render(into: &canvas, in: canvas.bounds, capabilities: .asciiMono)
        let text = canvas.text
        let ascii = text.unicodeScalars.allSatisfy(\.isASCII)
        #expect(ascii, "\(text)")
        for id in Self.quick {
            let score = MapTable.number(try #require(lab.metrics.latest("score_\(id)")))
            #expect(text.contains(score), "\(id)'s score \(score) at width \(width):\n\(text)")
        }
        #expect(text.contains("not available yet"), "\(text)")
        #expect(text.contains("Q-table") && text.contains("score"), "\(text)")
    }

    @Test func rowsAreChosenByNameAndATypoListsTheValidOnes() throws {
        #expect(try MapReport.select([]).count == MapRows.all.count)
        #expect(try MapReport.select(["unet,window-cnn"]).map(\.id) == ["window-cnn", "unet"])
        do {
            _ = try MapReport.select(["unet", "unett"])
            Issue.record("a typo must be refused")
        } catch {
            #expect(error == .unknownRows(["unett"]))
            #expect(error.description.contains("'unett'") && error.description.contains("rows: logistic-mlp"))
            #expect(MapRows.ids.allSatisfy { error.description.contains($0) })
        }
    }

    @Test func theReportIsOneJSONObjectPerRowWithTheIssuesKeys() throws {
        let cache = Self.temporaryCache()
        defer { try? FileManager.default.removeItem(at: cache.file.deletingLastPathComponent()) }
        let rows = [MapRows.row("plain-net")!, Self.missing]
        var finished = 0
        let report = try MapReport.make(rows: rows, seeds: [1, 2], budgetScale: Self.scale, cache: cache,
                                        catalogue: CourseCatalogue.labs, finished: { _, _, _ in finished += 1 })
        #expect(finished == 2)
        let list = try #require(try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [[String: Any]])
        #expect(list.count == 2)
        for object in list {
            #expect(Set(object.keys).isSuperset(of: ["group", "task", "tier", "model", "metric", "score", "seconds", "steps", "seed"]))
        }
        let net = list[0]
        #expect(net["group"] as? String == "regression, physics" && net["tier"] as? String == "conceptual")
        #expect(net["metric"] as? String == "RMSE" && net["seed"] as? Int == 1 && net["steps"] as? Int == 15)
        let scores = try #require(net["scores"] as? [Double])
        #expect(scores.count == 2 && scores[0] != scores[1])
        #expect(abs((net["score"] as? Double ?? .nan) - (scores[0] + scores[1]) / 2) < 1e-12)
        #expect((net["spread"] as? Double ?? 0) > 0)
        let notYet = list[1]
        #expect(notYet["score"] is NSNull && notYet["available"] as? Bool == false)
        #expect((notYet["note"] as? String)?.isEmpty == false)
        #expect(report.table.contains("not available yet") && report.table.contains(" +- "))

        // Next time from the cache, the same report.
        var cachedCount = 0
        let again = try MapReport.make(rows: rows, seeds: [1, 2], budgetScale: Self.scale, cache: cache,
                                       catalogue: CourseCatalogue.labs, finished: { _, _, cached in if cached { cachedCount += 1 } })
        #expect(cachedCount == 2 && again.lines[0].score == report.lines[0].score && again.lines[0].cached == 2)
    }
}
