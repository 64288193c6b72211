import Testing
@testable import MLEngine

/// Every differentiable op against central differences, including broadcasting and batches.
@Suite struct OpGradientTests {
    @Test func binaryOpsWithBroadcasting() {
        let a = randomInput([2, 3, 4], seed: 1), b = randomInput([3, 1], seed: 2)
        let row = randomInput([4], seed: 3), scalar = randomInput([], seed: 4)
        let positive = randomInput([3, 1], seed: 5, low: 0.5, high: 2)
        expectGradientsMatch([a, b]) { $0[0] + $0[1] }
        expectGradientsMatch([a, row]) { $0[0] - $0[1] }
        expectGradientsMatch([b, a]) { $0[0] - $0[1] }
        expectGradientsMatch([a, b]) { $0[0] * $0[1] }
        expectGradientsMatch([a, scalar]) { $0[0] * $0[1] }
        expectGradientsMatch([a, positive]) { $0[0] / $0[1] }
        expectGradientsMatch([positive, a]) { $0[0] / ($0[1] * $0[1] + 1) }
        expectGradientsMatch([a, a]) { $0[0] * $0[1] + $0[0] }  // same shapes, a used twice
    }

    @Test func scalarOperandsAndNegation() {
        let a = randomInput([3, 2], seed: 6, gap: 0.3)
        expectGradientsMatch([a]) { [-$0[0] + 2, 3 - $0[0], $0[0] * 1.5, 2 * $0[0], $0[0] / 4, 1 / $0[0], $0[0] - 0.5]
            .reduce(Tensor(zeros: [3, 2]), +) }
    }

    @Test func maximumAndMinimumWithBroadcasting() {
        let a = randomInput([2, 3], seed: 7)
        // b differs from every scalar of a by at least 0.2, so no tie sits inside the step.
        let b = Tensor([Float](arrayLiteral: -0.9, 0.05, 0.8))
        let safeA = Tensor(shape: [2, 3], scalars: zip(a.copyScalars(), [Float](repeating: 0, count: 6)).enumerated().map { i, p in
            let bi = b.scalar(at: i % 3)
            return Swift.abs(p.0 - bi) < 0.2 ? bi + 0.25 : p.0 })
        expectGradientsMatch([safeA, b]) { maximum($0[0], $0[1]) }
        expectGradientsMatch([safeA, b]) { minimum($0[0], $0[1]) }
    }

    @Test func unaryMath() {
        let x = randomInput([2, 3], seed: 8)
        let positive = randomInput([2, 3], seed: 9, low: 0.5, high: 2)
        let awayFromZero = randomInput([2, 3], seed: 10, gap: 0.1)
        expectGradientsMatch([x]) { $0[0].exp() }
        expectGradientsMatch([positive]) { $0[0].log() }
        expectGradientsMatch([positive]) { $0[0].sqrt() }
        expectGradientsMatch([positive]) { $0[0].pow(1.7) }
        expectGradientsMatch([x]) { $0[0].pow(3) }
        expectGradientsMatch([positive, randomInput([3], seed: 60)]) { pow($0[0], $0[1]) }  // broadcast exponent
        expectGradientsMatch([x]) { $0[0].squared() }
        expectGradientsMatch([awayFromZero]) { $0[0].abs() }
        expectGradientsMatch([x]) { $0[0].sin() }
        expectGradientsMatch([x]) { $0[0].cos() }
        // Clamp limits chosen between the inputs' values, away from every input.
        let c = Tensor(shape: [6], scalars: [-0.9, -0.5, -0.1, 0.2, 0.6, 0.95])
        expectGradientsMatch([c]) { $0[0].clamped(min: -0.3, max: 0.4) }
    }

    @Test func activations() {
        let x = randomInput([3, 4], seed: 11, low: -3, high: 3, gap: 0.05)
        expectGradientsMatch([x]) { $0[0].relu() }
        expectGradientsMatch([x]) { $0[0].leakyReLU(slope: 0.1) }
        expectGradientsMatch([x]) { $0[0].sigmoid() }
        expectGradientsMatch([x]) { $0[0].tanh() }
        expectGradientsMatch([x]) { $0[0].softplus() }
        expectGradientsMatch([x]) { $0[0].softmax() }
        expectGradientsMatch([x]) { $0[0].softmax(alongAxis: 0) }
        expectGradientsMatch([x]) { $0[0].logSoftmax() }
        let t = randomInput([2, 3, 2], seed: 12, low: -2, high: 2)
        expectGradientsMatch([t]) { $0[0].logSoftmax(alongAxis: 1) }
    }

    @Test func reductions() {
        let x = randomInput([2, 3, 4], seed: 13, low: -2, high: 2)
        expectGradientsMatch([x]) { $0[0].sum() }
        expectGradientsMatch([x]) { $0[0].mean() }
        for axis in [0, 1, 2, -1] {
            expectGradientsMatch([x]) { $0[0].sum(alongAxis: axis) }
            expectGradientsMatch([x]) { $0[0].mean(alongAxis: axis, keepDims: true) }
            expectGradientsMatch([x]) { $0[0].variance(alongAxis: axis) }
            expectGradientsMatch([x]) { $0[0].max(alongAxis: axis) }
            expectGradientsMatch([x]) { $0[0].min(alongAxis: axis, keepDims: true) }
        }
        expectGradientsMatch([randomInput([3, 1], seed: 14)]) { $0[0].broadcast(to: [2, 3, 4]) }
        expectGradientsMatch([x]) { $0[0].sum(toShape: [3, 1]) }
    }

    @Test func matmulPlainTransposedAndBatched() {
        let a = randomInput([3, 4], seed: 15), b = randomInput([4, 2], seed: 16)
        expectGradientsMatch([a, b]) { matmul($0[0], $0[1]) }
        let at = randomInput([4, 3], seed: 17), bt = randomInput([2, 4], seed: 18)
        expectGradientsMatch([at, b]) { matmul($0[0], $0[1], transposeA: true) }
        expectGradientsMatch([a, bt]) { matmul($0[0], $0[1], transposeB: true) }
        expectGradientsMatch([at, bt]) { matmul($0[0], $0[1], transposeA: true, transposeB: true) }
        let batchA = randomInput([2, 3, 4], seed: 19), batchB = randomInput([2, 4, 2], seed: 20)
        expectGradientsMatch([batchA, batchB]) { matmul($0[0], $0[1]) }
        expectGradientsMatch([batchA, randomInput([2, 2, 4], seed: 21)]) { matmul($0[0], $0[1], transposeB: true) }
        expectGradientsMatch([randomInput([2, 4, 3], seed: 22), batchB]) { matmul($0[0], $0[1], transposeA: true) }
        // Rank-4 operand against a shared matrix (the batch folds into rows).
        expectGradientsMatch([randomInput([2, 2, 3, 4], seed: 23), b]) { matmul($0[0], $0[1]) }
    }

    @Test func shapeOps() {
        let x = randomInput([2, 3, 4], seed: 24)
        expectGradientsMatch([x]) { $0[0].reshaped([4, -1]) * $0[0].reshaped([4, 6]) }
        expectGradientsMatch([x]) { $0[0].permuted([2, 0, 1]) }
        expectGradientsMatch([x]) { $0[0].transposed() }
        expectGradientsMatch([x]) { $0[0].transposed(0, 2) }
        expectGradientsMatch([x]) { $0[0].slice(alongAxis: 1, 1..<3) }
        expectGradientsMatch([x]) { $0[0].padded(alongAxis: 2, before: 1, after: 2) }
        expectGradientsMatch([x]) { $0[0].unsqueezed(at: 1).squeezed(at: 1).flattened() }
        let y = randomInput([2, 1, 4], seed: 25)
        expectGradientsMatch([x, y]) { Tensor.concatenate([$0[0], $0[1], $0[0]], alongAxis: 1) }
        let z = randomInput([2, 3, 4], seed: 26)
        expectGradientsMatch([x, z]) { Tensor.stack([$0[0], $0[1]], alongAxis: 1) }
        expectGradientsMatch([x, z]) { Tensor.stack([$0[0], $0[1]], alongAxis: -1) }
    }

    @Test func gatherAndScatter() {
        let table = randomInput([5, 3], seed: 27)
        expectGradientsMatch([table]) { $0[0].gathering([4, 0, 4, 2], alongAxis: 0) }
        expectGradientsMatch([table]) { $0[0].gathering([2, 0], alongAxis: 1) }
        let rows = randomInput([3, 2], seed: 28)
        expectGradientsMatch([rows]) { $0[0].scatterAdding([1, 3, 1], alongAxis: 0, size: 4) }
    }
}

@Suite struct ReLUBackwardBitsTests {
    @Test func oneFusedPassGivesTheMaskProductsBits() {
        // The gradient is g where x > 0 and g * 0 elsewhere: exactly g times a 0/1 mask, signed
        // zeros and NaN included (the fused pass must not turn -0 into +0 or hide a NaN).
        let xs: [Float] = [2, -1, 0, 3, -0.0, .nan, 5, -7]
        let gs: [Float] = [-1.5, -2, 3, -0.0, -4, 1, .nan, .infinity]
        let x = Tensor(shape: [8], scalars: xs).requiringGrad()
        (x.relu() * Tensor(shape: [8], scalars: gs)).sum().backward()
        let expected = zip(gs, xs).map { g, v in g * (v > 0 ? 1 : 0) }
        #expect(x.grad!.copyScalars().map(\.bitPattern) == expected.map(\.bitPattern))
    }
}
