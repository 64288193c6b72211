import Course
import Foundation
import Labs
import Testing
@testable import App

/// `mlcourse map` scores a row by building and stepping its lab itself (`MapRowRun`); the map is
/// only honest if that is exactly what `mlcourse run LAB --set ... --steps N --seed S` reports.
@Suite("The map's rows against mlcourse run")
struct MapRunTests {
    /// Two rows with settings, at small budgets (a debug build is slow).
    @Test(arguments: [("plain-net", 40), ("q-table", 30), ("deep-net", 25)])
    func aRowScoresWhatRunReportsAtTheSameSeedAndSteps(_ id: String, _ steps: Int) throws {
        let row = try #require(MapRows.row(id))
        let recipe = try #require(row.recipe)
        let mapped = try MapRowRun.train(row, seed: 11, budget: steps, catalogue: CourseCatalogue.labs)

        let runner = HeadlessRun(catalogue: CourseCatalogue.labs)
        let session = try runner.prepare(.init(lab: recipe.lab, settings: recipe.settings, steps: steps, seed: 11))
        let report = try runner.train(session, steps: steps)
        #expect(report.steps == mapped.steps)
        let expected = try #require(report.metrics.latest(recipe.metric), "run reports no \(recipe.metric)")
        let score: Double? = mapped.score
        #expect(score == expected, "\(id): the map's score differs from run's \(expected)")
    }
}
