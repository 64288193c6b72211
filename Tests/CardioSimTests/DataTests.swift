import Testing
import Foundation
import MLEngine
@testable import CardioSim

@Suite struct RecipeTests {
    /// The Datasets folder of this repository (found from this source file).
    static let datasets = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Datasets")

    @Test func filesAndBuiltInRecipesAgree() throws {
        let catalog = DatasetCatalog(directory: Self.datasets)
        #expect(Set(catalog.fileNames) == Set(BuiltInRecipes.all.map(\.name)))
        for builtIn in BuiltInRecipes.all {
            #expect(try catalog.recipe(named: builtIn.name) == builtIn, "Datasets/\(builtIn.name).json differs from the built-in recipe")
        }
    }

    @Test func recipesRoundTripThroughJSON() throws {
        for recipe in BuiltInRecipes.all {
            let decoded = try JSONDecoder().decode(Recipe.self, from: Data(try recipe.json().utf8))
            #expect(decoded == recipe)
        }
    }

    @Test func catalogIsFoundUpwardAndByEnvironment() throws {
        let nested = Self.datasets.deletingLastPathComponent().appendingPathComponent("Sources/CardioSim/ECG")
        #expect(DatasetCatalog.locate(environment: [:], currentDirectory: nested)?.standardizedFileURL.path
                == Self.datasets.standardizedFileURL.path)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cardiosim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(DatasetCatalog.locate(environment: ["MLCOURSE_DATASETS": folder.path], currentDirectory: nested)?.standardizedFileURL.path
                == folder.standardizedFileURL.path)
        // Without a folder the built-in recipes still answer.
        #expect(try DatasetCatalog(directory: nil).recipe(named: "patients") == BuiltInRecipes.recipe(named: "patients"))
    }

    @Test func filesOverrideAndErrorsNameTheProblem() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cardiosim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var recipe = BuiltInRecipes.recipe(named: "risk-line")!
        recipe.seed = 777
        try recipe.json().write(to: folder.appendingPathComponent("risk-line.json"), atomically: true, encoding: .utf8)
        let catalog = DatasetCatalog(directory: folder)
        #expect(try catalog.recipe(named: "risk-line").seed == 777)
        let broken = try recipe.json().replacingOccurrences(of: "\"noise\"", with: "\"noize\"")
        try broken.write(to: folder.appendingPathComponent("risk-line.json"), atomically: true, encoding: .utf8)
        do { _ = try catalog.recipe(named: "risk-line"); Issue.record("accepted a broken recipe") } catch {
            #expect("\(error)".contains("risk-line.json") && "\(error)".contains("noise"), "\(error)")
        }
        do { _ = try catalog.recipe(named: "heartbeats"); Issue.record("accepted an unknown name") } catch {
            #expect("\(error)".contains("beats, beats-imbalanced"), "\(error)")
        }
    }

    @Test func everyRecipeGeneratesDeterministically() throws {
        for var recipe in BuiltInRecipes.all {
            // Small versions, to keep the test quick.
            switch recipe.parameters {
            case .beats(var c): c.trainCount = 20; c.testCount = 10; recipe.parameters = .beats(c)
            case .segmentation(var c): c.trainCount = 2; c.testCount = 1; recipe.parameters = .segmentation(c)
            case .twelveLead(var c): c.trainCount = 4; c.testCount = 2; recipe.parameters = .twelveLead(c)
            case .patients(var c): c.trainCount = 30; c.testCount = 10; recipe.parameters = .patients(c)
            case .dosingTrajectories(var c): c.expertEpisodes = 3; c.randomEpisodes = 3; recipe.parameters = .dosingTrajectories(c)
            case .longRange(var c): c.trainCount = 6; c.testCount = 2; recipe.parameters = .longRange(c)
            default: break
            }
            let a = try recipe.generate(), b = try recipe.generate(), c = try recipe.generate(seed: recipe.seed + 1)
            #expect(CSVExport.text(a.table) == CSVExport.text(b.table), "\(recipe.name)")
            #expect(CSVExport.text(a.table) != CSVExport.text(c.table), "\(recipe.name)")
            #expect(a.table.rows.allSatisfy { $0.count == a.table.columns.count })
            #expect(!a.tensors.isEmpty)
        }
    }
}

@Suite struct ECGCSVTests {
    @Test func readsLeadsByColumn() throws {
        let file = try ECGFile.parse("I,II\n0.1,0.2\n# a comment\n0.3,-0.4\n\n", samplingRate: 500)
        #expect(file.leadNames == ["I", "II"])
        #expect(file.leads == [[0.1, 0.3], [0.2, -0.4]])
        #expect(file.sampleCount == 2 && file.samplingRate == 500)
    }

    @Test func errorsNameTheLineAndColumn() {
        func message(_ text: String) -> String {
            do { _ = try ECGFile.parse(text, samplingRate: 250, fileName: "mine.csv"); return "no error" } catch { return "\(error)" }
        }
        #expect(message("I,II\n0.1,0.2\n0.3,abc\n") == "mine.csv:3: column 2: 'abc' is not a number (lead II)")
        #expect(message("I,II\n0.1,0.2\n0.3\n").hasPrefix("mine.csv:3: expected 2 values"))
        #expect(message("0.1,0.2\n").hasPrefix("mine.csv:1: column 1: the first row must be a header"))
        #expect(message("I,I\n1,2\n").hasPrefix("mine.csv:1: column 2: lead 'I' appears twice"))
        #expect(message("").contains("empty"))
        #expect(message("I,II\n").contains("no samples"))
        #expect(message("I\r\n1\r\nnan\r\n").hasPrefix("mine.csv:3: column 1"))
    }

    @Test func exportedCSVReadsBack() throws {
        let table = DataTable(columns: ["V1", "V2"], rows: [["0.5", "-1.25"], ["1e-3", "2"]])
        let file = try ECGFile.parse(CSVExport.text(table), samplingRate: 250)
        #expect(file.leads == [[0.5, 0.001], [-1.25, 2]])
        #expect(CSVExport.escape("a,b") == "\"a,b\"" && CSVExport.escape("say \"hi\"") == "\"say \"\"hi\"\"\"")
    }
}

@Suite struct TypedLoadingTests {
    @Test func loadsByNameAndRejectsTheWrongKind() throws {
        let catalog = DatasetCatalog(directory: nil)
        let curve = try RiskCurve.load(named: "risk-bend", catalog: catalog)
        #expect(curve.ages.count == 200)
        #expect(try RiskCurve.load(named: "risk-bend", catalog: catalog) == curve)
        #expect(try RiskCurve.load(named: "risk-bend", seed: 1, catalog: catalog) != curve)
        do { _ = try WindkesselCurve.load(named: "patients", catalog: catalog); Issue.record("loaded patients as a Windkessel curve") } catch {
            #expect("\(error)".contains("generator 'patients'"))
        }
    }
}
