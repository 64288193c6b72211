import Foundation
import Testing
@testable import MLEngine

/// Chapter 8's worked numbers (SYLLABUS.md, issue 15) for the losses beyond MSE, MAE, BCE and CE
/// (those are in LossTests), each to 3 significant digits, and every new loss gradient-checked.
@Suite struct LossChapterTests {
    /// Logits whose softmax is exactly `probabilities`.
    func logits(_ probabilities: [Float]) -> Tensor { Tensor(rows: [probabilities.map { Foundation.log($0) }]) }

    func close(_ a: Float, _ b: Float, digits: Float = 3) -> Bool {
        Swift.abs(a - b) <= 0.5 * Foundation.pow(10, Foundation.floor(Foundation.log10(Swift.abs(b))) - digits + 1)
    }

    @Test func crossEntropyWorkedNumbersToThreeDigits() throws {
        #expect(close(try crossEntropy(logits: logits([0.9, 0.05, 0.05]), labels: [0]).item, 0.1054))
        #expect(close(try crossEntropy(logits: logits([0.02, 0.49, 0.49]), labels: [0]).item, 3.912))
        func bce(_ p: Float, _ y: Float) throws -> Float {
            try binaryCrossEntropy(logits: Tensor([Foundation.log(p / (1 - p))]), targets: Tensor([y])).item
        }
        #expect(close(try bce(0.9, 1), 0.1054))
        #expect(close(try bce(0.1, 1), 2.303))
        #expect(close(try bce(0.01, 1), 4.605))
        #expect(close(try bce(0.5, 1), 0.6931))
    }

    @Test func focalIsCrossEntropyTimesOneMinusPToTheGamma() throws {
        let easy = logits([0.9, 0.05, 0.05]), hard = logits([0.1, 0.45, 0.45])
        // gamma 0 is cross-entropy.
        #expect(close(try focalLoss(logits: easy, labels: [0], gamma: 0).item, 0.1054))
        // gamma 2: the easy sample keeps 0.1^2 = 1% of 0.1054, the hard one 0.9^2 = 81% of 2.303.
        #expect(close(try focalLoss(logits: easy, labels: [0], gamma: 2).item, 0.001054))
        #expect(close(try focalLoss(logits: hard, labels: [0], gamma: 2).item, 1.865))
        // alpha multiplies by the true class's weight.
        #expect(close(try focalLoss(logits: hard, labels: [0], gamma: 2, alpha: [0.25, 1, 1]).item, 0.4663))
        #expect(close(try focalLoss(logits: hard, labels: [1], gamma: 0, alpha: [0.25, 3, 1]).item, 3 * 0.7985))
        #expect(focalWeights(probabilities: [0.9, 0.1], gamma: 2).map { ($0 * 100).rounded() } == [1, 81])
    }

    @Test func huberIsHalfMSEWithinDeltaAndLinearBeyond() throws {
        #expect(try huberLoss(Tensor([79.5]), Tensor([80]), delta: 1).item == 0.125)          // 0.5 x 0.5^2
        #expect(try huberLoss(Tensor([72]), Tensor([80]), delta: 1).item == 7.5)              // 1 x (8 - 0.5)
        #expect(try huberLoss(Tensor([60]), Tensor([80]), delta: 5).item == 87.5)             // 5 x (20 - 2.5)
        #expect(try huberLoss(Tensor([72, 79.5]), Tensor([80, 80]), delta: 1).item == (7.5 + 0.125) / 2)
    }

    @Test func categoricalKLWorkedNumbersAndAsymmetry() throws {
        let p = Tensor(rows: [[0.3, 0.7]]), q = Tensor(rows: [[0.5, 0.5]])
        #expect(close(try categoricalKL(p, q).item, 0.0823))
        #expect(close(try categoricalKL(q, p).item, 0.0872))
        #expect(try categoricalKL(p, p).item == 0)
        // 0 log 0 counts 0.
        #expect(close(try categoricalKL(Tensor(rows: [[0, 1]]), q).item, Float(Foundation.log(2.0))))
    }

    @Test func discountWorkedNumber() throws {
        let late = [Float](repeating: 0, count: 100) + [1]
        #expect(close(try discountedReturn(rewards: late, discount: 0.99), 0.366))
        #expect(try discountedReturn(rewards: [1, 2, 3], discount: 0.5) == 1 + 1 + 0.75)
        // The TD loss's target is reward + discount x next value; its gradient is Q - target.
        let q = Tensor(rows: [[2, 5]]).requiringGrad()
        let target = Tensor([1 + 0.99 * 4])
        let loss = try temporalDifferenceLoss(values: q, actions: [1], targets: target)
        #expect(close(loss.item, 0.5 * (5 - 4.96) * (5 - 4.96), digits: 2))
        loss.backward()
        expectClose(q.grad!.copyScalars(), [0, 5 - 4.96], tolerance: 1e-4)
    }

    @Test func policyGradientIsMinusLogPiTimesReturn() throws {
        // pi(a) = 0.25, return 2: loss = -log 0.25 x 2 = 2.773.
        let loss = try policyGradientLoss(logits: logits([0.25, 0.75]), actions: [0], advantages: Tensor([2]))
        #expect(close(loss.item, 2.773))
    }

    @Test func newLossesAreGradientChecked() {
        let z = randomInput([4, 3], seed: 80, low: -2, high: 2)
        let labels = [2, 0, 1, 1]
        expectGradientsMatch([z]) { try! focalLoss(logits: $0[0], labels: labels, gamma: 2) }
        expectGradientsMatch([z]) { try! focalLoss(logits: $0[0], labels: labels, gamma: 0.5, alpha: [0.2, 1, 3]) }
        let target = randomInput([4, 3], seed: 81, low: -3, high: 3)
        // Misses spread across both sides of delta (none within the finite-difference step of a kink).
        let prediction = target + randomInput([4, 3], seed: 82, low: -2.5, high: 2.5, gap: 0.1)
        expectGradientsMatch([prediction]) { try! huberLoss($0[0], target, delta: 1) }
        let p = Tensor(rows: [[0.2, 0.3, 0.5], [0.6, 0.1, 0.3]]), q = Tensor(rows: [[0.4, 0.4, 0.2], [0.1, 0.8, 0.1]])
        expectGradientsMatch([p, q]) { try! categoricalKL($0[0], $0[1]) }
    }

    @Test func badSettingsGiveClearMessages() {
        #expect(throws: EngineError.self) { try huberLoss(Tensor([1]), Tensor([2]), delta: 0) }
        #expect(throws: EngineError.self) { try focalLoss(logits: Tensor(zeros: [1, 3]), labels: [0], gamma: -1) }
        #expect(throws: EngineError.labelOutOfRange(label: 3, classes: 3)) { try focalLoss(logits: Tensor(zeros: [1, 3]), labels: [3], gamma: 2) }
        #expect(throws: EngineError.self) { try focalLoss(logits: Tensor(zeros: [1, 3]), labels: [0], gamma: 2, alpha: [1, 1]) }
        #expect(throws: EngineError.self) { try categoricalKL(Tensor(rows: [[0.3, 0.3]]), Tensor(rows: [[0.5, 0.5]])) }
        #expect(throws: EngineError.self) { try discountedReturn(rewards: [1], discount: 1.5) }
    }
}
