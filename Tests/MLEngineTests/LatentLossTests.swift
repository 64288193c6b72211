import Foundation
import Testing
@testable import MLEngine

@Suite struct GaussianLatentTests {
    @Test func klByHand() throws {
        // mean 0, variance 1: KL 0. mean 1, log variance 0: 1/2 * 1 = 0.5 per dimension.
        let zero = try gaussianKL(mean: Tensor(zeros: [3, 2]), logVariance: Tensor(zeros: [3, 2]))
        #expect(zero.item == 0)
        let shifted = try gaussianKL(mean: Tensor(rows: [[1, 1]]), logVariance: Tensor(rows: [[0, 0]]))
        #expect(Swift.abs(shifted.item - 1) < 1e-6)
        // mean 0, log variance log 2: 1/2 (2 - 1 - log 2) = 0.1534 (one dimension, batch 2: averaged).
        let wide = try gaussianKL(mean: Tensor(rows: [[0], [0]]), logVariance: Tensor(rows: [[Float(0.6931472)], [Float(0.6931472)]]))
        #expect(Swift.abs(wide.item - 0.1534264) < 1e-5)
    }

    @Test func klGradientsMatchFiniteDifferences() {
        let mean = randomInput([4, 2], seed: 1), logVariance = randomInput([4, 2], seed: 2)
        expectGradientsMatch([mean, logVariance]) { try! gaussianKL(mean: $0[0], logVariance: $0[1]) }
    }

    @Test func reparameterisationByHandAndItsGradients() throws {
        // mean 1, log variance log 4 (sd 2), noise 0.5: 1 + 2 x 0.5 = 2.
        let z = try reparameterise(mean: Tensor([1]), logVariance: Tensor([Float(1.3862944)]), noise: Tensor([0.5]))
        #expect(Swift.abs(z.item - 2) < 1e-5)
        var g = SeededGenerator(seed: 3)
        let noise = Tensor.normal([3, 2], generator: &g)
        let mean = randomInput([3, 2], seed: 4), logVariance = randomInput([3, 2], seed: 5)
        // A non-linear function of the code so every entry's gradient matters.
        expectGradientsMatch([mean, logVariance]) { try! reparameterise(mean: $0[0], logVariance: $0[1], noise: noise).squared().sum() }
        #expect(throws: EngineError.self) { try reparameterise(mean: Tensor([1, 2]), logVariance: Tensor([0]), noise: Tensor([0])) }
    }
}

@Suite struct NTXentTests {
    @Test func byHand() throws {
        // Views: a = (1, 0), b = (0, 1), a' = (2, 0), b' = (0, 3) (lengths do not matter).
        // Row a, temperature 1: logits to b, a', b' are 0, 1, 0 -> -log(e / (e + 2)) = 0.5514.
        // Every row is alike, so the average is the same.
        let views = Tensor(rows: [[1, 0], [0, 1], [2, 0], [0, 3]])
        let loss = try ntXentLoss(views, temperature: 1)
        let expected = -Foundation.log(Foundation.exp(1.0) / (Foundation.exp(1.0) + 2))
        #expect(Swift.abs(Double(loss.item) - expected) < 1e-5)
        // A lower temperature sharpens: the same geometry at 0.5 costs -log(e^2 / (e^2 + 2)).
        let sharp = try ntXentLoss(views, temperature: 0.5)
        #expect(Swift.abs(Double(sharp.item) + Foundation.log(Foundation.exp(2.0) / (Foundation.exp(2.0) + 2))) < 1e-5)
        // Views pointing away from their partner cost more.
        let crossed = try ntXentLoss(Tensor(rows: [[1, 0], [0, 1], [0, 1], [1, 0]]), temperature: 1)
        #expect(crossed.item > loss.item)
    }

    @Test func gradientsMatchFiniteDifferences() {
        let views = randomInput([6, 3], seed: 8, gap: 0.1)
        expectGradientsMatch([views]) { try! ntXentLoss($0[0], temperature: 0.5) }
    }

    @Test func badInputIsRefused() {
        #expect(throws: EngineError.self) { try ntXentLoss(Tensor(rows: [[1, 0], [0, 1], [1, 1]]), temperature: 0.5) }
        #expect(throws: EngineError.self) { try ntXentLoss(Tensor(rows: [[1, 0], [0, 1]]), temperature: 0) }
    }
}
