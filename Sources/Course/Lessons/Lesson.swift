/// One lesson file, parsed: `Lessons/NN-name.md`. See docs/lessons-format.md.
public struct Lesson: Sendable, Equatable {
    /// Whether a lesson's labs are written yet.
    public enum Status: String, Sendable, Equatable {
        /// Complete, with its lab blocks.
        case ready
        /// Prose or an outline only; the screen shows "labs coming".
        case outline
    }

    /// The `name` part of the file name, e.g. "neuron" for `01-neuron.md`.
    public var id: String
    public var title: String
    /// The `NN` of the file name.
    public var chapter: Int
    /// Lab ids the lesson uses.
    public var labs: [String]
    public var status: Status
    /// Terms this lesson defines, in front-matter order.
    public var glossary: [GlossaryEntry]
    /// At least one.
    public var pages: [Page]
    /// The path used in messages, e.g. "Lessons/01-neuron.md".
    public var file: String

    public init(id: String, title: String, chapter: Int, labs: [String], status: Status,
                glossary: [GlossaryEntry], pages: [Page], file: String) {
        self.id = id
        self.title = title
        self.chapter = chapter
        self.labs = labs
        self.status = status
        self.glossary = glossary
        self.pages = pages
        self.file = file
    }

    /// The quiz with `id`, if this lesson has it.
    public func quiz(id: String) -> Quiz? {
        for page in pages { for quiz in page.quizzes where quiz.id == id { return quiz } }
        return nil
    }
}

/// One screen of a lesson: the text under one `##` heading (or before the first one).
public struct Page: Sendable, Equatable {
    /// The `##` heading, or nil for the title page.
    public var title: String?
    /// Markdown text, lab and quiz blocks, in order.
    public var blocks: [Block]
    /// The line of the heading (or of the first line of the title page) in the file.
    public var line: Int

    public init(title: String?, blocks: [Block], line: Int) {
        self.title = title
        self.blocks = blocks
        self.line = line
    }

    public var labBlocks: [LabBlock] { blocks.compactMap { if case .lab(let b) = $0 { b } else { nil } } }
    public var quizzes: [Quiz] { blocks.compactMap { if case .quiz(let q) = $0 { q } else { nil } } }

    /// The page's Markdown without its lab and quiz blocks, for full-text needs such as the
    /// glossary's bold-term search.
    public var markdown: String {
        blocks.compactMap { if case .markdown(let text) = $0 { text } else { nil } }.joined(separator: "\n")
    }
}

/// A piece of a page.
public enum Block: Sendable, Equatable {
    /// Plain Markdown (ordinary code fences included), for TextPlot's text widget.
    case markdown(String)
    /// A ```` ```lab ```` block: run a lab with these settings.
    case lab(LabBlock)
    /// A ```` ```quiz ```` block.
    case quiz(Quiz)
}

/// A ```` ```lab ```` block: which lab, its starting hyperparameters, what to show.
public struct LabBlock: Sendable, Equatable {
    /// The lab id of a block that says "no lab from here on" (`lab: none`): a page that does not
    /// continue the experiment before it (a page of theory between two labs).
    public static let none = "none"
    /// True for a `lab: none` block.
    public var isNone: Bool { lab == Self.none }

    /// One `set:` entry, as written (the lab parses it; the loader already checked it against
    /// the catalogue when it had one).
    public struct Setting: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(name: String, value: String) { self.name = name; self.value = value }
    }

    public var lab: String
    public var settings: [Setting]
    /// Panel ids to show, in order; empty means the lab's default panels.
    public var show: [String]
    public var note: String?
    /// The line of the opening fence.
    public var line: Int

    public init(lab: String, settings: [Setting] = [], show: [String] = [], note: String? = nil, line: Int = 0) {
        self.lab = lab
        self.settings = settings
        self.show = show
        self.note = note
        self.line = line
    }
}

/// A ```` ```quiz ```` block. Check answers with `check(_:)`.
public struct Quiz: Sendable, Equatable {
    /// "lessonID/page/n": page 1-based, n the quiz's 1-based place on its page. Progress keys
    /// answered quizzes by it.
    public var id: String
    public var ask: String
    /// As written; for a multiple-choice quiz, the right choice's text (a letter in the file is
    /// resolved to its choice).
    public var answer: String
    public var choices: [String]
    public var tolerance: QuizTolerance?
    public var accept: [String]
    public var hint: String?
    public var explain: String?
    /// The line of the opening fence.
    public var line: Int

    public init(id: String, ask: String, answer: String, choices: [String] = [], tolerance: QuizTolerance? = nil,
                accept: [String] = [], hint: String? = nil, explain: String? = nil, line: Int = 0) {
        self.id = id
        self.ask = ask
        self.answer = answer
        self.choices = choices
        self.tolerance = tolerance
        self.accept = accept
        self.hint = hint
        self.explain = explain
        self.line = line
    }
}

/// How close a numeric answer must be.
public enum QuizTolerance: Sendable, Equatable {
    /// |given - answer| <= amount.
    case absolute(Double)
    /// |given - answer| <= fraction * |answer|.
    case relative(Double)
}

/// A term a lesson defines.
public struct GlossaryEntry: Sendable, Equatable {
    public var term: String
    public var definition: String
    /// 1-based page of the lesson where `**term**` first appears.
    public var page: Int

    public init(term: String, definition: String, page: Int) {
        self.term = term
        self.definition = definition
        self.page = page
    }
}
