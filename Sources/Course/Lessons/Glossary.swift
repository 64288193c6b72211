/// Every term the lessons define, looked up by the `glossary TERM` command.
public struct Glossary: Sendable {
    /// One defined term and where it is defined.
    public struct Definition: Sendable, Equatable, CustomStringConvertible {
        public var term: String
        public var definition: String
        public var lessonID: String
        public var chapter: Int
        public var lessonTitle: String
        /// 1-based page where the term first appears in bold.
        public var page: Int

        /// "loss: how wrong a guess is (defined in chapter 1, One neuron, page 3)"
        public var description: String {
            "\(term): \(definition) (defined in chapter \(chapter), \(lessonTitle), page \(page))"
        }
    }

    /// In chapter order, then front-matter order.
    public let definitions: [Definition]

    public init(lessons: [Lesson]) {
        definitions = lessons.sorted { $0.chapter < $1.chapter }.flatMap { lesson in
            lesson.glossary.map {
                Definition(term: $0.term, definition: $0.definition, lessonID: lesson.id, chapter: lesson.chapter,
                           lessonTitle: lesson.title, page: $0.page)
            }
        }
    }

    public var terms: [String] { definitions.map(\.term) }

    /// The definition of `term`, ignoring case and surrounding spaces.
    public func lookup(_ term: String) -> Definition? {
        let wanted = QuizChecker.normalize(term)
        return definitions.first { QuizChecker.normalize($0.term) == wanted }
    }

    /// The definition, or a message saying it is not there (with a suggestion).
    public func explain(_ term: String) -> String {
        if let found = lookup(term) { return found.description }
        if definitions.isEmpty { return "the glossary is empty" }
        return "'\(term)' is not in the glossary" + Suggestion.didYouMean(term, in: terms)
    }
}
