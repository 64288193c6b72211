import Foundation
import Testing
@testable import Course

@Suite struct LessonLoaderTests {
    func check(_ files: [(String, String)], _ checking: LabChecking = .against(.fixture)) -> ([Lesson], [String]) {
        let result = LessonLoader.check(files: files.map { (name: $0.0, text: $0.1) }, checking: checking)
        return (result.lessons, result.problems.map(\.description))
    }

    /// The problems reported for one file made of `text`.
    func problems(_ text: String, name: String = "01-bowl.md") -> [String] {
        check([(name, text)]).1
    }

    @Test func validLessonsParseIntoPages() throws {
        let (lessons, problems) = check([("02-later.md", LessonFixtures.outline), ("01-bowl.md", LessonFixtures.bowl)])
        #expect(problems == [])
        #expect(lessons.map(\.id) == ["bowl", "later"])     // chapter order
        let bowl = lessons[0]
        #expect(bowl.title == "Rolling downhill" && bowl.chapter == 1 && bowl.status == .ready)
        // Title page ("A ball in a bowl."), then two ## pages; the ## inside code does not split.
        #expect(bowl.pages.map(\.title) == [nil, "The bowl", "Too fast"])
        #expect(bowl.pages[0].markdown == "A ball in a bowl.")
        #expect(bowl.pages[1].line == 16)
        #expect(bowl.pages[2].markdown.contains("## not a heading inside code"))

        let block = try #require(bowl.pages[1].labBlocks.first)
        #expect(block.lab == "quadratic" && block.line == 20)
        #expect(block.settings == [.init(name: "lr", value: "0.5"), .init(name: "curvature", value: "2"),
                                   .init(name: "start", value: "far")])
        #expect(block.show == ["loss"] && block.note == "watch it roll")

        let quizzes = bowl.pages[2].quizzes
        #expect(quizzes.count == 2)
        #expect(quizzes[0].answer == "relu")                // letter c resolved to its choice
        #expect(quizzes[0].id == "bowl/3/1" && quizzes[1].id == "bowl/3/2")
        #expect(bowl.pages[1].quizzes[0].hint == "Count on your fingers.")
        #expect(lessons[1].pages[0].quizzes[0].tolerance == .relative(0.01))

        // Glossary pages: "Gradient" is bold on page 2, "learning rate" (any case) on page 3.
        #expect(bowl.glossary.map(\.page) == [3, 2])
    }

    @Test func yamlWordsStayWords() throws {
        // YAML 1.1 would read `on` as true and `0` as an integer; the loader keeps the text.
        let text = LessonFixtures.bowl.replacingOccurrences(of: "start: far", with: "start: random")
            .replacingOccurrences(of: "answer: 4", with: "answer: 'yes'")
        let (lessons, problems) = check([("01-bowl.md", text)])
        #expect(problems == [])
        #expect(lessons.first?.pages[1].quizzes.first?.answer == "yes")
    }

    @Test func missingAnswerIsReportedAtTheFence() {
        let text = LessonFixtures.bowl.replacingOccurrences(of: "answer: 4\n", with: "")
        #expect(problems(text) == ["Lessons/01-bowl.md:27: quiz block has no 'answer'"])
    }

    @Test func unknownLabGetsASuggestion() {
        let text = LessonFixtures.bowl.replacingOccurrences(of: "lab: quadratic", with: "lab: quadratc")
        #expect(problems(text) == [
            "Lessons/01-bowl.md:21: lab 'quadratc' is not listed in the front matter's 'labs'",
            "Lessons/01-bowl.md:21: lab 'quadratc' is not in the catalogue; did you mean 'quadratic'?",
            "Lessons/01-bowl.md:5: lab 'quadratic' is listed in 'labs' but no lab block uses it",
        ])
    }

    @Test func hyperparameterOutOfRange() {
        let text = LessonFixtures.bowl.replacingOccurrences(of: "set: { lr: 0.5,", with: "set: { lr: 50,")
        #expect(problems(text) == [
            "Lessons/01-bowl.md:22: hyperparameter 'lr' = 50 is outside its range: it must be between 0.001 and 10 (log scale)",
        ])
        let unknown = LessonFixtures.bowl.replacingOccurrences(of: "set: { lr: 0.5,", with: "set: { lrr: 0.5,")
        #expect(problems(unknown).first?.hasPrefix("Lessons/01-bowl.md:22: lab 'quadratic' has no hyperparameter 'lrr'; did you mean 'lr'?") == true)
        let panel = LessonFixtures.bowl.replacingOccurrences(of: "show: [loss]", with: "show: [los]")
        #expect(problems(panel) == ["Lessons/01-bowl.md:23: lab 'quadratic' has no panel 'los'; did you mean 'loss'? (it has: loss, bowl)"])
    }

    @Test func structureOnlySkipsOnlyTheCatalogue() {
        let text = LessonFixtures.bowl.replacingOccurrences(of: "set: { lr: 0.5,", with: "set: { lr: 50,")
        #expect(check([("01-bowl.md", text)], .structureOnly).1 == [])
        // Structure is still checked: a lab block without 'lab'.
        let broken = LessonFixtures.bowl.replacingOccurrences(of: "lab: quadratic\nset", with: "set")
        #expect(check([("01-bowl.md", broken)], .structureOnly).1.contains("Lessons/01-bowl.md:20: lab block has no 'lab'"))
    }

    @Test func frontMatterProblems() {
        let unknownKey = LessonFixtures.bowl.replacingOccurrences(of: "title: Rolling", with: "tittle: Rolling")
        #expect(problems(unknownKey) == [
            "Lessons/01-bowl.md:3: unknown front-matter key 'tittle'; did you mean 'title'? (known keys: id, title, chapter, labs, status, glossary)",
            "Lessons/01-bowl.md:1: front matter has no 'title'",
        ])
        let noID = LessonFixtures.bowl.replacingOccurrences(of: "id: bowl\n", with: "")
        #expect(problems(noID) == ["Lessons/01-bowl.md:1: front matter has no 'id'"])
        let wrongID = LessonFixtures.bowl.replacingOccurrences(of: "id: bowl", with: "id: ball")
        #expect(problems(wrongID) == ["Lessons/01-bowl.md:2: id 'ball' does not match the file name; it must be 'bowl'"])
        #expect(problems(LessonFixtures.bowl, name: "03-bowl.md") == [
            "Lessons/03-bowl.md:4: chapter 1 does not match the file name; it must be 3",
        ])
        #expect(problems(LessonFixtures.bowl, name: "bowl.md").first
                == "Lessons/bowl.md: file name must look like NN-name.md (two digits, a dash, lower-case letters, digits and dashes)")
        let status = LessonFixtures.bowl.replacingOccurrences(of: "status: ready", with: "status: done")
        #expect(problems(status) == ["Lessons/01-bowl.md:6: 'status' must be 'ready' or 'outline'; got 'done'"])
    }

    @Test func badYAMLReportsItsLine() throws {
        let text = LessonFixtures.bowl.replacingOccurrences(of: "chapter: 1", with: "chapter: [1")
        let found = problems(text)
        #expect(found == ["Lessons/01-bowl.md:5: front matter: bad YAML: did not find expected ',' or ']' (while parsing a flow sequence that starts on line 4)"])
        let inQuiz = LessonFixtures.bowl.replacingOccurrences(of: "hint: Count on your fingers.", with: "hint: [oops")
        #expect(problems(inQuiz) == ["Lessons/01-bowl.md:31: quiz block: bad YAML: did not find expected ',' or ']' (while parsing a flow sequence that starts on line 30)"])
    }

    @Test func unterminatedFence() {
        let text = String(LessonFixtures.bowl.dropLast(3))     // the last quiz loses its closing fence
        #expect(problems(text) == ["Lessons/01-bowl.md:49: 'quiz' fence opened here is never closed"])
        let noFrontMatterEnd = "---\nid: x\ntitle: y\n\n## Page\ntext\n"
        #expect(problems(noFrontMatterEnd, name: "01-x.md") == ["Lessons/01-x.md:1: front matter opened here is never closed with a '---' line"])
        #expect(problems("# No front matter\n", name: "01-x.md") == ["Lessons/01-x.md:1: a lesson starts with YAML front matter between two '---' lines"])
    }

    @Test func quizProblems() {
        let badChoice = LessonFixtures.bowl.replacingOccurrences(of: "answer: c", with: "answer: d")
        #expect(problems(badChoice) == ["Lessons/01-bowl.md:46: quiz answer 'd' is not one of its choices (give the choice's text or its letter a/b/c)"])
        let unknownKey = LessonFixtures.bowl.replacingOccurrences(of: "hint: Count", with: "hnt: Count")
        #expect(problems(unknownKey) == ["Lessons/01-bowl.md:30: unknown key 'hnt' in quiz block; did you mean 'hint'? (known keys: ask, answer, choices, tolerance, accept, hint, explain)"])
        let badTolerance = LessonFixtures.outline.replacingOccurrences(of: "tolerance: 1%", with: "tolerance: close")
        #expect(check([("02-later.md", badTolerance)]).1 == ["Lessons/02-later.md:14: quiz 'tolerance' must be a number (absolute, e.g. 0.05) or a percentage (relative, e.g. 2%); got 'close'"])
    }

    @Test func outlineMayNotHaveLabs() {
        let text = LessonFixtures.outline.replacingOccurrences(of: "## Coming soon\n", with: "## Coming soon\n\n```lab\nlab: quadratic\n```\n")
        let found = check([("02-later.md", text)]).1
        #expect(found.contains("Lessons/02-later.md:11: an outline lesson may not contain lab blocks; set 'status: ready' when its labs exist"))
    }

    @Test func glossaryTermMustBeBold() {
        let text = LessonFixtures.bowl.replacingOccurrences(of: "The **gradient** points", with: "The gradient points")
        #expect(problems(text) == ["Lessons/01-bowl.md:9: glossary term 'Gradient' never appears in bold (**Gradient**) in the lesson text"])
    }

    @Test func crossFileProblems() {
        let twin = LessonFixtures.outline.replacingOccurrences(of: "chapter: 2", with: "chapter: 1")
        let found = check([("01-bowl.md", LessonFixtures.bowl), ("01-later.md", twin)]).1
        #expect(found == ["Lessons/01-later.md: chapter 1 is also Lessons/01-bowl.md"])
        let sameTerm = LessonFixtures.outline.replacingOccurrences(of: "status: outline", with: "status: outline\nglossary:\n  gradient: again")
            .replacingOccurrences(of: "## Coming soon", with: "## Coming soon\n\nThe **gradient** again.")
        #expect(check([("01-bowl.md", LessonFixtures.bowl), ("02-later.md", sameTerm)]).1 == [
            "Lessons/02-later.md: glossary term 'gradient' is already defined in Lessons/01-bowl.md; define each term once, where it first appears",
        ])
    }

    @Test func allProblemsAreReportedTogether() throws {
        let text = LessonFixtures.bowl.replacingOccurrences(of: "answer: 4\n", with: "")
            .replacingOccurrences(of: "title: Rolling", with: "tittle: Rolling")
        #expect(problems(text).count == 3)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lessons-\(UUID().uuidString)/Lessons")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        try text.write(to: folder.appendingPathComponent("01-bowl.md"), atomically: true, encoding: .utf8)
        try "# index".write(to: folder.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
        let error = #expect(throws: LessonLoadError.self) { try LessonLoader.load(from: folder, checking: .against(.fixture)) }
        #expect(error?.problems.count == 3)
        #expect(error?.description.hasPrefix("the lessons have 3 problems:\n  Lessons/01-bowl.md:") == true)
    }
}
