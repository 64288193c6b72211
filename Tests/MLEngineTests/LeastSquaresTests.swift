import Testing
@testable import MLEngine

@Suite struct LeastSquaresTests {
    @Test func recoversAnExactLinearRelationship() throws {
        // y = 2 x1 - 3 x2 + 5, no noise.
        let rows: [[Float]] = [[0, 0], [1, 0], [0, 1], [2, 3], [-1, 4], [5, -2]]
        let x = Tensor(rows: rows), y = Tensor(rows.map { 2 * $0[0] - 3 * $0[1] + 5 })
        let fit = try LeastSquares.fit(features: x, targets: y)
        #expect(Swift.abs(fit.weights[0] - 2) < 1e-9 && Swift.abs(fit.weights[1] + 3) < 1e-9)
        #expect(Swift.abs(fit.intercept - 5) < 1e-9)
        expectClose(fit.predict(x).copyScalars(), y.copyScalars())
    }

    @Test func matchesTheTextbookSlopeForOneFeature() throws {
        // Slope = cov(x, y) / var(x), intercept = mean(y) - slope mean(x), worked out by hand:
        // x = 1..4, y = 2, 3, 5, 4: mean x 2.5, mean y 3.5; deviations x (-1.5, -0.5, 0.5, 1.5),
        // y (-1.5, -0.5, 1.5, 0.5): cov sum 2.25 + 0.25 + 0.75 + 0.75 = 4, var sum 5 -> slope 0.8,
        // intercept 3.5 - 0.8 * 2.5 = 1.5.
        let fit = try LeastSquares.fit(features: Tensor(shape: [4, 1], scalars: [1, 2, 3, 4]), targets: Tensor([2, 3, 5, 4]))
        #expect(Swift.abs(fit.weights[0] - 0.8) < 1e-9)
        #expect(Swift.abs(fit.intercept - 1.5) < 1e-9)
        let noIntercept = try LeastSquares.fit(features: Tensor(shape: [4, 1], scalars: [1, 2, 3, 4]),
                                               targets: Tensor([2, 3, 5, 4]), intercept: false)
        #expect(Swift.abs(noIntercept.weights[0] - 39.0 / 30) < 1e-9 && noIntercept.intercept == 0)  // sum xy / sum x^2
    }

    @Test func largeOffsetsStayAccurate() throws {
        let xs: [Float] = [10_000, 10_001, 10_002, 10_003, 10_004]
        let fit = try LeastSquares.fit(features: Tensor(shape: [5, 1], scalars: xs), targets: Tensor(xs.map { 0.5 * ($0 - 10_000) + 1 }))
        #expect(Swift.abs(fit.weights[0] - 0.5) < 1e-9)
    }

    @Test func collinearOrMalformedInputIsRefused() {
        let collinear = Tensor(rows: [[1, 2], [2, 4], [3, 6], [4, 8]])
        #expect(throws: EngineError.self) { try LeastSquares.fit(features: collinear, targets: Tensor([1, 2, 3, 4])) }
        #expect(throws: EngineError.self) { try LeastSquares.fit(features: Tensor(zeros: [3, 1]), targets: Tensor([1, 2])) }
        #expect(throws: EngineError.self) { try LeastSquares.fit(features: Tensor(rows: [[1, 2]]), targets: Tensor([1])) }
    }
}
