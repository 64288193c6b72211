import Foundation
import Testing
@testable import Course

@Suite struct MetricsAndLabStateTests {
    @Test func metricsEncodeNonFiniteValues() throws {
        var metrics = Metrics()
        metrics.append(1.5, to: "loss")
        metrics.append(.nan, to: "loss")
        metrics.set("accuracy", 0.9)
        #expect(metrics.latest("accuracy") == 0.9)
        #expect(metrics.latest("loss")?.isNaN == true)
        let json = String(decoding: try metrics.jsonData(), as: UTF8.self)
        #expect(json.contains(#"[1.5,"nan"]"#))
    }

    @Test func completionConditions() {
        var metrics = Metrics()
        metrics.append(0.5, to: "loss")
        let below = CompletionCondition(metric: "loss", .atMost, 0.1, description: "")
        let above = CompletionCondition(metric: "loss", .atLeast, 0.1, description: "")
        #expect(!below.isMet(by: metrics) && above.isMet(by: metrics))
        metrics.append(.nan, to: "loss")
        #expect(!below.isMet(by: metrics) && !above.isMet(by: metrics))
        #expect(!CompletionCondition(metric: "missing", .atLeast, 0, description: "").isMet(by: metrics))
    }

    @Test func labStateChecksShapes() throws {
        let lab = QuadraticLab(seed: 1)
        var state = lab.snapshot()
        #expect(throws: LabStateError.wrongShape(lab: "quadratic", name: "w", expected: [2], found: [1])) {
            try state.tensor("w", shape: [2])
        }
        state.tensors = [:]
        var copy = lab
        #expect(throws: LabStateError.missingTensor(lab: "quadratic", name: "w")) { try copy.restore(state) }
        #expect(throws: LabCatalogueError.unknownLab("quadratc", suggestion: "quadratic")) {
            try LabCatalogue.fixture.make("quadratc", seed: 1)
        }
    }
}

@Suite struct LabCatalogueTests {
    @Test func mismatchesCatchAStaleDeclaration() {
        #expect(LabCatalogue.fixture.mismatches() == [])
        let real = QuadraticLab(seed: 0)
        var stale = real.parameters
        stale[0].value = .number(0.3)
        let catalogue = LabCatalogue([LabCatalogue.Entry(id: "quadratic", title: real.title, parameters: stale) { QuadraticLab(seed: $0) }])
        #expect(catalogue.mismatches() == ["entry 'quadratic' declares hyperparameters that differ from the lab's: lr"])
    }
}
