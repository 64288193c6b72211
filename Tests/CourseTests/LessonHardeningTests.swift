import Foundation
import Testing
@testable import Course

/// Lesson folders an attack mutated: nesting that crashed the YAML parser, a page of many
/// quizzes that loaded in quadratic time, and outline or lab blocks that were wrong but loaded.
@Suite struct LessonHardeningTests {
    func problems(_ text: String, name: String = "01-bowl.md") -> [String] {
        LessonLoader.check(files: [(name: name, text: text)], checking: .against(.fixture)).problems.map(\.description)
    }

    /// Front matter nested 5,000 deep crashed the process (exit 139) and a lab block nested
    /// 20,000 deep likewise; both are refused before the parser sees them.
    @Test func deepNestingIsRefusedBeforeParsing() {
        let deepFlow = String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000)
        let front = LessonFixtures.bowl.replacingOccurrences(of: "labs: [quadratic]", with: "labs: [quadratic]\nx: \(deepFlow)")
        #expect(problems(front).contains { $0.contains(": front matter: nested too deep (65 levels; at most 64 are read)") },
                "\(problems(front))")
        // Block nesting by indentation (20,000 levels would be too long as well; 100 is enough).
        var block = ""
        for level in 0..<100 { block += String(repeating: " ", count: level + 1) + "k\(level):\n" }
        let lab = LessonFixtures.bowl.replacingOccurrences(of: "show: [loss]", with: "show: [loss]\ndeep:\n" + block)
        #expect(problems(lab).contains { $0.contains("lab block: nested too deep") }, "\(problems(lab).prefix(3))")
        let long = LessonFixtures.bowl.replacingOccurrences(of: "show: [loss]", with: "show: [loss]\nnote: " + String(repeating: "x", count: 200_000))
        #expect(problems(long).contains { $0.contains("lab block: too long (200") }, "\(problems(long).prefix(3))")
        let dashes = LessonFixtures.bowl.replacingOccurrences(of: "show: [loss]", with: "show: [loss]\nnote:\n" + String(repeating: "- ", count: 3_000) + "x")
        #expect(problems(dashes).contains { $0.contains("lab block: nested too deep") }, "\(problems(dashes).prefix(3))")
        // Ordinary nesting still reads.
        #expect(YAMLBlock.nesting("a:\n  b:\n    - [1, {c: 2}]\n", beyond: 64) == nil)
        #expect(YAMLBlock.nesting("a:\n  b:\n    - [1, {c: 2}]\n", beyond: 4) != nil)
    }

    /// 20,000 quizzes on one page took 14.5 s (each quiz counted the page's quizzes so far);
    /// the time limit is a hang guard, not a speed target.
    @Test(.timeLimit(.minutes(1))) func manyQuizzesOnOnePageLoad() throws {
        let quiz = "```quiz\nask: What is 2 + 2?\nanswer: 4\n```\n"
        let text = LessonFixtures.bowl + "\n## Many questions\n\n" + String(repeating: quiz, count: 20_000)
        let result = LessonLoader.check(files: [(name: "01-bowl.md", text: text)], checking: .against(.fixture))
        #expect(result.problems.isEmpty, "\(result.problems.prefix(3))")
        let page = try #require(result.lessons.first?.pages.last)
        #expect(page.quizzes.count == 20_000)
        #expect(page.quizzes.last?.id == "bowl/4/20000")
    }

    /// Accepted with exit 0 though wrong.
    @Test func wrongOutlinesAndShowListsAreRefused() {
        let outline = LessonFixtures.outline.replacingOccurrences(of: "labs: []", with: "labs: [quadratik]")
        #expect(problems(outline, name: "02-later.md").contains { $0.hasSuffix("lab 'quadratik' is not in the catalogue; did you mean 'quadratic'?") },
                "\(problems(outline, name: "02-later.md"))")
        func show(_ value: String) -> [String] { problems(LessonFixtures.bowl.replacingOccurrences(of: "show: [loss]", with: "show: \(value)")) }
        #expect(show("loss") == ["Lessons/01-bowl.md:23: 'show' must be a list of panel ids, e.g. [loss, fit]"])
        #expect(show("[]") == ["Lessons/01-bowl.md:23: 'show' lists no panels; leave it out to show them all"])
        #expect(show("[loss, loss]") == ["Lessons/01-bowl.md:23: 'show' lists 'loss' twice"])
        #expect(show("[loss, bowl]") == [])
    }
}
