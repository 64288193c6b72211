import Testing
@testable import MLEngine

/// Window attention (Swin, in one dimension): what each token may see, plain and shifted, the
/// kernel held to full attention on windows cut by hand, and every gradient against central
/// differences.
@Suite struct WindowAttentionTests {
    /// 2 sequences of 12 tokens, width 4 in 2 heads, windows of 4 (shifted: by 2).
    static func inputs(seed: UInt64) -> (q: Tensor, k: Tensor, v: Tensor, bias: Tensor) {
        (randomInput([2, 12, 4], seed: seed), randomInput([2, 12, 4], seed: seed + 1), randomInput([2, 12, 4], seed: seed + 2),
         randomInput([2, 7], seed: seed + 3, low: -0.5, high: 0.5))
    }

    static func run(_ x: (q: Tensor, k: Tensor, v: Tensor, bias: Tensor), shifted: Bool) -> Tensor {
        windowAttention(query: x.q, key: x.k, value: x.v, bias: x.bias, heads: 2, window: 4, shifted: shifted)
    }

    /// Which output tokens change (batch item 0) when token `token`'s key and value change.
    static func reached(from token: Int, shifted: Bool) -> Set<Int> {
        let x = inputs(seed: 1)
        var k = x.k, v = x.v
        k.withUnsafeMutableScalars { $0[token * 4] += 1 }
        v.withUnsafeMutableScalars { $0[token * 4 + 1] += 1 }
        let before = run(x, shifted: shifted).copyScalars(), after = run((x.q, k, v, x.bias), shifted: shifted).copyScalars()
        return Set((0..<12).filter { t in (0..<4).contains { before[t * 4 + $0] != after[t * 4 + $0] } })
    }

    @Test func aTokenSeesOnlyItsOwnWindow() {
        // Plain windows: 0-3, 4-7, 8-11.
        #expect(Self.reached(from: 5, shifted: false) == [4, 5, 6, 7])
        #expect(Self.reached(from: 3, shifted: false) == [0, 1, 2, 3])
        // Shifted by 2: 2-5, 6-9, and 10-11 beside 0-1 after the roll. Token 3 now reaches across
        // the old edge between 3 and 4 ...
        #expect(Self.reached(from: 3, shifted: true) == [2, 3, 4, 5])
        // ... and the roll puts tokens 10, 11 and 0, 1 in one window, but the mask keeps the two
        // ends of the sequence apart.
        #expect(Self.reached(from: 11, shifted: true) == [10, 11])
        #expect(Self.reached(from: 0, shifted: true) == [0, 1])
    }

    @Test func plainWindowsAreFullAttentionOnTheWindowsCutByHand() {
        // With no bias, window attention is ordinary attention with each window as a sequence:
        // [2, 12, 4] is [6, 4, 4] in the same memory order.
        var x = Self.inputs(seed: 5)
        x.bias = Tensor(zeros: [2, 7])
        let cut = attention(query: x.q.reshaped([6, 4, 4]), key: x.k.reshaped([6, 4, 4]), value: x.v.reshaped([6, 4, 4]), heads: 2)
        expectClose(Self.run(x, shifted: false).copyScalars(), cut.output.copyScalars(), tolerance: 1e-5)
        // Shifted, the middle windows are the tokens 2-5 and 6-9.
        let shifted = Self.run(x, shifted: true)
        let middle = attention(query: x.q.slice(alongAxis: 1, 2..<10).reshaped([4, 4, 4]),
                               key: x.k.slice(alongAxis: 1, 2..<10).reshaped([4, 4, 4]),
                               value: x.v.slice(alongAxis: 1, 2..<10).reshaped([4, 4, 4]), heads: 2)
        expectClose(shifted.slice(alongAxis: 1, 2..<10).copyScalars(), middle.output.copyScalars(), tolerance: 1e-5)
        // The wrapped window is two windows of two: tokens 0-1 attend among themselves.
        let start = attention(query: x.q.slice(alongAxis: 1, 0..<2), key: x.k.slice(alongAxis: 1, 0..<2),
                              value: x.v.slice(alongAxis: 1, 0..<2), heads: 2)
        expectClose(shifted.slice(alongAxis: 1, 0..<2).copyScalars(), start.output.copyScalars(), tolerance: 1e-5)
    }

    @Test func theRelativeBiasFavoursAnOffset() {
        // Equal scores everywhere (zero queries): the bias alone sets the weights. A large bias on
        // offset -1 makes every token copy its left neighbour's value (the first of a window has
        // none and averages).
        let x = Self.inputs(seed: 9)
        var bias = Tensor(zeros: [2, 7])
        bias.withUnsafeMutableScalars { for h in 0..<2 { $0[h * 7 + 2] = 30 } }    // index j - i + 3 = 2
        let out = windowAttention(query: Tensor(zeros: [2, 12, 4]), key: x.k, value: x.v, bias: bias, heads: 2, window: 4,
                                  shifted: false).copyScalars()
        let v = x.v.copyScalars()
        for t in [1, 2, 3, 5, 9] { expectClose(Array(out[(t * 4)..<(t * 4 + 4)]), Array(v[((t - 1) * 4)..<(t * 4)]), tolerance: 1e-4) }
    }

    @Test func gradientsPlainAndShifted() {
        let x = Self.inputs(seed: 13)
        for shifted in [false, true] {
            expectGradientsMatch([x.q, x.k, x.v, x.bias]) {
                windowAttention(query: $0[0], key: $0[1], value: $0[2], bias: $0[3], heads: 2, window: 4, shifted: shifted)
            }
        }
        // A head 12 wide: the kernel's eight-lane loops and their tails.
        let wide = (randomInput([1, 8, 12], seed: 14), randomInput([1, 8, 12], seed: 15), randomInput([1, 8, 12], seed: 16),
                    randomInput([1, 7], seed: 17))
        expectGradientsMatch([wide.0, wide.1, wide.2, wide.3]) {
            windowAttention(query: $0[0], key: $0[1], value: $0[2], bias: $0[3], heads: 1, window: 4, shifted: true)
        }
    }

    @Test func theLayersKeepTheirShapesAndTheirGradientsCheck() {
        var g = SeededGenerator(seed: 17)
        let x = randomInput([2, 8, 8], seed: 18), w = randomInput([2, 8, 8], seed: 19)
        for shifted in [false, true] {
            // The attention half of a block (the MLP's ReLU has kinks that central differences
            // straddle): the layer's parameters, the bias among them, and its input through LayerNorm.
            let layer = WindowAttention(width: 8, heads: 2, window: 4, shifted: shifted, generator: &g)
            #expect(layer.parameters.map(\.name).last == "bias")
            let report = GradientChecker.check(layer) { model in (model(x) * w).sum() }
            #expect(report.passed, "\(report)")
            let norm = LayerNorm(features: 8)
            expectGradientsMatch([x]) { $0[0] + layer(norm($0[0])) }
            let block = SwinBlock(width: 8, heads: 2, window: 4, shifted: shifted, generator: &g)
            #expect(block(x).shape == x.shape && block.parameters.map(\.name).contains("attention.bias"))
        }
        let merge = PatchMerging(width: 8, outputs: 16, generator: &g)
        #expect(merge(x).shape == [2, 4, 16])
        let expand = PatchExpanding(width: 8, outputs: 4, factor: 4, generator: &g)
        #expect(expand(x).shape == [2, 32, 4])
        // Merging puts neighbours side by side: tokens 0 and 1 make the first merged row.
        let merged = x.reshaped([2, 4, 16]).copyScalars(), raw = x.copyScalars()
        #expect(Array(merged[0..<16]) == Array(raw[0..<16]))
    }
}
