import Testing
import Course
import TextPlot

@Suite struct LabPanelTests {
    @Test func showListPicksPanelsAndSkipsUnknownIds() throws {
        var lab = QuadraticLab(seed: 1)
        for _ in 0..<5 { _ = try lab.step() }
        #expect(lab.panels().map(\.title) == ["Loss"])
        #expect(lab.panels(showing: ["nope"]).isEmpty)
        guard case .lineChart(let chart)? = lab.panels(showing: ["loss"]).first?.content else {
            Issue.record("the loss panel should be a line chart"); return
        }
        #expect(chart.series.first?.values.count == 5)
    }
}
