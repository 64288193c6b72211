import ArgumentParser
import MLEngine
import CardioSim
import Foundation

/// `mlcourse data`: list the simulator's data sets and export them for use elsewhere.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "List and export the simulated data sets; import your own ECG.",
        subcommands: [List.self, Export.self, Recipe.self, ImportECG.self, SimulateRecording.self])

    /// sysexits.h: 64 usage, 65 bad data; 1 anything else.
    static func exitCode(for error: Error) -> ExitCode {
        switch error as? CardioSimError {
        case .unknownDataset?, .invalidParameter?: return ExitCode(64)
        case .recipe?, .csv?, .recording?: return ExitCode(65)
        default: return ExitCode(1)
        }
    }

    static func fail(_ error: Error) -> ExitCode {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        return exitCode(for: error)
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the data sets, with where their recipes come from.")

        func run() throws {
            let catalog = DatasetCatalog()
            print("Datasets folder: \(catalog.directory?.path ?? "not found (built-in recipes only)")")
            for name in catalog.names {
                do {
                    let recipe = try catalog.recipe(named: name)
                    let source = catalog.fileNames.contains(name) ? "file" : "built-in"
                    print("\(name.padding(toLength: 22, withPad: " ", startingAt: 0)) \(recipe.parameters.generator.padding(toLength: 20, withPad: " ", startingAt: 0)) \(source.padding(toLength: 9, withPad: " ", startingAt: 0)) \(recipe.description)")
                } catch {
                    print("\(name.padding(toLength: 22, withPad: " ", startingAt: 0)) BROKEN: \(error)")
                }
            }
            ImportECG.listImported()
        }
    }

    struct Recipe: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a data set's recipe as JSON (the format of Datasets/NAME.json).")

        @Argument(help: "The data set's name (see `mlcourse data list`).")
        var name: String

        @Flag(help: "Print the compiled-in recipe even when a Datasets file overrides it.")
        var builtIn = false

        func run() throws {
            do {
                let recipe: CardioSim.Recipe
                if builtIn {
                    guard let found = BuiltInRecipes.recipe(named: name) else {
                        throw CardioSimError.unknownDataset(name: name, valid: BuiltInRecipes.all.map(\.name))
                    }
                    recipe = found
                } else {
                    recipe = try DatasetCatalog().recipe(named: name)
                }
                print(try recipe.json(), terminator: "")
            } catch { throw DataCommand.fail(error) }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate a data set and write it as CSV (header row, named label columns) or safetensors.")

        @Argument(help: "The data set's name (see `mlcourse data list`).")
        var name: String

        @Option(name: .long, help: "Output file: .csv or .safetensors, in a folder that exists; only a regular file is replaced.")
        var out: String

        @Option(name: .long, parsing: .unconditional, help: "Seed instead of the recipe's.", transform: SeedArgument.parse)
        var seed: UInt64?

        func validate() throws {
            guard out.hasSuffix(".csv") || out.hasSuffix(".safetensors") else {
                throw ValidationError("--out must end in .csv or .safetensors, got '\(out)'")
            }
        }

        func run() throws {
            do {
                let recipe = try DatasetCatalog().recipe(named: name)
                let data = try recipe.generate(seed: seed)
                let url = URL(fileURLWithPath: out)
                if out.hasSuffix(".csv") {
                    try CSVExport.write(data.table, to: url)
                    FileHandle.standardError.write(Data("wrote \(data.table.rows.count) rows x \(data.table.columns.count) columns to \(out)\n".utf8))
                } else {
                    try writeSafetensors(data, to: url)
                }
            } catch { throw DataCommand.fail(error) }
        }
    }
}

/// Writes the data set's tensors as one .safetensors file, with the recipe (as JSON) in the
/// metadata so the file says how it was made. Python opens it with `safetensors.numpy.load_file`.
func writeSafetensors(_ data: GeneratedDataset, to url: URL) throws {
    var archive = SafetensorsArchive(metadata: [
        "format": "mlcourse-dataset",
        "dataset": data.recipe.name,
        "recipe": try data.recipe.json(),
    ])
    for (name, tensor) in data.tensors { try archive.set(name, tensor) }
    try archive.write(to: url.path, creatingFolders: false)
    let names = data.tensors.map { "\($0.name) \($0.tensor.shape)" }.joined(separator: ", ")
    FileHandle.standardError.write(Data("wrote \(names) to \(url.path)\n".utf8))
}
