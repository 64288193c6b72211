import Testing
import TextPlot
@testable import Terminal

@Suite("Frame diff")
struct FrameDiffTests {
    @Test("no previous frame: every row is written in full")
    func firstFrameWritesEverything() {
        var canvas = Canvas(width: 5, height: 3)
        canvas.write("hello", x: 0, y: 1)
        let runs = FrameDiff.runs(from: nil, to: canvas)
        #expect(runs.count == 3)
        #expect(runs.allSatisfy { $0.x == 0 && $0.cells.count == 5 })
        #expect(String(runs[1].cells.map(\.character)) == "hello")
    }

    @Test("identical frames write nothing")
    func identicalFramesWriteNothing() {
        var canvas = Canvas(width: 20, height: 4)
        canvas.write("loss 0.25", x: 2, y: 2)
        #expect(FrameDiff.runs(from: canvas, to: canvas).isEmpty)
    }

    @Test("a changed cell becomes a one-cell run at its position")
    func singleCellChange() {
        let old = Canvas(width: 10, height: 3)
        var new = old
        new[7, 2] = Cell("x")
        let runs = FrameDiff.runs(from: old, to: new)
        #expect(runs == [CellRun(x: 7, y: 2, cells: [Cell("x")])])
    }

    @Test("a style change alone counts as a change")
    func styleChangeIsAChange() {
        var old = Canvas(width: 4, height: 1)
        old.write("ab", x: 0, y: 0)
        var new = old
        new[1, 0] = Cell("b", style: CellStyle(foreground: .indexed(196)))
        let runs = FrameDiff.runs(from: old, to: new)
        #expect(runs.count == 1)
        #expect(runs[0].x == 1 && runs[0].cells.count == 1)
    }

    @Test("changes close together join into one run; far apart they stay separate")
    func gapTolerance() {
        let old = Canvas(width: 30, height: 1)
        var new = old
        new[2, 0] = Cell("a"); new[5, 0] = Cell("b")   // gap of 2 unchanged cells
        new[20, 0] = Cell("c")                           // gap of 14
        let runs = FrameDiff.runs(from: old, to: new, gapTolerance: 3)
        #expect(runs.count == 2)
        #expect(runs[0].x == 2 && runs[0].cells.count == 4)   // a _ _ b, unchanged cells rewritten as they are
        #expect(String(runs[0].cells.map(\.character)) == "a  b")
        #expect(runs[1].x == 20 && runs[1].cells.count == 1)
        #expect(FrameDiff.runs(from: old, to: new, gapTolerance: 0).count == 3)
    }

    @Test("a size change redraws everything")
    func resizeRedrawsAll() {
        let old = Canvas(width: 10, height: 2)
        let new = Canvas(width: 12, height: 2)
        #expect(FrameDiff.cellCount(FrameDiff.runs(from: old, to: new)) == 24)
    }

    @Test("applying the runs to the old frame gives the new frame")
    func runsReproduceTheNewFrame() {
        var old = Canvas(width: 40, height: 6)
        var new = old
        var random = SystemRandomNumberGenerator()
        for _ in 0..<60 {
            old[Int.random(in: 0..<40, using: &random), Int.random(in: 0..<6, using: &random)] = Cell("o")
            new[Int.random(in: 0..<40, using: &random), Int.random(in: 0..<6, using: &random)] =
                Cell("n", style: CellStyle(foreground: .indexed(UInt8.random(in: 0...3, using: &random))))
        }
        var patched = old
        for run in FrameDiff.runs(from: old, to: new) {
            for (offset, cell) in run.cells.enumerated() { patched[run.x + offset, run.y] = cell }
        }
        #expect(patched.cells == new.cells)
    }
}
