import Testing
@testable import MLEngine

/// Seeded random input, kept away from 0 by at least `gap` (so kinks at 0 are not straddled
/// by the finite-difference step).
func randomInput(_ shape: [Int], seed: UInt64, low: Float = -1, high: Float = 1, gap: Float = 0) -> Tensor {
    var g = SeededGenerator(seed: seed)
    let t = Tensor.uniform(shape, low: low, high: high, generator: &g)
    guard gap > 0 else { return t }
    return Tensor(shape: shape, scalars: t.copyScalars().map { $0 >= 0 ? $0 + gap : $0 - gap })
}

/// Runs the gradient checker and records a readable table when it fails.
func expectGradientsMatch(_ inputs: [Tensor], tolerance: Double = 1e-2,
                          sourceLocation: SourceLocation = #_sourceLocation,
                          _ function: @escaping ([Tensor]) -> Tensor) {
    let named = inputs.enumerated().map { (name: "x\($0.offset)", value: $0.element) }
    let report = GradientChecker.check(named, tolerance: tolerance, function)
    #expect(report.passed, "\(report)\nfirst failures: \(report.failures.prefix(4).map { "\($0.name)[\($0.index)] backprop \($0.backprop) numeric \($0.numeric)" })",
            sourceLocation: sourceLocation)
}

func expectClose(_ a: [Float], _ b: [Float], tolerance: Float = 1e-5,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(a.count == b.count, "lengths \(a.count) vs \(b.count)", sourceLocation: sourceLocation)
    for (x, y) in zip(a, b) where Swift.abs(x - y) > tolerance * Swift.max(1, Swift.abs(y)) {
        Issue.record("\(a) differs from \(b)", sourceLocation: sourceLocation)
        return
    }
}
