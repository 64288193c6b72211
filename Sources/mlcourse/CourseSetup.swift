import App
import ArgumentParser
import Course
import Foundation
import Labs

/// Everything the course needs at start: the lessons (checked against the lab catalogue), the
/// session resumed from saved progress, and where checkpoints live.
struct CourseSetup {
    var session: Session
    var checkpoints: any CheckpointLibrary
    /// Said once on screen, e.g. that unreadable progress was moved aside.
    var notice: String?

    /// Loads the course. Failures are printed and become exit codes: malformed lessons 65
    /// (every problem with file:line), anything else 1.
    static func load(seed: UInt64, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> CourseSetup {
        let lessons = try loadLessons(environment: environment)
        let store: ProgressStore
        do { store = try ProgressStore(environment: environment) } catch {
            Console.error("mlcourse: \(error)")
            throw ExitCode(1)
        }
        store.removeLeftoverTemporaries()
        let loaded = store.load()
        let session = Session(lessons: lessons, catalogue: Catalogue.labs, progress: loaded.progress, seed: seed)
        // A progress file that could not be moved aside (or a folder or device in its place) is
        // never overwritten: progress stays in memory for this session.
        session.progressStore = loaded.canSave ? store : nil
        return CourseSetup(session: session, checkpoints: CheckpointFiles.library(environment: environment),
                           notice: loaded.notice)
    }

    /// The lessons, or exit 65 with every problem listed.
    static func loadLessons(environment: [String: String]) throws -> [Lesson] {
        let folder: URL
        do { folder = try LessonLocator.locate(environment: environment) } catch {
            Console.error("mlcourse: \(error)")
            throw ExitCode(1)
        }
        do {
            return try LessonLoader.load(from: folder, checking: Catalogue.lessonChecking)
        } catch {
            Console.error("mlcourse: cannot start: \(error)\nFix the lesson files (docs/lessons-format.md describes the format).")
            throw ExitCode(65)
        }
    }
}
