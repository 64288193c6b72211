import ArgumentParser
import Course
import Foundation

/// `mlcourse list`: the chapters, their status and labs, and the learner's progress.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the chapters and lessons: status (ready or outline), labs, and your progress.")

    @Flag(help: "One JSON array on stdout, one object a lesson.")
    var json = false

    /// One lesson's line of the listing.
    struct Entry: Encodable, Equatable {
        var chapter: Int
        var id: String
        var title: String
        var status: String
        var labs: [String]
        var pages: Int
        var pagesSeen: Int
        var quizzes: Int
        var quizzesRight: Int
        var current: Bool
    }

    static func entries(lessons: [Lesson], progress: CourseProgress) -> [Entry] {
        lessons.map { lesson in
            let quizzes = lesson.pages.flatMap(\.quizzes)
            return Entry(chapter: lesson.chapter, id: lesson.id, title: lesson.title, status: lesson.status.rawValue,
                         labs: lesson.labs, pages: lesson.pages.count,
                         pagesSeen: lesson.pages.indices.filter { progress.hasSeen(lesson: lesson.id, page: $0) }.count,
                         quizzes: quizzes.count, quizzesRight: quizzes.filter { progress.isAnsweredRight($0.id) }.count,
                         current: progress.lessonID == lesson.id)
        }
    }

    func run() throws {
        let lessons = try CourseSetup.loadLessons(environment: ProcessInfo.processInfo.environment)
        let loaded = (try? ProgressStore())?.load()
        // A corrupt file moved aside (or one that could not be) is news, even to a listing.
        if let notice = loaded?.notice { Console.error("mlcourse: \(notice)") }
        let progress = loaded?.progress ?? CourseProgress()
        let entries = Self.entries(lessons: lessons, progress: progress)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(entries), as: UTF8.self))
            return
        }
        for e in entries {
            let mark = e.current ? ">" : " "
            let labs = e.status == "outline" ? "labs coming" : (e.labs.isEmpty ? "no labs" : "labs: " + e.labs.joined(separator: ", "))
            let title = e.title.count > 40 ? String(e.title.prefix(39)) + "~" : e.title
            print("\(mark)\(String(format: "%2d", e.chapter))  \(e.id.padding(toLength: 14, withPad: " ", startingAt: 0)) "
                  + "\(title.padding(toLength: 40, withPad: " ", startingAt: 0)) \(e.status.padding(toLength: 8, withPad: " ", startingAt: 0)) "
                  + "pages \(e.pagesSeen)/\(e.pages)  quizzes \(e.quizzesRight)/\(e.quizzes)  \(labs)")
        }
    }
}
