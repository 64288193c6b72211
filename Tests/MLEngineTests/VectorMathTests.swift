import Foundation
import Testing
@testable import MLEngine

/// The vectorised exp, sigmoid and tanh the recurrent cells use, against libm.
@Suite struct VectorMathTests {
    /// -30 ... 30 in steps of 0.001, plus the extremes and the values around the tanh switch.
    static let inputs: [Float] = stride(from: -30, through: 30, by: 0.001).map(Float.init)
        + [-1000, -88, -87, 0, -0.625, 0.625, 0.6249999, 87, 88, 1000]

    static func applied(_ f: (UnsafeMutablePointer<Float>, Int) -> Void) -> [Float] {
        var values = inputs
        values.withUnsafeMutableBufferPointer { f($0.baseAddress!, $0.count) }   // count not a multiple of 8
        return values
    }

    @Test func tanhAndSigmoidAgreeWithLibm() {
        let tanh = Self.applied { VectorMath.tanh($0, count: $1) }
        let sigmoid = Self.applied { VectorMath.sigmoid($0, count: $1) }
        var worstTanh: Float = 0, worstSigmoid: Float = 0
        for (k, x) in Self.inputs.enumerated() {
            worstTanh = max(worstTanh, abs(tanh[k] - Foundation.tanh(x)))
            worstSigmoid = max(worstSigmoid, abs(sigmoid[k] - Float(1 / (1 + Foundation.exp(-Double(x))))))
            // Odd and bounded exactly.
            #expect(abs(tanh[k]) <= 1 && sigmoid[k] >= 0 && sigmoid[k] <= 1)
        }
        #expect(worstTanh < 3e-7, "tanh off by \(worstTanh)")
        #expect(worstSigmoid < 3e-7, "sigmoid off by \(worstSigmoid)")
        // Near 0 tanh keeps its relative precision (the small-|x| polynomial).
        var tiny: [Float] = [1e-6, -3e-5, 2e-3]
        tiny.withUnsafeMutableBufferPointer { VectorMath.tanh($0.baseAddress!, count: 3) }
        #expect(abs(tiny[0] - 1e-6) < 1e-12 && abs(tiny[1] + 3e-5) < 1e-11 && abs(tiny[2] - Foundation.tanh(Float(2e-3))) < 1e-9)
    }

    @Test func expIsWithinAFewUlpAndNeverNaN() {
        for x in Self.inputs where abs(x) < 80 {
            let ours = VectorMath.exp(SIMD8(repeating: x))[0]
            let exact = Foundation.exp(Double(x))
            #expect(abs(Double(ours) - exact) <= 4 * Double(Float(exact).ulp), "exp(\(x)) = \(ours), libm \(exact)")
        }
        let extremes = VectorMath.exp(SIMD8(-1000, -100, 100, 1000, 0, 1, -1, .greatestFiniteMagnitude))
        for k in 0..<8 { #expect(extremes[k].isFinite && extremes[k] >= 0) }
        #expect(extremes[4] == 1)
    }
}
