import Foundation

/// Reads the lessons folder: every `NN-name.md` file (a `README.md` is skipped), parsed and
/// checked, in chapter order; or every problem found in any file.
public enum LessonLoader {
    /// Loads and checks every lesson in `folder`.
    /// - Parameter checking: `.against(catalogue)` to check lab blocks fully; `.structureOnly`
    ///   when the catalogue is known to be incomplete.
    /// - Throws: `LessonLoadError` listing every problem, each with file:line.
    public static func load(from folder: URL, checking: LabChecking) throws(LessonLoadError) -> [Lesson] {
        let (lessons, problems) = check(folder: folder, checking: checking)
        guard problems.isEmpty else { throw LessonLoadError(problems: problems) }
        return lessons
    }

    /// Loads what it can and returns all problems alongside (for tests and `mlcourse check`).
    /// The largest lesson file read (the longest lesson is tens of kilobytes).
    public static let maximumFileSize = 4_000_000

    public static func check(folder: URL, checking: LabChecking) -> (lessons: [Lesson], problems: [LessonProblem]) {
        let display = folder.lastPathComponent
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        } catch {
            return ([], [LessonProblem(file: display, line: nil, message: "cannot read the lessons folder \(folder.path): \(error.localizedDescription)")])
        }
        var files: [(name: String, text: String)] = []
        var problems: [LessonProblem] = []
        for name in names where name.hasSuffix(".md") && name != "README.md" {
            let url = folder.appendingPathComponent(name)
            // Only regular files of a sane size are read: a FIFO would block, a huge file stall.
            let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
            guard attributes?[.type] as? FileAttributeType == .typeRegular else {
                problems.append(LessonProblem(file: "\(display)/\(name)", line: nil, message: "is not a regular file"))
                continue
            }
            if let size = (attributes?[.size] as? NSNumber)?.intValue, size > Self.maximumFileSize {
                problems.append(LessonProblem(file: "\(display)/\(name)", line: nil,
                                              message: "is \(size) bytes; a lesson file may hold at most \(Self.maximumFileSize)"))
                continue
            }
            guard let data = FileManager.default.contents(atPath: url.path) else {
                problems.append(LessonProblem(file: "\(display)/\(name)", line: nil, message: "cannot read the file"))
                continue
            }
            guard let text = String(data: data, encoding: .utf8) else {
                problems.append(LessonProblem(file: "\(display)/\(name)", line: nil, message: "the file is not UTF-8 text"))
                continue
            }
            files.append((name, text))
        }
        let result = check(files: files, folderName: display, checking: checking)
        return (result.lessons, problems + result.problems)
    }

    /// Parses and checks lesson texts given as (file name, contents): the whole check without the
    /// file system.
    public static func check(files: [(name: String, text: String)], folderName: String = "Lessons",
                             checking: LabChecking) -> (lessons: [Lesson], problems: [LessonProblem]) {
        var lessons: [Lesson] = []
        var problems: [LessonProblem] = []
        for (name, text) in files {
            var parser = LessonParser(path: "\(folderName)/\(name)", fileName: name, checking: checking)
            let lesson = parser.parse(text)
            problems += parser.problems
            if let lesson, parser.problems.isEmpty { lessons.append(lesson) }
        }
        // Across files: chapters, ids and glossary terms must be unique.
        var chapterOwner: [Int: String] = [:]
        var idOwner: [String: String] = [:]
        var termOwner: [String: String] = [:]
        for lesson in lessons.sorted(by: { $0.file < $1.file }) {
            if let other = chapterOwner[lesson.chapter] {
                problems.append(LessonProblem(file: lesson.file, line: nil, message: "chapter \(lesson.chapter) is also \(other)"))
            } else { chapterOwner[lesson.chapter] = lesson.file }
            if let other = idOwner[lesson.id] {
                problems.append(LessonProblem(file: lesson.file, line: nil, message: "id '\(lesson.id)' is also used by \(other)"))
            } else { idOwner[lesson.id] = lesson.file }
            for entry in lesson.glossary {
                let key = QuizChecker.normalize(entry.term)
                if let other = termOwner[key] {
                    problems.append(LessonProblem(file: lesson.file, line: nil,
                                                  message: "glossary term '\(entry.term)' is already defined in \(other); define each term once, where it first appears"))
                } else { termOwner[key] = lesson.file }
            }
        }
        return (lessons.sorted { $0.chapter < $1.chapter }, problems)
    }
}
