import TextPlot

/// A stretch of changed cells on one row: what the backend must write, and nothing more.
public struct CellRun: Hashable, Sendable {
    /// Column and row of the first changed cell.
    public var x: Int, y: Int
    /// The new cells, left to right.
    public var cells: [Cell]

    public init(x: Int, y: Int, cells: [Cell]) {
        self.x = x; self.y = y; self.cells = cells
    }
}

/// Compares two frames and lists the runs of cells that differ.
///
/// Writing only changed cells keeps a 30-frames-a-second screen cheap over SSH: a training curve
/// that moves by one column costs a few dozen bytes, not a whole screen.
public enum FrameDiff {
    /// Runs of cells in `current` that differ from `previous`. With no previous frame, or one of
    /// another size, every cell counts as changed (one run per row).
    ///
    /// `gapTolerance` joins two runs on a row when at most that many unchanged cells lie between
    /// them: one longer write is cheaper than two cursor moves.
    public static func runs(from previous: Canvas?, to current: Canvas, gapTolerance: Int = 3) -> [CellRun] {
        let width = current.width
        guard let previous, previous.width == width, previous.height == current.height else {
            return (0..<current.height).map { y in
                CellRun(x: 0, y: y, cells: Array(current.cells[(y * width)..<((y + 1) * width)]))
            }
        }
        var result: [CellRun] = []
        current.cells.withUnsafeBufferPointer { new in
            previous.cells.withUnsafeBufferPointer { old in
                for y in 0..<current.height {
                    let rowStart = y * width
                    var runStart = -1       // first changed column of the open run
                    var lastChanged = -1    // last changed column of the open run
                    for x in 0..<width where new[rowStart + x] != old[rowStart + x] {
                        if runStart >= 0 && x - lastChanged - 1 <= gapTolerance {
                            lastChanged = x
                            continue
                        }
                        if runStart >= 0 {
                            result.append(CellRun(x: runStart, y: y,
                                                  cells: Array(new[(rowStart + runStart)...(rowStart + lastChanged)])))
                        }
                        runStart = x
                        lastChanged = x
                    }
                    if runStart >= 0 {
                        result.append(CellRun(x: runStart, y: y,
                                              cells: Array(new[(rowStart + runStart)...(rowStart + lastChanged)])))
                    }
                }
            }
        }
        return result
    }

    /// The number of cells the runs write (for tests and benchmarks).
    public static func cellCount(_ runs: [CellRun]) -> Int { runs.reduce(0) { $0 + $1.cells.count } }
}
