import Testing
@testable import TextPlot

/// A table too narrow or too low for its contents degrades in readable steps.
@Suite struct TableTests {
    /// Gradcheck's table: a name, three numbers and a verdict, 55 cells wide in full.
    static let gradients = TableSpec(
        headers: ["parameter", "backprop", "numeric", "rel. error", ""],
        rows: (0..<13).map { ["hidden.weight[\($0 / 2),\($0 % 2)]", "-0.812114", "-0.812254", "1.7e-04", $0 < 9 ? "WRONG" : "ok"] },
        alignments: [.left, .right, .right, .right, .left])

    func lines(_ table: TableSpec, width: Int, height: Int) -> [String] {
        var canvas = Canvas(width: width, height: height)
        table.render(into: &canvas, in: canvas.bounds, capabilities: .full)
        return canvas.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    @Test func naturalWidthsWhenTheyFit() {
        #expect(Self.gradients.columnWidths(fitting: 55) == [18, 9, 9, 10, 5])
    }

    @Test func tooNarrowDropsColumnsInsteadOfCuttingEveryNumber() {
        // 33 cells (a 35-cell panel's inside): cutting all five columns to fit would leave
        // every number wrong; instead whole columns go, the least important first.
        let widths = Self.gradients.columnWidths(fitting: 33)
        #expect(widths.reduce(0, +) + widths.filter { $0 > 0 }.count - 1 <= 33)
        // Numbers are shown whole or not at all.
        for column in 1...3 { #expect(widths[column] == 0 || widths[column] >= 9, "\(widths)") }
        // The name column (what a row is) and the last one (the verdict) stay by default.
        #expect(widths[0] >= 9 && widths[4] == 5, "\(widths)")
        let text = lines(Self.gradients, width: 33, height: 16)
        #expect(text[2].contains("WRONG") && text[2].contains("-0.812114"), "\(text[2])")
    }

    @Test func importanceChoosesWhichColumnsStay() {
        var table = Self.gradients
        table.importance = [5, 1, 1, 4, 3]   // name, relative error, verdict
        let widths = table.columnWidths(fitting: 35)
        #expect(widths == [18, 0, 0, 10, 5])
        #expect(lines(table, width: 35, height: 4)[2] == "hidden.weight[0,0]    1.7e-04 WRONG")
    }

    @Test func rowsThatDoNotFitAreCounted() {
        let text = lines(Self.gradients, width: 55, height: 12)
        // Header, rule, nine rows and the marker for the four left out.
        #expect(text[10].contains("hidden.weight[4,0]"))
        #expect(text[11].hasPrefix("… 4 more rows"), "\(text[11])")
        // A table that fits says nothing of the kind.
        #expect(!lines(Self.gradients, width: 55, height: 15).joined().contains("more row"))
        #expect(Self.gradients.naturalHeight == 15)
    }
}
