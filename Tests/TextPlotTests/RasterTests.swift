import Testing
@testable import TextPlot

@Suite struct RasterTests {
    func character(_ px: Int, _ py: Int, unicode: Bool = true) -> Character {
        var raster = DotRaster(columns: 1, rows: 1, unicode: unicode)
        raster.set(px, py, layer: 0)
        var canvas = Canvas(width: 1, height: 1)
        raster.draw(into: &canvas, x: 0, y: 0, styles: [.plain])
        return canvas[0, 0].character
    }

    @Test func brailleDotMapping() {
        // Braille dots 1,2,3,7 run down the left column, 4,5,6,8 down the right (U+2800 + bits).
        #expect(character(0, 0) == "⠁")  // dot 1
        #expect(character(0, 1) == "⠂")  // dot 2
        #expect(character(0, 2) == "⠄")  // dot 3
        #expect(character(0, 3) == "⡀")  // dot 7
        #expect(character(1, 0) == "⠈")  // dot 4
        #expect(character(1, 2) == "⠠")  // dot 6
        #expect(character(1, 3) == "⢀")  // dot 8
    }

    @Test func asciiDotsUseQuoteDotColon() {
        #expect(character(0, 0, unicode: false) == "'")
        #expect(character(0, 1, unicode: false) == ".")
        var raster = DotRaster(columns: 1, rows: 1, unicode: false)
        raster.set(0, 0, layer: 0); raster.set(0, 1, layer: 0)
        var canvas = Canvas(width: 1, height: 1)
        raster.draw(into: &canvas, x: 0, y: 0, styles: [.plain])
        #expect(canvas[0, 0].character == ":")
    }

    @Test func lineSetsBothEndsAndIsConnected() {
        var raster = DotRaster(columns: 4, rows: 2, unicode: true)
        raster.line(0, 7, 7, 0, layer: 0)
        // A diagonal across 8x8 dots crosses every column of cells.
        for column in 0..<4 { #expect(raster.isSet(column: column, row: 0) || raster.isSet(column: column, row: 1)) }
        #expect(raster.masks[0 * 4 + 3] & 0x08 != 0)  // top-right dot (7, 0)
        #expect(raster.masks[1 * 4 + 0] & 0x40 != 0)  // bottom-left dot (0, 7)
    }

    @Test func dotsOutsideAreIgnored() {
        var raster = DotRaster(columns: 2, rows: 2, unicode: true)
        raster.set(-1, 0, layer: 0); raster.set(4, 0, layer: 0); raster.set(0, 8, layer: 0)
        #expect(raster.masks.allSatisfy { $0 == 0 })
    }
}
