import Foundation

/// Finds data-set recipes by name: a file Datasets/NAME.json wins, else the built-in recipe.
public struct DatasetCatalog: Sendable {
    /// The Datasets folder in use, if one was found.
    public var directory: URL?

    /// Uses `directory` (nil: built-in recipes only).
    public init(directory: URL?) { self.directory = directory }

    /// Locates the folder: $MLCOURSE_DATASETS, else a "Datasets" folder in the current directory
    /// or any folder above it.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment,
                currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) {
        self.directory = Self.locate(environment: environment, currentDirectory: currentDirectory)
    }

    public static func locate(environment: [String: String], currentDirectory: URL) -> URL? {
        var isFolder: ObjCBool = false
        if let explicit = environment["MLCOURSE_DATASETS"], !explicit.isEmpty {
            let url = URL(fileURLWithPath: explicit)
            return FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) && isFolder.boolValue ? url : nil
        }
        var folder = currentDirectory.standardizedFileURL
        while true {
            let candidate = folder.appendingPathComponent("Datasets")
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isFolder) && isFolder.boolValue {
                return candidate
            }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return nil }
            folder = parent
        }
    }

    /// Names of the recipe files in the folder.
    public var fileNames: [String] {
        guard let directory,
              let files = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return [] }
        return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// Every known data set: built-in ones and any extra recipe files.
    public var names: [String] {
        let builtIn = BuiltInRecipes.all.map(\.name)
        return builtIn + fileNames.filter { !builtIn.contains($0) }
    }

    /// The recipe called `name`. Throws with the list of valid names when there is none, and with
    /// the file and field when a file is malformed.
    public func recipe(named name: String) throws -> Recipe {
        if let directory, fileNames.contains(name) {
            let url = directory.appendingPathComponent(name + ".json")
            let recipe = try Recipe.read(from: url)
            guard recipe.name == name else {
                throw CardioSimError.recipe(file: url.path, message: "the file is named '\(name)' but its \"name\" is '\(recipe.name)'")
            }
            return recipe
        }
        if let builtIn = BuiltInRecipes.recipe(named: name) { return builtIn }
        throw CardioSimError.unknownDataset(name: name, valid: names)
    }
}

extension Recipe {
    /// The recipe called `name` from the default catalog (see `DatasetCatalog.init(environment:currentDirectory:)`).
    public static func load(named name: String) throws -> Recipe { try DatasetCatalog().recipe(named: name) }
}
