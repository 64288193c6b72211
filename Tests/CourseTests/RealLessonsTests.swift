import Foundation
import Testing
@testable import Course

/// Every real file in Lessons/ must load. The lab catalogue is written in parallel, so lab blocks
/// are checked for structure only here; Labs' tests check them against the real catalogue.
@Suite struct RealLessonsTests {
    /// The repository's Lessons folder, found from this source file's path.
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Lessons")

    @Test func everyLessonLoads() throws {
        try #require(FileManager.default.fileExists(atPath: Self.folder.path), "no Lessons folder at \(Self.folder.path)")
        let result = LessonLoader.check(folder: Self.folder, checking: .structureOnly)
        #expect(result.problems.isEmpty, "\(LessonLoadError(problems: result.problems))")
        #expect(!result.lessons.isEmpty)
        // Chapters are in order and every lesson has pages.
        #expect(result.lessons.map(\.chapter) == result.lessons.map(\.chapter).sorted())
        #expect(result.lessons.allSatisfy { !$0.pages.isEmpty })
    }

    @Test func locatorFindsTheFolderFromTheRepositoryAndFromABuildFolder() throws {
        let repo = Self.folder.deletingLastPathComponent()
        let fromCwd = try LessonLocator.locate(environment: [:], currentDirectory: repo.appendingPathComponent("Sources/Course").path,
                                               executablePath: nil)
        #expect(fromCwd.standardizedFileURL.path == Self.folder.standardizedFileURL.path)
        let fromExe = try LessonLocator.locate(environment: [:], currentDirectory: "/",
                                               executablePath: repo.appendingPathComponent(".build/release/mlcourse").path)
        #expect(fromExe.standardizedFileURL.path == Self.folder.standardizedFileURL.path)
        let explicit = try LessonLocator.locate(environment: ["MLCOURSE_LESSONS": Self.folder.path], currentDirectory: "/",
                                                executablePath: nil)
        #expect(explicit.path == Self.folder.path)
    }

    @Test func locatorErrorsAreClear() {
        #expect(throws: LessonLocatorError.notFound(searched: ["/"])) {
            try LessonLocator.locate(environment: [:], currentDirectory: "/", executablePath: nil)
        }
        #expect(throws: LessonLocatorError.explicitFolderInvalid("/nonexistent")) {
            try LessonLocator.locate(environment: ["MLCOURSE_LESSONS": "/nonexistent"], currentDirectory: "/", executablePath: nil)
        }
    }
}
