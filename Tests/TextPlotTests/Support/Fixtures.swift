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

extension Fixtures {
    /// A loss surface: an elongated bowl (x^2 + 4y^2 style) sampled on 21x21 points over -2...2.
    static func surface() -> [Double] {
        (0..<21 * 21).map { index in
            let x = Double(index % 21) / 10 - 1, y = Double(index / 21) / 10 - 1
            return 2 * x * x * 2 + 6 * y * y
        }
    }

    /// Two optimizer paths towards the centre (10, 10) in grid coordinates.
    static func path(_ kind: Int) -> [PlotPoint] {
        (0..<8).map { step in
            // They stop short of the minimum so their heads stay visible next to its marker.
            let t = Double(step) / 7 * 0.7
            return kind == 0
                ? PlotPoint(x: 1 + 9 * t, y: 2 + 8 * t + (step % 2 == 0 ? 2 : -2) * (1 - t))
                : PlotPoint(x: 19 - 9 * t, y: 3 + 7 * t)
        }
    }

    /// Noisy points around y = 2x + 0.5 (deterministic noise), for the regression chapter.
    static func regression() -> [ScatterPoint] {
        (0..<30).map { i in
            let x = Double(i) / 29 * 2
            return ScatterPoint(x: x, y: 2 * x + 0.5 + 0.4 * sin(Double(i) * 2.3))
        }
    }

    static func probabilities() -> [Bar] {
        zip(["zero", "one", "two", "three", "four", "five"], [0.02, 0.05, 0.71, 0.12, 0.06, 0.04])
            .map { Bar(label: $0, value: $1) }
    }

    static let chapters: [[String]] = [
        ["1", "Linear regression", "y = wx + b", "-"],
        ["2", "Logistic regression", "sigmoid(wx + b)", "0.93"],
        ["3", "Multilayer perceptron", "MLP 784-256-10", "0.981"],
        ["4", "Convolution", "LeNet", "0.991"],
    ]

    static let lesson = """
        # Learning rate

        The **learning rate** sets how far each step of *gradient descent* moves. Too small and \
        training crawls; too large and the loss `diverges`. See [the notes](https://example.org/lr).

        ## Try it

        1. Set `lr=0.1` and watch the loss.
        2. Now try:
           - `lr=1.0`, which overshoots;
           - `lr=0.001`, which crawls.

        > A good learning rate is the largest one that still makes the loss fall.

        ```
        w = w - lr * grad
        ```

        | lr | steps to 0.1 |
        |----|-------------|
        | 0.1 | 40 |
        | 0.01 | 400 |
        """
}

extension Fixtures {
    /// A heartbeat-like curve of `count` samples: P wave, sharp QRS spike and T wave as
    /// Gaussian bumps (closed form, so the split-panel goldens depend only on drawing).
    static func beat(count: Int = 250) -> [Double] {
        func bump(_ t: Double, at centre: Double, width: Double, height: Double) -> Double {
            height * exp(-(t - centre) * (t - centre) / (2 * width * width))
        }
        return (0..<count).map { i in
            let t = Double(i) / Double(count)
            return bump(t, at: 0.25, width: 0.03, height: 0.15) + bump(t, at: 0.5, width: 0.012, height: 1.2)
                - bump(t, at: 0.47, width: 0.01, height: 0.2) + bump(t, at: 0.75, width: 0.05, height: 0.3)
        }
    }
}
