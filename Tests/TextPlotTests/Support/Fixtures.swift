import Foundation
@testable import TextPlot

/// Deterministic data for golden tests (no RNG: closed-form curves, so a golden changes only
/// when drawing changes).
enum Fixtures {
    /// A training loss: exponential decay with a deterministic wobble and one spike at 120.
    static func loss(count: Int = 200) -> [Double] {
        (0..<count).map { i in
            let t = Double(i)
            return 2.0 * exp(-t / 40) + 0.05 + 0.08 * sin(t * 1.7) * exp(-t / 200) + (i == 120 ? 0.9 : 0)
        }
    }

    static func validation(count: Int = 200) -> [Double] {
        (0..<count).map { i in 2.1 * exp(-Double(i) / 50) + 0.12 }
    }

    static func accuracy(count: Int = 200) -> [Double] {
        (0..<count).map { i in 0.98 - 0.88 * exp(-Double(i) / 35) }
    }

    /// Two interleaved half moons, 40 points each.
    static func moons() -> [ScatterPoint] {
        (0..<80).map { i in
            let k = Double(i % 40) / 39 * Double.pi
            return i < 40 ? ScatterPoint(x: cos(k), y: sin(k), label: 0)
                          : ScatterPoint(x: 1 - cos(k), y: 0.5 - sin(k), label: 1)
        }
    }

    /// Signed weights with a clear pattern: positive diagonal band, negative corners.
    static func weights(rows: Int = 8, columns: Int = 12) -> [Double] {
        (0..<rows * columns).map { index in
            let r = Double(index / columns) / Double(rows - 1), c = Double(index % columns) / Double(columns - 1)
            return (1 - 2 * abs(r - c)) * 0.8
        }
    }

    static let digits = ["0", "1", "2", "3"]
    static let confusion: [Double] = [45, 2, 1, 0,
                                      3, 40, 5, 2,
                                      0, 4, 38, 8,
                                      1, 0, 6, 43]
}
