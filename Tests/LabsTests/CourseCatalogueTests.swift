import Course
import Foundation
import Testing
@testable import Labs

@Suite struct CourseCatalogueTests {
    /// The repository's Lessons folder, found from this source file's path.
    static let lessons = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Lessons")

    @Test func entriesAgreeWithTheLabsTheyMake() {
        #expect(CourseCatalogue.labs.mismatches() == [])
        #expect(Array(CourseCatalogue.labs.ids.prefix(2)) == ["knob", "neuron"])
    }

    @Test func everyDeclaredPanelExistsAndNoOther() throws {
        for entry in CourseCatalogue.labs.entries {
            let lab = entry.make(1)
            #expect(!entry.panelIDs.isEmpty, "\(entry.id) declares no panels")
            #expect(entry.panelIDs == lab.panelIDs, "\(entry.id)")
            for id in entry.panelIDs { #expect(lab.panel(id) != nil, "\(entry.id) has no panel \(id)") }
            #expect(lab.panel("no-such-panel") == nil)
        }
    }

    @Test func everyLessonValidatesAgainstTheRealCatalogue() throws {
        try #require(FileManager.default.fileExists(atPath: Self.lessons.path), "no Lessons folder at \(Self.lessons.path)")
        let result = LessonLoader.check(folder: Self.lessons, checking: .against(CourseCatalogue.labs))
        #expect(result.problems.isEmpty, "\(LessonLoadError(problems: result.problems))")
        // Not vacuous: the prologue and chapter 1 really open these labs.
        let blocks = result.lessons.flatMap { $0.pages.flatMap(\.labBlocks) }
        #expect(blocks.contains { $0.lab == "knob" })
        #expect(blocks.contains { $0.lab == "neuron" && $0.show.contains("residuals") })
    }

    @Test func everyLessonLabBlockOpensAndSteps() throws {
        // Beyond validation: apply each block's settings to a real lab and take a few steps.
        let result = LessonLoader.check(folder: Self.lessons, checking: .against(CourseCatalogue.labs))
        for block in result.lessons.flatMap({ $0.pages.flatMap(\.labBlocks) }) where !block.isNone {
            var lab = try CourseCatalogue.labs.make(block.lab, seed: 1)
            for setting in block.settings {
                let parameter = try #require(lab.parameters[named: setting.name])
                try lab.set(setting.name, to: try parameter.parse(setting.value))
            }
            lab.reset(seed: 1)
            for _ in 0..<5 { _ = try lab.step() }
            #expect(lab.isFinite, "line \(block.line): \(block.lab)")
            #expect(lab.panels(showing: block.show).count == block.show.count)
        }
    }

    @Test func unknownLabGetsASuggestion() {
        #expect(throws: LabCatalogueError.unknownLab("nueron", suggestion: "neuron")) {
            try CourseCatalogue.labs.make("nueron", seed: 0)
        }
    }
}
