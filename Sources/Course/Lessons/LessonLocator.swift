import Foundation

/// Finds the Lessons folder: `$MLCOURSE_LESSONS` if set; else a `Lessons` folder holding lesson
/// files in the current directory or one of its parents; else the same search upward from the
/// executable (so `.build/release/mlcourse` finds the repository's Lessons).
public enum LessonLocator {
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment,
                              currentDirectory: String = FileManager.default.currentDirectoryPath,
                              executablePath: String? = Bundle.main.executablePath) throws(LessonLocatorError) -> URL {
        if let explicit = environment["MLCOURSE_LESSONS"], !explicit.isEmpty {
            let url = URL(fileURLWithPath: explicit)
            guard isLessonsFolder(url) else { throw .explicitFolderInvalid(explicit) }
            return url
        }
        var searched: [String] = []
        var starts = [URL(fileURLWithPath: currentDirectory)]
        if let executablePath {
            starts.append(URL(fileURLWithPath: executablePath).resolvingSymlinksInPath().deletingLastPathComponent())
        }
        for start in starts {
            var folder = start.standardizedFileURL
            searched.append(folder.path)
            while true {
                let candidate = folder.appendingPathComponent("Lessons")
                if isLessonsFolder(candidate) { return candidate }
                let parent = folder.deletingLastPathComponent()
                if parent.path == folder.path { break }
                folder = parent
            }
        }
        throw .notFound(searched: searched)
    }

    /// A folder holding at least one `NN-name.md` file.
    static func isLessonsFolder(_ url: URL) -> Bool {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: url.path) else { return false }
        return names.contains { LessonParser.splitFileName($0) != nil }
    }
}

public enum LessonLocatorError: Error, Equatable, CustomStringConvertible {
    case explicitFolderInvalid(String)
    case notFound(searched: [String])

    public var description: String {
        switch self {
        case .explicitFolderInvalid(let path):
            return "MLCOURSE_LESSONS is set to \(path), but that is not a folder of lesson files (NN-name.md)"
        case .notFound(let searched):
            return "cannot find the Lessons folder; looked for a 'Lessons' folder of NN-name.md files in "
                + searched.map { "\($0) and its parents" }.joined(separator: ", ")
                + ". Run mlcourse from the repository, or set MLCOURSE_LESSONS to the folder"
        }
    }
}
