import Foundation
import Testing
@testable import MLEngine

@Suite struct SegmentationLossTests {
    /// Logits 0 for both classes make every probability 0.5, so the sums are easy by hand.
    /// Labels [0, 1, 1, 1]: class 1 overlap 0.5 x 3 = 1.5, predicted size 4 x 0.5 = 2, true size 3.
    @Test func softDiceByHand() throws {
        let logits = Tensor(zeros: [1, 2, 4])
        let dice = try softDiceScores(logits: logits, labels: [0, 1, 1, 1], smoothing: 1).copyScalars()
        expectClose(dice, [(2 * 0.5 + 1) / (2 + 1 + 1), (2 * 1.5 + 1) / (2 + 3 + 1)])    // 0.5, 0.667
        let loss = try softDiceLoss(logits: logits, labels: [0, 1, 1, 1], smoothing: 1).item
        #expect(Swift.abs(loss - (1 - 4.0 / 6)) < 1e-6)
    }

    @Test func aMissedWaveScoresZeroDiceHoweverSmallItIs() throws {
        // A confident "all background" answer: 10 samples, one of them a wave.
        let logits = Tensor(shape: [1, 2, 10], scalars: Array(repeating: 20, count: 10) + Array(repeating: -20, count: 10))
        let labels = [0, 0, 0, 0, 1, 0, 0, 0, 0, 0]
        let dice = try softDiceScores(logits: logits, labels: labels, smoothing: 0).copyScalars()
        #expect(dice[1] < 1e-6)          // the wave: missed, 0
        #expect(dice[0] > 0.94)          // the background: 2 x 9 / (10 + 9)
        // Cross-entropy barely notices: nine samples are right, one is wrong by 40 nats, mean 4.
        let ce = try segmentationCrossEntropy(logits: logits, labels: labels).item
        #expect(Swift.abs(ce - 4) < 1e-3)
    }

    @Test func classWeightsScaleEachSampleByItsTrueClass() throws {
        // Sample 0: p = [0.75, 0.25], true 0 -> -ln 0.75; sample 1: p = [0.5, 0.5], true 1 -> ln 2.
        let logits = Tensor(shape: [1, 2, 2], scalars: [Float(Foundation.log(3.0)), 0, 0, 0])
        let plain = try segmentationCrossEntropy(logits: logits, labels: [0, 1]).item
        let weighted = try segmentationCrossEntropy(logits: logits, labels: [0, 1], classWeights: [1, 3]).item
        let (a, b) = (-Foundation.log(0.75), Foundation.log(2.0))
        #expect(Swift.abs(Double(plain) - (a + b) / 2) < 1e-5)
        #expect(Swift.abs(Double(weighted) - (a + 3 * b) / 4) < 1e-5)
    }

    @Test func diceAndCrossEntropyAddWithWeightsOneAndOne() throws {
        let logits = randomInput([2, 4, 6], seed: 3)
        let labels = (0..<12).map { ($0 * 7) % 4 }
        let sum = try softDiceLoss(logits: logits, labels: labels).item + segmentationCrossEntropy(logits: logits, labels: labels).item
        #expect(Swift.abs(try diceCrossEntropy(logits: logits, labels: labels).item - sum) < 1e-6)
    }

    @Test func gradientsOfTheThreeLosses() {
        let logits = randomInput([2, 4, 5], seed: 4)
        let labels = (0..<10).map { ($0 * 3 + 1) % 4 }
        expectGradientsMatch([logits]) { (try? softDiceLoss(logits: $0[0], labels: labels)) ?? Tensor(0) }
        expectGradientsMatch([logits]) { (try? segmentationCrossEntropy(logits: $0[0], labels: labels, classWeights: [0.5, 2, 1, 3])) ?? Tensor(0) }
        expectGradientsMatch([logits]) { (try? diceCrossEntropy(logits: $0[0], labels: labels)) ?? Tensor(0) }
    }

    @Test func badLabelsAreRefusedWithAMessage() {
        #expect(throws: EngineError.self) { try softDiceLoss(logits: Tensor(zeros: [1, 3, 4]), labels: [0, 1, 2, 3]) }
        #expect(throws: EngineError.self) { try segmentationCrossEntropy(logits: Tensor(zeros: [1, 3, 4]), labels: [0, 1]) }
        #expect(throws: EngineError.self) { try segmentationCrossEntropy(logits: Tensor(zeros: [1, 2, 2]), labels: [0, 1], classWeights: [1]) }
    }
}
