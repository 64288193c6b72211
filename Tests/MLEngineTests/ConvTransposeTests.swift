import Testing
@testable import MLEngine

/// The scatter loop exactly as ConvTranspose1d.swift's comment states it: every input sample
/// adds a scaled copy of the filter onto the output, `stride` samples further each time.
func naiveConvTranspose1d(_ x: Tensor, _ w: Tensor, _ bias: Tensor?, stride: Int, padding: Int, outputPadding: Int) -> Tensor {
    let (batch, cin, length) = (x.shape[0], x.shape[1], x.shape[2])
    let (cout, kernel) = (w.shape[1], w.shape[2])
    let outLength = (length - 1) * stride - 2 * padding + kernel + outputPadding
    let xs = x.copyScalars(), ws = w.copyScalars(), bs = bias?.copyScalars()
    var y = [Double](repeating: 0, count: batch * cout * outLength)
    for b in 0..<batch {
        for o in 0..<cout { for u in 0..<outLength { y[(b * cout + o) * outLength + u] = Double(bs?[o] ?? 0) } }
        for c in 0..<cin {
            for t in 0..<length {
                for o in 0..<cout {
                    for j in 0..<kernel {
                        let u = t * stride - padding + j
                        guard u >= 0 && u < outLength else { continue }
                        y[(b * cout + o) * outLength + u] += Double(ws[(c * cout + o) * kernel + j]) * Double(xs[(b * cin + c) * length + t])
                    }
                }
            }
        }
    }
    return Tensor(shape: [batch, cout, outLength], scalars: y.map(Float.init))
}

@Suite struct ConvTransposeTests {
    struct Case: Sendable, CustomStringConvertible {
        var batch, cin, cout, length, kernel, stride, padding, outputPadding: Int
        var description: String { "b\(batch) \(cin)->\(cout) L\(length) k\(kernel) s\(stride) p\(padding) op\(outputPadding)" }
    }

    static let cases: [Case] = [
        Case(batch: 1, cin: 1, cout: 1, length: 4, kernel: 2, stride: 2, padding: 0, outputPadding: 0),  // the U-Net's doubling
        Case(batch: 2, cin: 3, cout: 2, length: 5, kernel: 3, stride: 2, padding: 1, outputPadding: 1),  // output padding restores an even length
        Case(batch: 2, cin: 2, cout: 3, length: 6, kernel: 5, stride: 3, padding: 2, outputPadding: 2),
        Case(batch: 3, cin: 2, cout: 2, length: 7, kernel: 3, stride: 1, padding: 1, outputPadding: 0),  // stride 1: same length
        Case(batch: 2, cin: 4, cout: 3, length: 5, kernel: 1, stride: 1, padding: 0, outputPadding: 0),  // pointwise
    ]

    @Test(arguments: cases) func matchesTheScatterLoop(_ c: Case) {
        let x = randomInput([c.batch, c.cin, c.length], seed: 1)
        let w = randomInput([c.cin, c.cout, c.kernel], seed: 2)
        let bias = randomInput([c.cout], seed: 3)
        let fast = convTranspose1d(x, weight: w, bias: bias, stride: c.stride, padding: c.padding, outputPadding: c.outputPadding)
        let slow = naiveConvTranspose1d(x, w, bias, stride: c.stride, padding: c.padding, outputPadding: c.outputPadding)
        #expect(fast.shape == slow.shape, "\(c)")
        expectClose(fast.copyScalars(), slow.copyScalars(), tolerance: 1e-5)
        let layer = ConvTranspose1d(weight: w, bias: bias, stride: c.stride, padding: c.padding, outputPadding: c.outputPadding)
        #expect(layer.outputLength(for: c.length) == slow.shape[2])
    }

    @Test func kernelTwoStrideTwoWritesEachSampleItsOwnPair() {
        // x = [1, 2], taps [10, 1]: sample 0 writes [10, 1], sample 1 writes [20, 2], no overlap.
        let y = convTranspose1d(Tensor(shape: [1, 1, 2], scalars: [1, 2]), weight: Tensor(shape: [1, 1, 2], scalars: [10, 1]), stride: 2)
        #expect(y.copyScalars() == [10, 1, 20, 2])
    }

    @Test func itIsTheAdjointOfTheStridedConvolution() {
        // <conv(u), v> = <u, convT(v)> for the same weights: the defining property of a transpose.
        let u = randomInput([2, 3, 10], seed: 4), v = randomInput([2, 4, 5], seed: 5)
        let w = randomInput([4, 3, 3], seed: 6)   // conv: 3 -> 4 channels; its transpose: 4 -> 3
        let left = (conv1d(u, weight: w, stride: 2, padding: 1) * v).sum().item
        let right = (u * convTranspose1d(v, weight: w, stride: 2, padding: 1, outputPadding: 1)).sum().item
        #expect(Swift.abs(left - right) < 1e-4 * Swift.max(1, Swift.abs(left)))
    }

    @Test(arguments: cases) func gradientsToInputWeightAndBias(_ c: Case) {
        let x = randomInput([c.batch, c.cin, c.length], seed: 7)
        let w = randomInput([c.cin, c.cout, c.kernel], seed: 8)
        let bias = randomInput([c.cout], seed: 9)
        expectGradientsMatch([x, w, bias]) {
            convTranspose1d($0[0], weight: $0[1], bias: $0[2], stride: c.stride, padding: c.padding, outputPadding: c.outputPadding)
        }
    }

    @Test func secondDerivativesThroughTheTransposedConvolution() {
        let x = randomInput([2, 2, 5], seed: 10), w = randomInput([2, 3, 3], seed: 11)
        expectGradientsMatch([x, w]) { v in
            let leaves = v.map { $0.requiresGrad ? $0 : $0.requiringGrad() }
            let y = convTranspose1d(leaves[0], weight: leaves[1], stride: 2, padding: 1, outputPadding: 1)
            let g = gradients(of: (y * y).sum(), wrt: leaves, createGraph: true)
            return (g[0] * g[0]).sum() + (g[1] * g[1]).sum()
        }
    }

    @Test func theLayerNamesItsParametersAndDoublesTheLength() {
        var g = SeededGenerator(seed: 12)
        let layer = ConvTranspose1d(inChannels: 8, outChannels: 4, kernelSize: 2, stride: 2, generator: &g)
        #expect(layer.parameters.map(\.name) == ["weight", "bias"])
        #expect(layer.parameters.map(\.value.shape) == [[8, 4, 2], [4]])
        #expect(layer(randomInput([3, 8, 125], seed: 13)).shape == [3, 4, 250])
    }
}

@Suite struct UpsampleAndSkipTests {
    @Test func nearestRepeatsEverySample() {
        let y = upsample(Tensor(shape: [1, 2, 2], scalars: [1, 3, 5, 7]), factor: 3, mode: .nearest)
        #expect(y.shape == [1, 2, 6])
        #expect(y.copyScalars() == [1, 1, 1, 3, 3, 3, 5, 5, 5, 7, 7, 7])
    }

    @Test func linearReadsBetweenNeighboursWithCentresAligned() {
        // Output samples sit at input positions -0.25, 0.25, 0.75, 1.25 (clamped at both ends).
        let y = upsample(Tensor(shape: [1, 1, 2], scalars: [1, 3]), factor: 2, mode: .linear)
        expectClose(y.copyScalars(), [1, 1.5, 2.5, 3])
    }

    @Test(arguments: UpsampleMode.allCases) func upsamplingGradients(_ mode: UpsampleMode) {
        expectGradientsMatch([randomInput([2, 3, 5], seed: 14)]) { upsample($0[0], factor: 2, mode: mode) }
        expectGradientsMatch([randomInput([1, 2, 4], seed: 15)]) { upsample($0[0], factor: 3, mode: mode) }
    }

    @Test func theSkipStacksEncoderChannelsFirstAndSplitsTheGradientBack() {
        let encoder = Tensor(shape: [1, 1, 3], scalars: [1, 2, 3]), decoder = Tensor(shape: [1, 2, 3], scalars: [4, 5, 6, 7, 8, 9])
        let joined = skipConcatenate(encoder: encoder, decoder: decoder)
        #expect(joined.shape == [1, 3, 3])
        #expect(joined.copyScalars() == [1, 2, 3, 4, 5, 6, 7, 8, 9])
        expectGradientsMatch([randomInput([2, 2, 4], seed: 16), randomInput([2, 3, 4], seed: 17)]) {
            skipConcatenate(encoder: $0[0], decoder: $0[1]).squared()
        }
    }
}
