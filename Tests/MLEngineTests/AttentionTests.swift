import Foundation
import Testing
@testable import MLEngine

/// Attention and the transformer parts around it: values worked by hand, the fused kernel held to
/// the lesson's formula written op by op, and every gradient against central differences.
@Suite struct AttentionTests {
    @Test func aWorkedExample() {
        // One query [1, 0] against keys [1, 0] and [0, 1]: scores 1/sqrt(2) and 0.
        let q = Tensor(shape: [1, 2], scalars: [1, 0])
        let k = Tensor(rows: [[1, 0], [0, 1]])
        let v = Tensor(rows: [[1, 2], [3, 4]])
        let r = scaledDotProductAttention(query: q, key: k, value: v)
        let e = Foundation.exp(Float(1 / 2.0.squareRoot()))
        let w0 = e / (e + 1), w1 = 1 / (e + 1)
        expectClose(r.weights.copyScalars(), [w0, w1])
        expectClose(r.output.copyScalars(), [w0 * 1 + w1 * 3, w0 * 2 + w1 * 4])
        #expect(r.output.shape == [1, 2] && r.weights.shape == [1, 2])
    }

    @Test func fusedKernelMatchesTheFormulaOpByOp() {
        for causal in [false, true] {
            let q = randomInput([2, 3, 5, 4], seed: 1), k = randomInput([2, 3, 7, 4], seed: 2)
            let v = randomInput([2, 3, 7, 6], seed: 3)
            let r = scaledDotProductAttention(query: q, key: k, value: v, causal: causal)
            let p = AttentionKernel.composedWeights(q, k, causal: causal)
            expectClose(r.weights.copyScalars(), p.copyScalars(), tolerance: 1e-5)
            expectClose(r.output.copyScalars(), matmul(p, v).copyScalars(), tolerance: 1e-5)
            #expect(r.output.shape == [2, 3, 5, 6] && r.weights.shape == [2, 3, 5, 7])
        }
    }

    @Test func weightsAreRowsOfProbabilitiesAndTheMaskHidesTheFuture() {
        let x = randomInput([1, 6, 8], seed: 4, low: -3, high: 3)
        let w = scaledDotProductAttention(query: x, key: x, value: x, causal: true).weights.copyScalars()
        for i in 0..<6 {
            let row = Array(w[(i * 6)..<(i * 6 + 6)])
            #expect(Swift.abs(row.reduce(0, +) - 1) < 1e-5)
            #expect(row[(i + 1)...].allSatisfy { $0 == 0 }, "row \(i) sees the future: \(row)")
            #expect(row[...i].allSatisfy { $0 > 0 })
        }
        // The first position can only attend to itself.
        #expect(w[0] == 1)
    }

    @Test func headsAreIndependentAttentionsSideBySide() {
        // Two heads on [1, 4, 6] = two single-head attentions on columns 0..<3 and 3..<6.
        let q = randomInput([1, 4, 6], seed: 5), k = randomInput([1, 5, 6], seed: 6), v = randomInput([1, 5, 4], seed: 7)
        let both = attention(query: q, key: k, value: v, heads: 2)
        for h in 0..<2 {
            let one = scaledDotProductAttention(query: q.slice(alongAxis: 2, (3 * h)..<(3 * h + 3)),
                                                key: k.slice(alongAxis: 2, (3 * h)..<(3 * h + 3)),
                                                value: v.slice(alongAxis: 2, (2 * h)..<(2 * h + 2)))
            expectClose(both.output.slice(alongAxis: 2, (2 * h)..<(2 * h + 2)).copyScalars(), one.output.copyScalars())
            expectClose(both.weights.slice(alongAxis: 1, h..<(h + 1)).copyScalars(), one.weights.copyScalars())
        }
    }

    @Test func resultsDoNotDependOnHowTheBatchIsSplitAcrossCores() {
        // Eight (item, head) problems run across the cores; each alone runs on the calling thread.
        let q = randomInput([4, 33, 16], seed: 8), k = randomInput([4, 33, 16], seed: 9), v = randomInput([4, 33, 16], seed: 10)
        let batched = attention(query: q.requiringGrad(), key: k, value: v, heads: 2, causal: true)
        for b in 0..<4 {
            let one = attention(query: q.slice(alongAxis: 0, b..<(b + 1)), key: k.slice(alongAxis: 0, b..<(b + 1)),
                                value: v.slice(alongAxis: 0, b..<(b + 1)), heads: 2, causal: true)
            #expect(batched.output.slice(alongAxis: 0, b..<(b + 1)).copyScalars() == one.output.copyScalars())
        }
    }

    // MARK: Gradients

    @Test func attentionGradientsWithoutAMask() {
        let q = randomInput([2, 4, 3], seed: 11), k = randomInput([2, 5, 3], seed: 12), v = randomInput([2, 5, 2], seed: 13)
        expectGradientsMatch([q, k, v]) { scaledDotProductAttention(query: $0[0], key: $0[1], value: $0[2]).output }
    }

    @Test func attentionGradientsWithTheCausalMask() {
        let q = randomInput([2, 5, 3], seed: 14), k = randomInput([2, 5, 3], seed: 15), v = randomInput([2, 5, 2], seed: 16)
        expectGradientsMatch([q, k, v]) { scaledDotProductAttention(query: $0[0], key: $0[1], value: $0[2], causal: true).output }
        // Self-attention: one tensor is query, key and value at once (its gradients add up).
        let x = randomInput([1, 6, 4], seed: 17)
        expectGradientsMatch([x]) { scaledDotProductAttention(query: $0[0], key: $0[0], value: $0[0], causal: true).output }
    }

    @Test func attentionGradientsWithSeveralHeads() {
        let q = randomInput([2, 4, 6], seed: 18), k = randomInput([2, 5, 6], seed: 19), v = randomInput([2, 5, 9], seed: 20)
        for causal in [false, true] {
            expectGradientsMatch([q, k, v]) { attention(query: $0[0], key: $0[1], value: $0[2], heads: 3, causal: causal).output }
        }
    }

    @Test func multiHeadAttentionLayerGradients() {
        var g = SeededGenerator(seed: 21)
        let layer = MultiHeadAttention(width: 8, heads: 2, causal: true, generator: &g)
        #expect(layer.parameters.map(\.name) == ["query.weight", "query.bias", "key.weight", "key.bias",
                                                 "value.weight", "value.bias", "output.weight", "output.bias"])
        let x = randomInput([2, 5, 8], seed: 22)
        let w = randomInput([2, 5, 8], seed: 23)
        let report = GradientChecker.check(layer) { model in (model(x) * w).sum() }
        #expect(report.passed, "\(report)")
        expectGradientsMatch([x]) { layer($0[0]) }
        // A 2-D input is one sequence; its weights come back per head.
        #expect(layer.attend(randomInput([5, 8], seed: 24)).weights.shape == [2, 5, 5])
    }

    @Test func secondDerivativesThroughAttentionAndLayerNorm() {
        // The recorded (create-graph) backward, differentiated once more.
        let x = randomInput([1, 4, 4], seed: 25)
        let w = randomInput([1, 4, 4], seed: 26)
        for f in [{ (t: Tensor) in attention(query: t, key: t * 0.5, value: t, heads: 2, causal: true).output },
                  { (t: Tensor) in t.layerNormalized() },
                  { (t: Tensor) in t.layerNormalized(weight: Tensor([0.5, 1.5, -1, 2]), bias: Tensor([0.1, 0, -0.2, 0.3])) }]
                as [(Tensor) -> Tensor] {
            expectGradientsMatch([x]) { args in
                let leaf = args[0].requiresGrad ? args[0] : args[0].requiringGrad()
                return gradients(of: (f(leaf) * w).sum(), wrt: [leaf], createGraph: true)[0]
            }
        }
    }

    @Test func theVectorExponentialMatchesTheLibrarysAndMasksToZero() {
        var inputs: [Float] = stride(from: -100, through: 88, by: 0.37).map { Float($0) }
        inputs += [0, -0.0, 1e-8, -Float.infinity]
        while inputs.count % 8 != 0 { inputs.append(0.5) }
        for start in stride(from: 0, to: inputs.count, by: 8) {
            let x = SIMD8<Float>(inputs[start..<(start + 8)])
            let e = vectorExp(x)
            for l in 0..<8 {
                let want = x[l] < -87 ? 0 : Foundation.exp(x[l])
                #expect(Swift.abs(e[l] - want) <= 3e-7 * want, "exp(\(x[l])) = \(e[l]), library \(want)")
            }
        }
    }

    // MARK: LayerNorm

    @Test func layerNormGivesEachRowMeanZeroVarianceOne() {
        let x = randomInput([3, 10], seed: 27, low: -5, high: 9)
        let y = LayerNorm(features: 10, epsilon: 0).forward(x).copyScalars()
        for r in 0..<3 {
            let row = y[(r * 10)..<(r * 10 + 10)].map(Double.init)
            let mean = row.reduce(0, +) / 10
            let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 10
            #expect(Swift.abs(mean) < 1e-5 && Swift.abs(variance - 1) < 1e-4)
        }
    }

    @Test func layerNormGradients() {
        let x = randomInput([3, 2, 5], seed: 28, low: -2, high: 2)
        expectGradientsMatch([x]) { $0[0].layerNormalized() }
        var norm = LayerNorm(features: 5)
        try? norm.setParameter("weight", to: randomInput([5], seed: 29, low: 0.5, high: 1.5))
        try? norm.setParameter("bias", to: randomInput([5], seed: 30))
        expectGradientsMatch([x]) { norm($0[0]) }
        let w = randomInput([3, 2, 5], seed: 31)
        let report = GradientChecker.check(norm) { model in (model(x) * w).sum() }
        #expect(report.passed, "\(report)")
        // The fused op gives what the normalisation, scale and shift give one by one.
        expectClose(norm(x).copyScalars(), (x.layerNormalized() * norm.weight + norm.bias).copyScalars())
    }

    // MARK: Embeddings and positions

    @Test func embeddingLooksUpRowsAndAddsUpTheirGradients() {
        var g = SeededGenerator(seed: 32)
        let table = Embedding(count: 5, width: 3, std: 1, generator: &g)
        let rows = table([4, 1, 4], shape: [1, 3])
        #expect(rows.shape == [1, 3, 3])
        #expect(Array(rows.copyScalars()[0..<3]) == Array(table.weight.copyScalars()[12..<15]))
        let w = randomInput([1, 3, 3], seed: 33)
        let report = GradientChecker.check(table) { model in (model([4, 1, 4], shape: [1, 3]) * w).sum() }
        #expect(report.passed, "\(report)")
        // Row 4 was used twice: its gradient is the sum of both uses; unused rows get none.
        let grad = withGradMode(true) { () -> [Float] in
            var copy = table
            copy.zeroGrad()
            (copy([4, 1, 4], shape: [1, 3]) * w).sum().backward()
            return copy.weight.grad!.copyScalars()
        }
        let ws = w.copyScalars()
        expectClose(Array(grad[12..<15]), [ws[0] + ws[6], ws[1] + ws[7], ws[2] + ws[8]])
        #expect(grad[0..<3].allSatisfy { $0 == 0 })
        #expect(table.forward(Tensor([4, 1])).shape == [2, 3])
    }

    @Test func theSinePatternAsWrittenAndItsDotProductsDependOnlyOnDistance() {
        let pe = SinusoidalPositionalEncoding.table(positions: 50, width: 16)
        #expect(pe[0, 0] == 0 && pe[0, 1] == 1)
        #expect(Swift.abs(pe[3, 0] - Foundation.sin(3)) < 1e-6 && Swift.abs(pe[3, 1] - Foundation.cos(3)) < 1e-6)
        let slow = Float(7 / Foundation.pow(10000.0, 4.0 / 16))
        #expect(Swift.abs(pe[7, 4] - Foundation.sin(slow)) < 1e-6)
        func dot(_ a: Int, _ b: Int) -> Float { (0..<16).reduce(0) { $0 + pe[a, $1] * pe[b, $1] } }
        // sum of cos(w_i (a - b)): the same for every pair 5 apart, and largest at distance 0.
        #expect(Swift.abs(dot(2, 7) - dot(30, 35)) < 1e-4)
        #expect(dot(10, 10) > dot(10, 11) && dot(10, 11) > dot(10, 14))
        let x = randomInput([2, 50, 16], seed: 34)
        expectClose(SinusoidalPositionalEncoding(width: 16)(x).copyScalars(), (x + pe).copyScalars())
    }

    @Test func learnedPositionsAndPatchEmbeddingGradients() {
        var g = SeededGenerator(seed: 35)
        let positions = LearnedPositionalEncoding(positions: 6, width: 3, std: 1, generator: &g)
        let x = randomInput([2, 4, 3], seed: 36)
        expectGradientsMatch([x]) { positions($0[0]) }
        let w = randomInput([2, 4, 3], seed: 37)
        #expect(GradientChecker.check(positions) { model in (model(x) * w).sum() }.passed)
        // Rows 4 and 5 were never used: no gradient reaches them.
        let report = GradientChecker.check(positions) { model in (model(x) * w).sum() }
        #expect(report.entries.filter { $0.index >= 12 }.allSatisfy { $0.backprop == 0 })

        let patches = PatchEmbedding(patchSize: 4, width: 5, generator: &g)
        let signal = randomInput([2, 12], seed: 38)
        let tokens = patches(signal)
        #expect(tokens.shape == [2, 3, 5])
        // Token 1 of sequence 1 is the projection of samples 4..<8 of that signal.
        let alone = patches.projection(signal.slice(alongAxis: 0, 1..<2).slice(alongAxis: 1, 4..<8))
        expectClose(tokens.slice(alongAxis: 0, 1..<2).slice(alongAxis: 1, 1..<2).copyScalars(), alone.copyScalars())
        let wt = randomInput([2, 3, 5], seed: 39)
        #expect(GradientChecker.check(patches) { model in (model(signal) * wt).sum() }.passed)
        expectGradientsMatch([signal]) { patches($0[0]) }
    }

    // MARK: Blocks, dropout, warmup

    @Test func theEncoderBlockGradients() {
        var g = SeededGenerator(seed: 40)
        let block = TransformerEncoderBlock(width: 8, heads: 2, mlpWidth: 12, dropout: 0.25, generator: &g)
        let x = randomInput([2, 4, 8], seed: 41)
        let w = randomInput([2, 4, 8], seed: 42)
        let report = GradientChecker.check(block) { model in (model(x) * w).sum() }
        #expect(report.passed, "\(report)")
        #expect(report.summaries.count == 16)
        expectGradientsMatch([x]) { block($0[0]) }
        // Training mode with rate 0 is evaluation mode exactly; with rate 0.25 it differs.
        var g0 = SeededGenerator(seed: 43), g1 = SeededGenerator(seed: 43)
        var plain = block
        plain.dropout = Dropout(rate: 0)
        #expect(plain.forward(x, generator: &g0) == block(x))
        #expect(block.forward(x, generator: &g1) != block(x))
    }

    @Test func dropoutGradientsFollowTheMask() {
        // The same generator state each call gives the same mask, so finite differences see it.
        let x = randomInput([3, 7], seed: 47)
        expectGradientsMatch([x]) { args in
            var dropouts = SeededGenerator(seed: 48)
            return Dropout(rate: 0.4).forward(args[0], generator: &dropouts)
        }
    }

    @Test func aBlockWhoseBranchesOutputZeroIsTheIdentity() throws {
        // The residual path: with the attention and MLP output layers zeroed, x passes unchanged.
        var g = SeededGenerator(seed: 44)
        var block = TransformerEncoderBlock(width: 4, heads: 2, mlpWidth: 6, generator: &g)
        for name in ["attention.output.weight", "attention.output.bias", "mlp2.weight", "mlp2.bias"] {
            try block.setParameter(name, to: Tensor(zeros: block.namedParameters[name]!.shape))
        }
        let x = randomInput([1, 3, 4], seed: 45)
        #expect(block(x).copyScalars() == x.copyScalars())
        var encoder = TransformerEncoder(layers: 2, width: 4, heads: 2, mlpWidth: 6, generator: &g)
        #expect(encoder.parameters.first?.name == "block0.norm1.weight" && encoder.parameters.last?.name == "norm.bias")
        let maps = encoder.attend(x).weights
        #expect(maps.count == 2 && maps[1].shape == [1, 2, 3, 3])
        encoder.zeroGrad()
    }

    @Test func dropoutIsSeededScaledAndOffInEvaluation() {
        let drop = Dropout(rate: 0.25)
        let x = Tensor(ones: [4000])
        #expect(drop(x) == x)
        var a = SeededGenerator(seed: 46), b = SeededGenerator(seed: 46)
        let ya = drop.forward(x, generator: &a), yb = drop.forward(x, generator: &b)
        #expect(ya == yb)
        let values = ya.copyScalars()
        let zeros = values.filter { $0 == 0 }.count
        #expect(values.allSatisfy { $0 == 0 || $0 == Float(1 / 0.75) })
        #expect(zeros > 900 && zeros < 1100, "\(zeros) of 4000 dropped at rate 0.25")
        #expect(drop.forward(x, generator: &a) != ya)   // the generator moved on
    }

    @Test func warmupRisesLinearlyThenHoldsOrFollowsTheCosine() {
        let flat = WarmupSchedule(peak: 1e-3, warmupSteps: 4)
        #expect([0, 1, 2, 3, 4, 100].map { flat.learningRate(atStep: $0) } == [2.5e-4, 5e-4, 7.5e-4, 1e-3, 1e-3, 1e-3])
        let cosine = WarmupSchedule(peak: 1, warmupSteps: 2, decay: .cosine(totalSteps: 12, floor: 0.1))
        #expect(cosine.learningRate(atStep: 0) == 0.5 && cosine.learningRate(atStep: 2) == 1)
        #expect(Swift.abs(cosine.learningRate(atStep: 7) - 0.55) < 1e-6)   // half way: (1 + 0.1) / 2
        #expect(cosine.learningRate(atStep: 12) == 0.1 && cosine.learningRate(atStep: 50) == 0.1)
        #expect(WarmupSchedule(peak: 0.5, warmupSteps: 0).learningRate(atStep: 0) == 0.5)
    }
}

@Suite struct SoftmaxBackwardRowsTests {
    @Test(arguments: [(false, 11, 37), (true, 11, 37), (false, 9, 70), (true, 13, 70)])
    func fourRowsAtOnceKeepEachRowsOrder(causal: Bool, rows: Int, width: Int) {
        // The reference is the kernel as first written, one row at a time; the four-row kernel
        // (used from 64 columns on) must give the same bits, causal rows of every length included.
        let p = randomInput([rows * width], seed: 5, low: 0, high: 1).copyScalars()
        var dp = randomInput([rows * width], seed: 6).copyScalars()
        let valid: (Int) -> Int = { causal ? min($0 + 1, width) : width }
        var expected = dp
        for i in 0..<rows {
            let count = valid(i)
            var dot: Float = 0
            for j in 0..<count { dot += p[i * width + j] * expected[i * width + j] }
            for j in 0..<count { expected[i * width + j] = p[i * width + j] * (expected[i * width + j] - dot) }
            for j in count..<width { expected[i * width + j] = 0 }
        }
        p.withUnsafeBufferPointer { pp in
            dp.withUnsafeMutableBufferPointer { gp in
                AttentionKernel.softmaxBackwardRows(pp.baseAddress!, gp.baseAddress!, rows: rows, width: width, valid: valid)
            }
        }
        #expect(dp.map(\.bitPattern) == expected.map(\.bitPattern))
    }
}
