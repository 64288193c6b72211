import Testing
@testable import MLEngine

/// The in-place GEMM reads a convolution's windows straight from the signal instead of copying
/// them into an im2col matrix. It promises the packed path's bits exactly, so checkpoints, replays
/// and every number a lesson quotes stay what they were. These tests hold it to that.
@Suite struct InPlaceConvolutionTests {
    /// Shapes with ragged edges on every side: rows not a multiple of 8, columns not a multiple
    /// of 32, depths over one 256-deep chunk, paddings 0 and 2, one input channel.
    static let shapes: [(batch: Int, cin: Int, cout: Int, length: Int, kernel: Int, padding: Int)] = [
        (3, 1, 16, 200, 5, 2),
        (2, 16, 16, 130, 5, 2),
        (2, 13, 21, 77, 3, 1),
        (3, 64, 40, 70, 5, 2),     // depth 320: two chunks in the forward
        (2, 9, 11, 300, 1, 0),     // pointwise; weight-gradient depth 300: two chunks
        (4, 24, 8, 45, 7, 0),
    ]

    @Test(.enabled(if: InPlaceOperands.applies(m: 16, n: 64, k: 16), "needs the AVX-512 kernel"),
          arguments: 0..<shapes.count)
    func convolutionKernelsGiveTheIm2colPathsBits(index: Int) {
        let s = Self.shapes[index]
        let seed = UInt64(100 + index)
        let x = randomInput([s.batch, s.cin, s.length], seed: seed)
        let w = randomInput([s.cout, s.cin, s.kernel], seed: seed + 1)
        let bias = randomInput([s.cout], seed: seed + 2)
        let geo = ConvGeometry(batch: s.batch, inChannels: s.cin, outChannels: s.cout,
                               plan: WindowPlan(length: s.length, kernel: s.kernel, stride: 1, padding: s.padding, dilation: 1))
        let g = randomInput([s.batch, s.cout, geo.outLength], seed: seed + 3)
        for b in [bias, nil] {
            let viaColumns = ConvGeometry.forwardKernel(x, w, bias: b, geo, path: .im2col).copyScalars()
            let inPlace = ConvGeometry.forwardKernel(x, w, bias: b, geo, path: .inPlace).copyScalars()
            #expect(firstDifference(viaColumns, inPlace) == nil, "forward, bias \(b != nil)")
        }
        let dxColumns = ConvGeometry.inputGradientKernel(g, w, geo, path: .im2col).copyScalars()
        let dxInPlace = ConvGeometry.inputGradientKernel(g, w, geo, path: .inPlace).copyScalars()
        #expect(firstDifference(dxColumns, dxInPlace) == nil, "input gradient")
        let dwColumns = ConvGeometry.weightGradientKernel(g, x, geo, path: .im2col).copyScalars()
        let dwInPlace = ConvGeometry.weightGradientKernel(g, x, geo, path: .inPlace).copyScalars()
        #expect(firstDifference(dwColumns, dwInPlace) == nil, "weight gradient")
        // And both are the convolution: the plain loops agree to rounding.
        expectClose(ConvGeometry.forwardKernel(x, w, bias: bias, geo, path: .inPlace).copyScalars(),
                    naiveConv1d(x, w, bias, stride: 1, padding: s.padding, dilation: 1).copyScalars(), tolerance: 1e-4)
    }

    @Test(.enabled(if: InPlaceOperands.applies(m: 16, n: 64, k: 16), "needs the AVX-512 kernel"))
    func inPlaceProductMatchesPackedGEMMWithStridedOperands() {
        // A read transposed (row stride 1, depth stride lda) and B rows at scattered offsets,
        // against gemm on the same matrices copied out plainly.
        let (m, n, k) = (19, 45, 300)
        let a = randomInput([k, m], seed: 7).copyScalars()          // stored as Aᵀ
        let bStorage = randomInput([k * 50 + 40], seed: 8).copyScalars()
        let offsets = (0..<k).map { ($0 * 37) % (k * 50) }          // rows in any order, overlapping
        var plainB = [Float](repeating: 0, count: k * n)
        for p in 0..<k { for j in 0..<n { plainB[p * n + j] = bStorage[offsets[p] + j] } }
        let start = randomInput([m * n], seed: 9).copyScalars()
        for beta: Float in [0, 1, 0.5] {
            var expected = start, actual = start
            a.withUnsafeBufferPointer { pa in
                plainB.withUnsafeBufferPointer { pb in
                    expected.withUnsafeMutableBufferPointer { pc in
                        gemm(transA: true, transB: false, m: m, n: n, k: k, alpha: 1, a: pa.baseAddress!, lda: m,
                             b: pb.baseAddress!, ldb: n, beta: beta, c: pc.baseAddress!, ldc: n, threads: 1)
                    }
                }
                bStorage.withUnsafeBufferPointer { pb in
                    offsets.withUnsafeBufferPointer { po in
                        actual.withUnsafeMutableBufferPointer { pc in
                            InPlaceOperands(m: m, n: n, k: k, a: pa.baseAddress!, aRowStride: 1, aDepthStride: m,
                                            b: pb.baseAddress!, bRowOffsets: po.baseAddress!, beta: beta,
                                            c: pc.baseAddress!, ldc: n).multiply()
                        }
                    }
                }
            }
            #expect(firstDifference(expected, actual) == nil, "beta \(beta)")
        }
    }

    @Test(arguments: [3, 4, 7])
    func biasGradientSumsAddInTimeOrder(channels: Int) {
        // The bias gradients interleave four channels' sums for speed; each channel must still be
        // one chain of additions in (sample, time) order, exactly as written plainly here.
        let x = randomInput([3, channels, 101], seed: 40 + UInt64(channels))
        let xs = x.copyScalars()
        var floatChains = [Float](repeating: 0, count: channels), doubleChains = [Double](repeating: 0, count: channels)
        for c in 0..<channels {
            var total = 0.0
            for b in 0..<3 {
                var sum: Float = 0
                for t in 0..<101 {
                    sum += xs[(b * channels + c) * 101 + t]
                    doubleChains[c] += Double(xs[(b * channels + c) * 101 + t])
                }
                total += Double(sum)
            }
            floatChains[c] = Float(total)
        }
        #expect(firstDifference(x.channelSums().copyScalars(), floatChains) == nil)
        #expect(firstDifference(sumToShapeKernel(x, [1, channels, 1]).copyScalars(), doubleChains.map { Float($0) }) == nil)
    }

    @Test func stridedAndDilatedConvolutionsKeepTheIm2colPath() {
        let strided = ConvGeometry(batch: 2, inChannels: 16, outChannels: 16,
                                   plan: WindowPlan(length: 200, kernel: 5, stride: 2, padding: 2, dilation: 1))
        let dilated = ConvGeometry(batch: 2, inChannels: 16, outChannels: 16,
                                   plan: WindowPlan(length: 200, kernel: 5, stride: 1, padding: 4, dilation: 2))
        for geo in [strided, dilated] {
            let x = randomInput([2, 16, 200], seed: 3), w = randomInput([16, 16, 5], seed: 4)
            let g = randomInput([2, 16, geo.outLength], seed: 5)
            // Whatever path they pick, they are still the convolution and its gradients.
            expectClose(ConvGeometry.forwardKernel(x, w, bias: nil, geo).copyScalars(),
                        naiveConv1d(x, w, nil, stride: geo.plan.stride, padding: geo.plan.padding,
                                    dilation: geo.plan.dilation).copyScalars(), tolerance: 1e-4)
            #expect(firstDifference(ConvGeometry.weightGradientKernel(g, x, geo).copyScalars(),
                                    ConvGeometry.weightGradientKernel(g, x, geo, path: .im2col).copyScalars()) == nil)
        }
    }
}

/// Where two arrays first differ in any bit (or in length), described; nil when identical.
private func firstDifference(_ a: [Float], _ b: [Float]) -> String? {
    guard a.count == b.count else { return "lengths \(a.count) and \(b.count)" }
    guard let i = a.indices.first(where: { a[$0].bitPattern != b[$0].bitPattern }) else { return nil }
    return "element \(i): \(a[i]) vs \(b[i])"
}
