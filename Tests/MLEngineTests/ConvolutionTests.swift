import Testing
@testable import MLEngine

/// The sliding dot product written as plain loops, exactly as Conv1d.swift's comment states it:
/// the reference the im2col path must match.
func naiveConv1d(_ x: Tensor, _ w: Tensor, _ bias: Tensor?, stride: Int, padding: Int, dilation: Int) -> Tensor {
    let (batch, cin, length) = (x.shape[0], x.shape[1], x.shape[2])
    let (cout, kernel) = (w.shape[0], w.shape[2])
    let outLength = (length + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1
    let xs = x.copyScalars(), ws = w.copyScalars(), bs = bias?.copyScalars()
    var y = [Float](repeating: 0, count: batch * cout * outLength)
    for b in 0..<batch {
        for o in 0..<cout {
            for t in 0..<outLength {
                var sum = Double(bs?[o] ?? 0)
                for c in 0..<cin {
                    for j in 0..<kernel {
                        let i = t * stride - padding + j * dilation
                        guard i >= 0 && i < length else { continue }
                        sum += Double(ws[(o * cin + c) * kernel + j]) * Double(xs[(b * cin + c) * length + i])
                    }
                }
                y[(b * cout + o) * outLength + t] = Float(sum)
            }
        }
    }
    return Tensor(shape: [batch, cout, outLength], scalars: y)
}

@Suite struct ConvolutionTests {
    struct Case: Sendable, CustomStringConvertible {
        var batch, cin, cout, length, kernel, stride, padding, dilation: Int
        var description: String { "b\(batch) \(cin)->\(cout) L\(length) k\(kernel) s\(stride) p\(padding) d\(dilation)" }
    }

    static let cases: [Case] = [
        Case(batch: 1, cin: 1, cout: 1, length: 7, kernel: 3, stride: 1, padding: 0, dilation: 1),
        Case(batch: 3, cin: 2, cout: 4, length: 11, kernel: 3, stride: 2, padding: 1, dilation: 1),
        Case(batch: 2, cin: 3, cout: 2, length: 13, kernel: 3, stride: 1, padding: 2, dilation: 2),
        Case(batch: 2, cin: 2, cout: 3, length: 16, kernel: 4, stride: 3, padding: 3, dilation: 2),
        Case(batch: 2, cin: 3, cout: 5, length: 6, kernel: 1, stride: 1, padding: 0, dilation: 1),  // pointwise shortcut
        Case(batch: 9, cin: 1, cout: 2, length: 5, kernel: 5, stride: 1, padding: 0, dilation: 1),  // one window, 9 samples
    ]

    @Test(arguments: cases) func matchesTheNaiveSlidingDotProduct(_ c: Case) {
        let x = randomInput([c.batch, c.cin, c.length], seed: 1)
        let w = randomInput([c.cout, c.cin, c.kernel], seed: 2)
        let bias = randomInput([c.cout], seed: 3)
        let fast = conv1d(x, weight: w, bias: bias, stride: c.stride, padding: c.padding, dilation: c.dilation)
        let slow = naiveConv1d(x, w, bias, stride: c.stride, padding: c.padding, dilation: c.dilation)
        #expect(fast.shape == slow.shape, "\(c)")
        expectClose(fast.copyScalars(), slow.copyScalars(), tolerance: 1e-5)
        let layer = Conv1d(weight: w, bias: bias, stride: c.stride, padding: c.padding, dilation: c.dilation)
        #expect(layer.outputLength(for: c.length) == slow.shape[2])
    }

    @Test func matchesTheNaiveReferenceOnALargeProduct() {
        // Big enough for the packed GEMM and both cores (the small cases above take the naive path).
        let x = randomInput([16, 24, 90], seed: 4), w = randomInput([32, 24, 5], seed: 5), bias = randomInput([32], seed: 6)
        let fast = conv1d(x, weight: w, bias: bias, padding: 2)
        expectClose(fast.copyScalars(), naiveConv1d(x, w, bias, stride: 1, padding: 2, dilation: 1).copyScalars(), tolerance: 1e-4)
    }

    @Test(arguments: cases) func gradientsToInputWeightAndBias(_ c: Case) {
        let x = randomInput([c.batch, c.cin, c.length], seed: 7)
        let w = randomInput([c.cout, c.cin, c.kernel], seed: 8)
        let bias = randomInput([c.cout], seed: 9)
        expectGradientsMatch([x, w, bias]) {
            conv1d($0[0], weight: $0[1], bias: $0[2], stride: c.stride, padding: c.padding, dilation: c.dilation)
        }
    }

    @Test func secondDerivativesThroughTheGradientOps() {
        // d/dx of a loss built from d(conv)/dw: exercises the input- and weight-gradient ops'
        // own backward passes (create-graph), which later chapters' losses may need.
        let x = randomInput([2, 2, 9], seed: 10), w = randomInput([3, 2, 3], seed: 11)
        expectGradientsMatch([x, w]) { v in
            let leaves = v.map { $0.requiresGrad ? $0 : $0.requiringGrad() }  // finite-difference passes get plain tensors
            let y = conv1d(leaves[0], weight: leaves[1], stride: 2, padding: 1, dilation: 2)
            let g = gradients(of: (y * y).sum(), wrt: leaves, createGraph: true)
            return (g[0] * g[0]).sum() + (g[1] * g[1]).sum()
        }
    }

    @Test func theLayerNamesItsParametersAndTrains() {
        var g = SeededGenerator(seed: 12)
        var layer = Conv1d(inChannels: 2, outChannels: 4, kernelSize: 5, padding: 2, generator: &g)
        #expect(layer.parameters.map(\.name) == ["weight", "bias"])
        #expect(layer.parameters.map(\.value.shape) == [[4, 2, 5], [4]])
        #expect(layer.parameterCount == 4 * 2 * 5 + 4)
        let x = randomInput([3, 2, 20], seed: 13)
        #expect(layer(x).shape == [3, 4, 20])
        // Learn to copy the input's first channel: the loss must fall.
        let target = conv1d(x, weight: Tensor(shape: [4, 2, 5], scalars: (0..<40).map { $0 % 10 == 2 ? 1 : 0 }), padding: 2)
        var opt = Adam(learningRate: 0.05)
        func loss() -> Float { withNoGrad { (layer(x) - target).squared().mean().item } }
        let before = loss()
        for _ in 0..<60 {
            layer.zeroGrad()
            (layer(x) - target).squared().mean().backward()
            opt.step(&layer)
        }
        #expect(loss() < before * 0.05, "loss \(before) -> \(loss())")
    }

    @Test func resultsDoNotDependOnTheBatchSplit() {
        // Each sample's output is the same alone or in a batch (the groups of samples are only
        // a way to share the work), and the weight gradient is the sum over samples.
        let x = randomInput([10, 3, 30], seed: 14), w = randomInput([4, 3, 5], seed: 15)
        let all = conv1d(x, weight: w, padding: 2)
        let third = conv1d(x.slice(alongAxis: 0, 3..<4), weight: w, padding: 2)
        #expect(all.slice(alongAxis: 0, 3..<4) == third)
        let wg = w.requiringGrad()
        conv1d(x, weight: wg, padding: 2).sum().backward()
        var summed = Tensor(zeros: w.shape)
        for b in 0..<10 {
            let wb = w.requiringGrad()
            conv1d(x.slice(alongAxis: 0, b..<(b + 1)), weight: wb, padding: 2).sum().backward()
            summed = summed + wb.grad!
        }
        expectClose(wg.grad!.copyScalars(), summed.copyScalars(), tolerance: 1e-4)
    }
}

@Suite struct PoolingTests {
    /// The 2-wide, stride-2 window has a vectorised path (eight windows at a time); on rows long
    /// enough to use it, with a tail, ties, NaNs and infinities, it picks what the definition
    /// picks: the first largest sample, a number over NaN, and the gradient lands on that one.
    @Test func theTwoWideWindowPicksTheFirstLargestEvenWithNaN() {
        var rng = SeededGenerator(seed: 17)
        let length = 41
        var values = (0..<(3 * length)).map { _ in Float(rng.int(below: 5)) }
        for index in [0, 3, 4, 9, 50, 51, 77, 100] { values[index] = .nan }
        values[20] = .infinity
        values[61] = -.infinity
        let x = Tensor(shape: [3, length], scalars: values).requiringGrad()
        let y = maxPool1d(x, kernelSize: 2)
        y.sum().backward()
        let windows = length / 2
        var expected: [Float] = [], expectedGrad = [Float](repeating: 0, count: values.count)
        for r in 0..<3 {
            for t in 0..<windows {
                let first = r * length + 2 * t, a = values[first], b = values[first + 1]
                let second = b > a || (a.isNaN && !b.isNaN)
                expected.append(second ? b : a)
                expectedGrad[first + (second ? 1 : 0)] = 1
            }
        }
        #expect(y.copyScalars().map(\.bitPattern) == expected.map(\.bitPattern))
        #expect(x.grad!.copyScalars() == expectedGrad)
    }

    @Test func maxPoolKeepsTheLargestAndRoutesTheGradientToIt() {
        let x = Tensor(shape: [1, 1, 7], scalars: [1, 5, 2, 2, -1, 0, 9])
        let xg = x.requiringGrad()
        let y = maxPool1d(xg, kernelSize: 2)
        #expect(y.copyScalars() == [5, 2, 0])       // the last sample (9) has no whole window
        (y * Tensor(shape: [1, 1, 3], scalars: [10, 20, 30])).sum().backward()
        // Ties go to the first position (2 at index 2); each gradient lands on its window's winner.
        #expect(xg.grad!.copyScalars() == [0, 10, 20, 0, 0, 30, 0])
        // Overlapping windows (stride 1): a sample that wins two windows gets both gradients.
        let xo = x.requiringGrad()
        maxPool1d(xo, kernelSize: 3, stride: 1).sum().backward()
        #expect(maxPool1d(x, kernelSize: 3, stride: 1).copyScalars() == [5, 5, 2, 2, 9])
        #expect(xo.grad!.copyScalars() == [0, 2, 1, 1, 0, 0, 1])
    }

    @Test func averagePoolAndItsGradient() {
        let x = Tensor(shape: [1, 2, 4], scalars: [1, 3, 5, 7, 0, 2, 4, 8])
        #expect(avgPool1d(x, kernelSize: 2).copyScalars() == [2, 6, 1, 6])
        expectClose(avgPool1d(x, kernelSize: 3, stride: 1).copyScalars(), [3, 5, 2, 14.0 / 3])
        let xg = x.requiringGrad()
        avgPool1d(xg, kernelSize: 2).sum().backward()
        #expect(xg.grad!.copyScalars() == [Float](repeating: 0.5, count: 8))
    }

    @Test func poolingGradientsMatchFiniteDifferences() {
        // Values spaced at least 0.05 apart, so no finite-difference step changes a window's winner.
        var g = SeededGenerator(seed: 21)
        let order = g.permutation(3 * 2 * 11)
        let x = Tensor(shape: [3, 2, 11], scalars: order.map { Float($0) * 0.05 - 1.6 })
        expectGradientsMatch([x]) { maxPool1d($0[0], kernelSize: 2) }
        expectGradientsMatch([x]) { maxPool1d($0[0], kernelSize: 3, stride: 2) }
        expectGradientsMatch([x]) { maxPool1d($0[0], kernelSize: 4, stride: 1) }
        expectGradientsMatch([x]) { avgPool1d($0[0], kernelSize: 2) }
        expectGradientsMatch([x]) { avgPool1d($0[0], kernelSize: 3, stride: 2) }
        expectGradientsMatch([x]) { GlobalAvgPool1d()($0[0]) }
        expectGradientsMatch([x]) { GlobalMaxPool1d()($0[0]) }
        expectGradientsMatch([x]) { Flatten()($0[0]) * Tensor(shape: [22], scalars: (0..<22).map { Float($0) }) }
        // Second order: the gradient ops (scatter/gather, spread/average) are differentiable too.
        expectGradientsMatch([x]) { v in
            let leaf = v[0].requiresGrad ? v[0] : v[0].requiringGrad()
            let y = maxPool1d(leaf, kernelSize: 3, stride: 2)
            return gradients(of: (y * y * y).sum(), wrt: [leaf], createGraph: true)[0]
        }
        expectGradientsMatch([x]) { v in
            let leaf = v[0].requiresGrad ? v[0] : v[0].requiringGrad()
            let y = avgPool1d(leaf, kernelSize: 3, stride: 2)
            return gradients(of: (y * y * y).sum(), wrt: [leaf], createGraph: true)[0]
        }
    }

    @Test func globalPoolsAndFlattenShapes() {
        let x = Tensor(shape: [2, 3, 4], scalars: (0..<24).map { Float($0) })
        #expect(GlobalAvgPool1d()(x).shape == [2, 3])
        #expect(GlobalAvgPool1d()(x).copyScalars() == [1.5, 5.5, 9.5, 13.5, 17.5, 21.5])
        #expect(GlobalMaxPool1d()(x).copyScalars() == [3, 7, 11, 15, 19, 23])
        #expect(Flatten()(x).shape == [2, 12])
        #expect(Flatten()(x).copyScalars() == x.copyScalars())
        #expect(MaxPool1d(kernelSize: 2)(x).shape == [2, 3, 2])
        #expect(AvgPool1d(kernelSize: 3, stride: 1)(x).shape == [2, 3, 2])
    }
}

@Suite struct ReceptiveFieldTests {
    @Test func theChapterFourStack() {
        // Conv(k5, pad 2) ReLU MaxPool(2) Conv(k5, pad 2) ReLU MaxPool(2): 5, 6, 14, 16 samples.
        var g = SeededGenerator(seed: 1)
        let model = Sequential(named: [
            ("conv1", Conv1d(inChannels: 1, outChannels: 4, kernelSize: 5, padding: 2, generator: &g)), ("relu1", ReLU()),
            ("pool1", MaxPool1d(kernelSize: 2)),
            ("conv2", Conv1d(inChannels: 4, outChannels: 4, kernelSize: 5, padding: 2, generator: &g)), ("relu2", ReLU()),
            ("pool2", MaxPool1d(kernelSize: 2)), ("gap", GlobalAvgPool1d()),
        ])
        let fields = model.receptiveFields
        #expect(fields.map(\.name) == ["conv1", "pool1", "conv2", "pool2"])
        #expect(fields.map(\.field.size) == [5, 6, 14, 16])
        #expect(fields.map(\.field.jump) == [1, 2, 2, 4])
        #expect(fields.map(\.field.start) == [-2, -2, -6, -6])
    }

    @Test func knownStacks() {
        // Three 3-tap convolutions: 3, 5, 7 (the VGG argument: two 3s see as far as one 5).
        #expect(ReceptiveField.stack(Array(repeating: SlidingWindow(kernel: 3), count: 3)).map(\.size) == [3, 5, 7])
        // WaveNet-style dilations 1, 2, 4, 8 with kernel 2: 2, 4, 8, 16.
        #expect(ReceptiveField.stack([1, 2, 4, 8].map { SlidingWindow(kernel: 2, dilation: $0) }).map(\.size) == [2, 4, 8, 16])
        // Stride multiplies the step: k3 s2, k3 s2, k3 -> 3, 7, 15.
        let strided = ReceptiveField.stack([SlidingWindow(kernel: 3, stride: 2), SlidingWindow(kernel: 3, stride: 2), SlidingWindow(kernel: 3)])
        #expect(strided.map(\.size) == [3, 7, 15])
        #expect(strided.last?.jump == 4)
        #expect(ReceptiveField.stack([]).isEmpty)
    }

    @Test func theFieldIsWhatAUnitReallySees() {
        // Perturb one input sample; exactly the units whose span holds it change.
        var g = SeededGenerator(seed: 2)
        let model = Sequential([
            Conv1d(inChannels: 1, outChannels: 2, kernelSize: 3, stride: 2, padding: 1, generator: &g), ReLU(),
            AvgPool1d(kernelSize: 2),
            Conv1d(inChannels: 2, outChannels: 2, kernelSize: 3, padding: 1, dilation: 2, generator: &g),
        ])
        let field = try! #require(model.receptiveFields.last?.field)
        let x = randomInput([1, 1, 64], seed: 3, low: 0.5, high: 1)
        let base = withNoGrad { model(x) }
        let position = 30
        var bumped = x
        bumped.withUnsafeMutableScalars { $0[position] += 1 }
        let moved = withNoGrad { model(bumped) }
        let units = base.shape[2]
        for unit in 0..<units {
            let changed = (0..<2).contains { c in base[0, c, unit] != moved[0, c, unit] }
            if changed { #expect(field.span(ofUnit: unit).contains(position), "unit \(unit) changed outside its field") }
        }
        // And the field is not too wide: some unit whose span holds the sample does change.
        #expect((0..<units).contains { u in field.span(ofUnit: u).contains(position) && (0..<2).contains { base[0, $0, u] != moved[0, $0, u] } })
    }
}
