import Foundation
import Yams

/// Parses one lesson file into a `Lesson`, collecting every problem it finds (with its line)
/// instead of stopping at the first.
struct LessonParser {
    let path: String
    let fileName: String
    let checking: LabChecking
    private(set) var problems: [LessonProblem] = []

    init(path: String, fileName: String, checking: LabChecking) {
        self.path = path
        self.fileName = fileName
        self.checking = checking
    }

    private mutating func problem(_ line: Int?, _ message: String) {
        problems.append(LessonProblem(file: path, line: line, message: message))
    }

    static let frontMatterKeys = ["id", "title", "chapter", "labs", "status", "glossary"]
    static let labKeys = ["lab", "set", "show", "note"]
    static let quizKeys = ["ask", "answer", "choices", "tolerance", "accept", "hint", "explain"]

    /// "01-neuron.md" -> (1, "neuron"); nil if the name does not follow `NN-name.md`.
    static func splitFileName(_ name: String) -> (chapter: Int, id: String)? {
        guard name.hasSuffix(".md") else { return nil }
        let stem = name.dropLast(3)
        let digits = stem.prefix(2)
        guard digits.count == 2, digits.allSatisfy(\.isASCII), let chapter = Int(digits),
              stem.dropFirst(2).first == "-" else { return nil }
        let id = String(stem.dropFirst(3))
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-")
        guard !id.isEmpty, id.allSatisfy(allowed.contains), id.first != "-", id.last != "-" else { return nil }
        return (chapter, id)
    }

    // MARK: - The whole file

    mutating func parse(_ text: String) -> Lesson? {
        let nameParts = Self.splitFileName(fileName)
        if nameParts == nil {
            problem(nil, "file name must look like NN-name.md (two digits, a dash, lower-case letters, digits and dashes)")
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
        }
        guard lines.first == "---" else {
            problem(1, "a lesson starts with YAML front matter between two '---' lines")
            return nil
        }
        guard let close = lines.indices.dropFirst().first(where: { lines[$0] == "---" }) else {
            problem(1, "front matter opened here is never closed with a '---' line")
            return nil
        }
        let header = parseFrontMatter(lines[1..<close].joined(separator: "\n"), firstLine: 2, nameParts: nameParts)
        let id = header.id ?? nameParts?.id ?? "?"
        let pages = parseBody(lines, from: close + 1, lessonID: id, header: header)
        let glossary = locateGlossary(header.glossary, in: pages)
        checkLabsUsed(header, pages: pages)

        guard let lessonID = header.id, let title = header.title, let chapter = header.chapter,
              let status = header.status, !pages.isEmpty else { return nil }
        return Lesson(id: lessonID, title: title, chapter: chapter, labs: header.labs.map(\.id), status: status,
                      glossary: glossary, pages: pages, file: path)
    }

    // MARK: - Front matter

    struct Header {
        var id: String?
        var title: String?
        var chapter: Int?
        var labs: [(id: String, line: Int)] = []
        var status: Lesson.Status?
        var statusLine = 1
        var glossary: [(term: String, definition: String, line: Int)] = []
        /// False when the front matter could not be read at all; checks that depend on it
        /// are then skipped rather than reported as follow-on problems.
        var readable = true
    }

    private mutating func parseFrontMatter(_ text: String, firstLine: Int, nameParts: (chapter: Int, id: String)?) -> Header {
        var header = Header()
        let yaml: YAMLBlock
        do { yaml = try YAMLBlock(text, firstLine: firstLine) } catch {
            problem(error.line, "front matter: \(error.message)")
            header.readable = false
            return header
        }
        guard let pairs = yaml.pairs(yaml.root) else {
            problem(firstLine, "front matter must be a YAML map of keys (id, title, chapter, labs, status)")
            header.readable = false
            return header
        }
        var seen: Set<String> = []
        for (key, keyNode, value) in pairs {
            let line = yaml.line(of: keyNode)
            guard seen.insert(key).inserted else { problem(line, "front matter repeats the key '\(key)'"); continue }
            switch key {
            case "id":
                guard let s = value.text, !s.isEmpty else { problem(line, "'id' must be a word such as 'neuron'"); continue }
                header.id = s
                if let expected = nameParts?.id, s != expected {
                    problem(line, "id '\(s)' does not match the file name; it must be '\(expected)'")
                }
            case "title":
                guard let s = value.text, !s.isEmpty else { problem(line, "'title' must be a line of text"); continue }
                header.title = s
            case "chapter":
                guard let s = value.text, let n = Int(s), n >= 0 else {
                    problem(line, "'chapter' must be a whole number; got '\(value.text ?? "a list or map")'"); continue
                }
                header.chapter = n
                if let expected = nameParts?.chapter, n != expected {
                    problem(line, "chapter \(n) does not match the file name; it must be \(expected)")
                }
            case "labs":
                guard let items = value.sequence else {
                    problem(line, "'labs' must be a list of lab ids, e.g. [neuron] or []"); continue
                }
                for item in items {
                    guard let s = item.text, !s.isEmpty else { problem(yaml.line(of: item), "'labs' entries must be lab ids"); continue }
                    if header.labs.contains(where: { $0.id == s }) {
                        problem(yaml.line(of: item), "'labs' lists '\(s)' twice")
                    } else {
                        header.labs.append((s, yaml.line(of: item)))
                    }
                }
            case "status":
                guard let s = value.text, let status = Lesson.Status(rawValue: s) else {
                    problem(line, "'status' must be 'ready' or 'outline'; got '\(value.text ?? "a list or map")'"); continue
                }
                header.status = status
                header.statusLine = line
            case "glossary":
                guard let entries = yaml.pairs(value) else {
                    problem(line, "'glossary' must be a map of term: one-line definition"); continue
                }
                for (term, termNode, definition) in entries {
                    let termLine = yaml.line(of: termNode)
                    guard let d = definition.text, !d.isEmpty else {
                        problem(termLine, "glossary term '\(term)' needs a one-line definition"); continue
                    }
                    if header.glossary.contains(where: { $0.term.lowercased() == term.lowercased() }) {
                        problem(termLine, "glossary defines '\(term)' twice"); continue
                    }
                    header.glossary.append((term, d, termLine))
                }
            default:
                problem(line, "unknown front-matter key '\(key)'" + Suggestion.didYouMean(key, in: Self.frontMatterKeys)
                        + " (known keys: \(Self.frontMatterKeys.joined(separator: ", ")))")
            }
        }
        for required in ["id", "title", "chapter", "labs", "status"] where !seen.contains(required) {
            problem(firstLine - 1, "front matter has no '\(required)'")
        }
        if case .against(let catalogue) = checking, header.status == .ready {
            for lab in header.labs where catalogue.entry(lab.id) == nil {
                problem(lab.line, "lab '\(lab.id)' is not in the catalogue" + Suggestion.didYouMean(lab.id, in: catalogue.ids))
            }
        }
        return header
    }

    // MARK: - Body: pages and blocks

    private struct PageBuilder {
        var title: String?
        var line: Int
        var blocks: [Block] = []
        var text: [String] = []
        /// Quiz fences met on this page so far (numbers the quizzes' ids).
        var quizCount = 0

        mutating func flushText() {
            let joined = text.joined(separator: "\n").trimmingCharacters(in: .newlines)
            if !joined.trimmingCharacters(in: .whitespaces).isEmpty { blocks.append(.markdown(joined)) }
            text = []
        }
    }

    /// A fence line: its character, run length and info string.
    private static func fence(_ line: String) -> (mark: Character, count: Int, info: String)? {
        let indent = line.prefix { $0 == " " }.count
        guard indent <= 3 else { return nil }
        let rest = line.dropFirst(indent)
        guard let mark = rest.first, mark == "`" || mark == "~" else { return nil }
        let count = rest.prefix { $0 == mark }.count
        guard count >= 3 else { return nil }
        let info = rest.dropFirst(count).trimmingCharacters(in: .whitespaces)
        if mark == "`" && info.contains("`") { return nil }
        return (mark, count, info)
    }

    private mutating func parseBody(_ lines: [String], from start: Int, lessonID: String, header: Header) -> [Page] {
        var pages: [Page] = []
        var current = PageBuilder(title: nil, line: start + 1)
        var sawHeading = false
        var index = start

        func finish(_ page: inout PageBuilder, into pages: inout [Page]) {
            page.flushText()
            if page.title != nil || !page.blocks.isEmpty {
                pages.append(Page(title: page.title, blocks: page.blocks, line: page.line))
            }
        }

        while index < lines.count {
            let line = lines[index]
            let lineNumber = index + 1
            if let open = Self.fence(line) {
                // Find the closing fence: same character, at least as long, no info string.
                var end = index + 1
                while end < lines.count {
                    if let close = Self.fence(lines[end]), close.mark == open.mark, close.count >= open.count,
                       close.info.isEmpty { break }
                    end += 1
                }
                let kind = open.info.split(separator: " ").first.map(String.init) ?? ""
                guard end < lines.count else {
                    let what = kind.isEmpty ? "code fence" : "'\(kind)' fence"
                    problem(lineNumber, "\(what) opened here is never closed")
                    current.text.append(contentsOf: lines[index...])
                    break
                }
                let body = lines[(index + 1)..<end].joined(separator: "\n")
                switch kind {
                case "lab":
                    current.flushText()
                    if let block = parseLabBlock(body, line: lineNumber, header: header) { current.blocks.append(.lab(block)) }
                case "quiz":
                    current.flushText()
                    // Counted as they come: filtering the page's blocks for every quiz made a page
                    // of many quizzes quadratic (20,000 took 14.5 s).
                    current.quizCount += 1
                    let quizID = "\(lessonID)/\(pages.count + 1)/\(current.quizCount)"
                    if let quiz = parseQuiz(body, line: lineNumber, id: quizID) { current.blocks.append(.quiz(quiz)) }
                default:
                    current.text.append(contentsOf: lines[index...end])
                }
                index = end + 1
                continue
            }
            if line.hasPrefix("## ") || line == "##" {
                let title = line.dropFirst(2).trimmingCharacters(in: .whitespaces)
                    .trimmingCharacters(in: CharacterSet(charactersIn: "#")).trimmingCharacters(in: .whitespaces)
                if title.isEmpty { problem(lineNumber, "a '##' heading needs a title (it starts a page)") }
                finish(&current, into: &pages)
                current = PageBuilder(title: title, line: lineNumber)
                sawHeading = true
            } else if line.hasPrefix("# ") && !sawHeading {
                // The H1 is the lesson's title; the screen shows it from the front matter.
            } else {
                if current.text.isEmpty && current.blocks.isEmpty && current.title == nil
                    && line.trimmingCharacters(in: .whitespaces).isEmpty {
                    current.line = lineNumber + 1
                } else {
                    current.text.append(line)
                }
            }
            index += 1
        }
        finish(&current, into: &pages)
        if pages.isEmpty { problem(nil, "the lesson has no text; add at least one '##' page") }
        return pages
    }

    // MARK: - Lab blocks

    private mutating func parseLabBlock(_ text: String, line fenceLine: Int, header: Header) -> LabBlock? {
        if header.status == .outline {
            problem(fenceLine, "an outline lesson may not contain lab blocks; set 'status: ready' when its labs exist")
        }
        let yaml: YAMLBlock
        do { yaml = try YAMLBlock(text, firstLine: fenceLine + 1) } catch {
            problem(error.line, "lab block: \(error.message)"); return nil
        }
        guard let pairs = yaml.pairs(yaml.root) else {
            problem(fenceLine, "lab block must be a YAML map with at least 'lab: ID'"); return nil
        }
        var labID: String?
        var labLine = fenceLine
        var settings: [(LabBlock.Setting, Int)] = []
        var show: [String] = []
        var showLine = fenceLine
        var note: String?
        var seen: Set<String> = []
        for (key, keyNode, value) in pairs {
            let line = yaml.line(of: keyNode)
            guard seen.insert(key).inserted else { problem(line, "lab block repeats the key '\(key)'"); continue }
            switch key {
            case "lab":
                guard let s = value.text, !s.isEmpty else { problem(line, "'lab' must be a lab id"); continue }
                labID = s
                labLine = line
            case "set":
                guard let entries = yaml.pairs(value) else {
                    problem(line, "'set' must be a map of hyperparameter: value, e.g. { lr: 0.01 }"); continue
                }
                for (name, nameNode, v) in entries {
                    let entryLine = yaml.line(of: nameNode)
                    guard let s = v.text else { problem(entryLine, "hyperparameter '\(name)' needs a single value"); continue }
                    if settings.contains(where: { $0.0.name == name }) {
                        problem(entryLine, "'set' gives '\(name)' twice"); continue
                    }
                    settings.append((LabBlock.Setting(name: name, value: s), entryLine))
                }
            case "show":
                // A list, written as one: `show: scatter` read as a list of one hid a missing
                // pair of brackets, and `show: []` would silently show every panel.
                guard value.sequence != nil, let items = value.texts else {
                    problem(line, "'show' must be a list of panel ids, e.g. [loss, fit]"); continue
                }
                guard !items.isEmpty else { problem(line, "'show' lists no panels; leave it out to show them all"); continue }
                var listed: Set<String> = []
                if let repeated = items.first(where: { !listed.insert($0).inserted }) {
                    problem(line, "'show' lists '\(repeated)' twice"); continue
                }
                show = items
                showLine = line
            case "note":
                guard let s = value.text else { problem(line, "'note' must be text"); continue }
                note = s
            default:
                problem(line, "unknown key '\(key)' in lab block" + Suggestion.didYouMean(key, in: Self.labKeys)
                        + " (known keys: \(Self.labKeys.joined(separator: ", ")))")
            }
        }
        guard let labID else { problem(fenceLine, "lab block has no 'lab'"); return nil }
        if labID == LabBlock.none {
            // "lab: none" ends the previous block's reach: the page and those after it show no lab.
            if !settings.isEmpty || !show.isEmpty || note != nil {
                problem(labLine, "'lab: none' takes no 'set', 'show' or 'note': it only says this page has no lab")
            }
            return LabBlock(lab: labID, settings: [], show: [], note: nil, line: fenceLine)
        }
        if header.readable, !header.labs.contains(where: { $0.id == labID }) {
            problem(labLine, "lab '\(labID)' is not listed in the front matter's 'labs'")
        }
        if case .against(let catalogue) = checking {
            if let entry = catalogue.entry(labID) {
                check(settings, show: show, showLine: showLine, against: entry)
            } else {
                problem(labLine, "lab '\(labID)' is not in the catalogue" + Suggestion.didYouMean(labID, in: catalogue.ids))
            }
        }
        return LabBlock(lab: labID, settings: settings.map(\.0), show: show, note: note, line: fenceLine)
    }

    private mutating func check(_ settings: [(LabBlock.Setting, Int)], show: [String], showLine: Int,
                                against entry: LabCatalogue.Entry) {
        let names = entry.parameters.map(\.name)
        for (setting, line) in settings {
            guard let parameter = entry.parameters[named: setting.name] else {
                problem(line, "lab '\(entry.id)' has no hyperparameter '\(setting.name)'"
                        + Suggestion.didYouMean(setting.name, in: names)
                        + (names.isEmpty ? "" : " (it has: \(names.joined(separator: ", ")))"))
                continue
            }
            do { _ = try parameter.parse(setting.value) } catch {
                problem(line, "hyperparameter '\(setting.name)' = \(setting.value) is outside its range: it must be \(parameter.rangeDescription)")
            }
        }
        if !entry.panelIDs.isEmpty {
            for panel in show where !entry.panelIDs.contains(panel) {
                problem(showLine, "lab '\(entry.id)' has no panel '\(panel)'" + Suggestion.didYouMean(panel, in: entry.panelIDs)
                        + " (it has: \(entry.panelIDs.joined(separator: ", ")))")
            }
        }
    }

    // MARK: - Quizzes

    private mutating func parseQuiz(_ text: String, line fenceLine: Int, id: String) -> Quiz? {
        let yaml: YAMLBlock
        do { yaml = try YAMLBlock(text, firstLine: fenceLine + 1) } catch {
            problem(error.line, "quiz block: \(error.message)"); return nil
        }
        guard let pairs = yaml.pairs(yaml.root) else {
            problem(fenceLine, "quiz block must be a YAML map with at least 'ask' and 'answer'"); return nil
        }
        var fields: [String: (text: String, line: Int)] = [:]
        var choices: [String] = []
        var choicesLine: Int?
        var accept: [String] = []
        for (key, keyNode, value) in pairs {
            let line = yaml.line(of: keyNode)
            guard fields[key] == nil, !(key == "choices" && choicesLine != nil) else {
                problem(line, "quiz block repeats the key '\(key)'"); continue
            }
            switch key {
            case "ask", "answer", "tolerance", "hint", "explain":
                guard let s = value.text, !s.trimmingCharacters(in: .whitespaces).isEmpty else {
                    problem(line, "quiz '\(key)' must be a single line of text"); continue
                }
                fields[key] = (s, line)
            case "choices":
                guard let items = value.sequence.flatMap({ _ in value.texts }), items.count >= 2 else {
                    problem(line, "quiz 'choices' must be a list of at least two answers"); continue
                }
                choices = items
                choicesLine = line
            case "accept":
                guard let items = value.texts else { problem(line, "quiz 'accept' must be a list of answers"); continue }
                accept = items
            default:
                problem(line, "unknown key '\(key)' in quiz block" + Suggestion.didYouMean(key, in: Self.quizKeys)
                        + " (known keys: \(Self.quizKeys.joined(separator: ", ")))")
            }
        }
        guard let ask = fields["ask"] else { problem(fenceLine, "quiz block has no 'ask'"); return nil }
        guard var answer = fields["answer"]?.text else { problem(fenceLine, "quiz block has no 'answer'"); return nil }
        let answerLine = fields["answer"]!.line
        if !choices.isEmpty {
            if let resolved = QuizChecker.choice(answer, in: choices) {
                answer = resolved
            } else {
                let letters = choices.indices.map { String(QuizChecker.letter($0)) }.joined(separator: "/")
                problem(answerLine, "quiz answer '\(answer)' is not one of its choices (give the choice's text or its letter \(letters))")
            }
        }
        var tolerance: QuizTolerance?
        if let t = fields["tolerance"] {
            if !choices.isEmpty || NumberText.parse(answer) == nil {
                problem(t.line, "quiz 'tolerance' only applies to a numeric answer without choices")
            } else if let parsed = QuizTolerance(parsing: t.text) {
                tolerance = parsed
            } else {
                problem(t.line, "quiz 'tolerance' must be a number (absolute, e.g. 0.05) or a percentage (relative, e.g. 2%); got '\(t.text)'")
            }
        }
        return Quiz(id: id, ask: ask.text, answer: answer, choices: choices, tolerance: tolerance, accept: accept,
                    hint: fields["hint"]?.text, explain: fields["explain"]?.text, line: fenceLine)
    }

    // MARK: - Cross-checks inside one file

    private mutating func locateGlossary(_ terms: [(term: String, definition: String, line: Int)], in pages: [Page]) -> [GlossaryEntry] {
        let texts = pages.map { $0.markdown.lowercased() }
        var entries: [GlossaryEntry] = []
        for (term, definition, line) in terms {
            let bold = "**\(term.lowercased())**"
            guard let page = texts.firstIndex(where: { $0.contains(bold) }) else {
                problem(line, "glossary term '\(term)' never appears in bold (**\(term)**) in the lesson text")
                continue
            }
            entries.append(GlossaryEntry(term: term, definition: definition, page: page + 1))
        }
        return entries
    }

    private mutating func checkLabsUsed(_ header: Header, pages: [Page]) {
        // An outline lesson has no lab blocks to check its 'labs' through: check the list itself.
        if header.status == .outline, case .against(let catalogue) = checking {
            for lab in header.labs where catalogue.entry(lab.id) == nil {
                problem(lab.line, "lab '\(lab.id)' is not in the catalogue" + Suggestion.didYouMean(lab.id, in: catalogue.ids))
            }
        }
        guard header.status == .ready else { return }
        let used = Set(pages.flatMap { $0.labBlocks.map(\.lab) })
        for lab in header.labs where !used.contains(lab.id) {
            problem(lab.line, "lab '\(lab.id)' is listed in 'labs' but no lab block uses it")
        }
    }
}

extension QuizTolerance {
    /// "0.05" -> absolute 0.05; "2%" -> relative 0.02. Nil for anything else or a negative.
    init?(parsing text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.hasSuffix("%") {
            guard let p = NumberText.parse(String(t.dropLast())), p >= 0 else { return nil }
            self = .relative(p / 100)
        } else {
            guard let a = NumberText.parse(t), a >= 0 else { return nil }
            self = .absolute(a)
        }
    }
}
