import Testing
@testable import TextPlot

@Suite struct CanvasTests {
    @Test func writeClipsToTheClipRect() {
        var canvas = Canvas(width: 10, height: 3)
        let end = canvas.write("abcdefgh", x: 2, y: 1, clip: Rect(x: 3, y: 0, width: 4, height: 3))
        // "a" falls at column 2, left of the clip; "f" onwards at 7, right of it.
        #expect(canvas.text == "          \n   bcde   \n          ")
        #expect(end == 7)
    }

    @Test func truncatedWriteEndsWithEllipsis() {
        var canvas = Canvas(width: 8, height: 1)
        canvas.write("abcdefgh", x: 0, y: 0, maxWidth: 5, glyphs: .unicode)
        #expect(canvas.text == "abcd…   ")
        canvas.write("ab", x: 0, y: 0, maxWidth: 5, glyphs: .ascii)
        #expect(canvas.text == "abcd…   ")  // fits: written as is, nothing else touched
    }

    @Test func snapshotListsStylesInOrderOfAppearance() {
        var canvas = Canvas(width: 3, height: 2)
        canvas.write("ab", x: 0, y: 0, style: CellStyle(foreground: .indexed(9), attributes: .bold))
        canvas.write("c", x: 1, y: 1, style: CellStyle(background: .indexed(17)))
        #expect(canvas.snapshot == "ab \n c \n--- styles\naa.\n.b.\n--- legend\na fg=9 bold\nb bg=17\n")
    }

    @Test func boxDrawsAllFourCorners() {
        var canvas = Canvas(width: 4, height: 3)
        canvas.drawBox(canvas.bounds, glyphs: .ascii)
        #expect(canvas.text == "+--+\n|  |\n+--+")
    }

    @Test func rectIntersection() {
        let a = Rect(x: 0, y: 0, width: 10, height: 10), b = Rect(x: 5, y: -2, width: 10, height: 4)
        #expect(a.intersection(b) == Rect(x: 5, y: 0, width: 5, height: 2))
        #expect(a.intersection(Rect(x: 20, y: 20, width: 1, height: 1)).isEmpty)
    }
}
