/// What the learner has done: pages seen, quizzes answered, labs completed, and where they were.
/// Saved as JSON by `ProgressStore` and resumed on the next start.
///
/// The format is versioned (`version`); a file from a newer mlcourse is refused rather than
/// misread. Sets are stored as sorted arrays so the file is stable and diff-friendly.
public struct CourseProgress: Sendable, Equatable, Codable {
    /// The format this build writes and reads.
    public static let currentVersion = 1

    /// One quiz's record.
    public struct QuizRecord: Sendable, Equatable, Codable {
        public var attempts: Int
        public var right: Bool
        public init(attempts: Int, right: Bool) { self.attempts = attempts; self.right = right }
    }

    public var version: Int
    /// The lesson id and 0-based page the learner was on.
    public var lessonID: String?
    public var page: Int
    /// Lesson id -> sorted 0-based pages seen.
    public var pagesSeen: [String: [Int]]
    /// Quiz id ("lesson/page/n") -> record.
    public var quizzes: [String: QuizRecord]
    /// Sorted lab ids whose completion condition was met.
    public var labsCompleted: [String]

    public init() {
        version = Self.currentVersion
        lessonID = nil
        page = 0
        pagesSeen = [:]
        quizzes = [:]
        labsCompleted = []
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.decode(Int.self, forKey: .version)
        guard version <= Self.currentVersion else { throw ProgressError.newerVersion(version) }
        lessonID = try c.decodeIfPresent(String.self, forKey: .lessonID)
        page = try c.decodeIfPresent(Int.self, forKey: .page) ?? 0
        pagesSeen = try c.decodeIfPresent([String: [Int]].self, forKey: .pagesSeen) ?? [:]
        quizzes = try c.decodeIfPresent([String: QuizRecord].self, forKey: .quizzes) ?? [:]
        labsCompleted = try c.decodeIfPresent([String].self, forKey: .labsCompleted) ?? []
        guard page >= 0 else { throw ProgressError.invalid("page \(page) is negative") }
    }

    public func hasSeen(lesson: String, page: Int) -> Bool { pagesSeen[lesson]?.contains(page) ?? false }

    /// Marks a page seen; returns whether that changed anything.
    @discardableResult
    public mutating func markSeen(lesson: String, page: Int) -> Bool {
        var pages = pagesSeen[lesson] ?? []
        guard !pages.contains(page) else { return false }
        pages.append(page)
        pagesSeen[lesson] = pages.sorted()
        return true
    }

    public func isAnsweredRight(_ quizID: String) -> Bool { quizzes[quizID]?.right ?? false }

    /// Counts an attempt; a right answer stays right.
    public mutating func recordAnswer(quiz quizID: String, right: Bool) {
        var record = quizzes[quizID] ?? QuizRecord(attempts: 0, right: false)
        record.attempts += 1
        record.right = record.right || right
        quizzes[quizID] = record
    }

    public func isCompleted(lab id: String) -> Bool { labsCompleted.contains(id) }

    /// Marks a lab completed; returns whether it was new.
    @discardableResult
    public mutating func markCompleted(lab id: String) -> Bool {
        guard !labsCompleted.contains(id) else { return false }
        labsCompleted.append(id)
        labsCompleted.sort()
        return true
    }
}

public enum ProgressError: Error, Equatable, CustomStringConvertible {
    case newerVersion(Int)
    case invalid(String)

    public var description: String {
        switch self {
        case .newerVersion(let v):
            return "it was written by a newer mlcourse (format \(v); this one reads up to \(CourseProgress.currentVersion))"
        case .invalid(let why): return why
        }
    }
}
