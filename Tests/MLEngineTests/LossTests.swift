import Foundation
import Testing
@testable import MLEngine

/// The worked numbers from SYLLABUS.md ("Losses"), then gradients and stability.
@Suite struct LossTests {
    func logit(_ p: Float) -> Float { Foundation.log(p / (1 - p)) }

    @Test func meanSquaredErrorSyllabusNumbers() throws {
        #expect(try meanSquaredError(Tensor([72]), Tensor([80])).item == 64)
        #expect(try meanSquaredError(Tensor([70]), Tensor([80])).item == 100)
        #expect(try meanSquaredError(Tensor([60]), Tensor([80])).item == 400)
        #expect(try meanSquaredError(Tensor([72, 70]), Tensor([80, 80])).item == 82)
    }

    @Test func meanAbsoluteErrorSyllabusNumber() throws {
        #expect(try meanAbsoluteError(Tensor([72]), Tensor([80])).item == 8)
        #expect(try meanAbsoluteError(Tensor([72, 100]), Tensor([80, 80])).item == 14)
    }

    @Test func binaryCrossEntropySyllabusNumbers() throws {
        func bce(_ p: Float, _ y: Float) throws -> Float { try binaryCrossEntropy(logits: Tensor([logit(p)]), targets: Tensor([y])).item }
        #expect(Swift.abs(try bce(0.9, 1) - 0.105) < 0.001)
        #expect(Swift.abs(try bce(0.9, 0) - 2.30) < 0.01)
        #expect(Swift.abs(try bce(0.99, 0) - 4.6) < 0.01)
        #expect(Swift.abs(try bce(0.5, 1) - 0.69) < 0.01)
        #expect(Swift.abs(try bce(0.5, 0) - 0.69) < 0.01)
    }

    @Test func crossEntropySyllabusNumbers() throws {
        // Logits log(p) give softmax probabilities p (they sum to 1).
        let confident = Tensor(rows: [[Foundation.log(0.9), Foundation.log(0.05), Foundation.log(0.05)]])
        #expect(Swift.abs(try crossEntropy(logits: confident, labels: [0]).item - 0.105) < 0.001)
        let wrong = Tensor(rows: [[Foundation.log(0.02), Foundation.log(0.49), Foundation.log(0.49)]])
        #expect(Swift.abs(try crossEntropy(logits: wrong, labels: [0]).item - 3.9) < 0.02)
        // Averaged over the batch.
        let both = Tensor.concatenate([confident, wrong])
        #expect(Swift.abs(try crossEntropy(logits: both, labels: [0, 0]).item - Float(-(Foundation.log(0.9) + Foundation.log(0.02)) / 2)) < 1e-4)
    }

    @Test func lossesStayFiniteForExtremeLogits() throws {
        let z = Tensor([1000, -1000, 1000])
        let b = try binaryCrossEntropy(logits: z, targets: Tensor([1, 0, 0])).item
        #expect(Swift.abs(b - 1000.0 / 3) < 0.01)
        let ce = try crossEntropy(logits: Tensor(rows: [[1000, 0, -1000]]), labels: [2]).item
        #expect(Swift.abs(ce - 2000) < 0.1)
    }

    @Test func gradientsMatchClosedFormsAndFiniteDifferences() throws {
        let z = randomInput([4, 3], seed: 50, low: -2, high: 2)
        let labels = [2, 0, 1, 1]
        let leaf = z.requiringGrad()
        try crossEntropy(logits: leaf, labels: labels).backward()
        // d CE / d z = (softmax(z) - onehot) / batch.
        expectClose(leaf.grad!.copyScalars(), ((z.softmax() - Tensor.oneHot(labels, classes: 3)) / 4).copyScalars())
        expectGradientsMatch([z]) { try! crossEntropy(logits: $0[0], labels: labels) }
        let y = Tensor(shape: [4, 3], scalars: [1, 0, 1, 0, 0, 1, 1, 1, 0, 0.3, 0.7, 1])
        let bleaf = z.requiringGrad()
        try binaryCrossEntropy(logits: bleaf, targets: y).backward()
        expectClose(bleaf.grad!.copyScalars(), ((z.sigmoid() - y) / 12).copyScalars())   // (sigmoid(z) - y) / n
        expectGradientsMatch([z]) { try! binaryCrossEntropy(logits: $0[0], targets: y) }
        let target = randomInput([4, 3], seed: 51)
        expectGradientsMatch([z]) { try! meanSquaredError($0[0], target) }
        let apart = target + randomInput([4, 3], seed: 52, gap: 0.1)  // no prediction sits on its target
        expectGradientsMatch([apart]) { try! meanAbsoluteError($0[0], target) }
    }

    @Test func badInputGivesReadableErrors() {
        #expect(throws: EngineError.labelOutOfRange(label: 3, classes: 3)) { try crossEntropy(logits: Tensor(zeros: [1, 3]), labels: [3]) }
        #expect(throws: EngineError.self) { try crossEntropy(logits: Tensor(zeros: [2, 3]), labels: [0]) }
        #expect(throws: EngineError.self) { try meanSquaredError(Tensor(zeros: [2]), Tensor(zeros: [3])) }
        #expect(throws: EngineError.self) { try binaryCrossEntropy(logits: Tensor([0]), targets: Tensor([2])) }
        #expect(EngineError.labelOutOfRange(label: 3, classes: 3).description == "class label 3 is outside 0..<3")
    }
}
