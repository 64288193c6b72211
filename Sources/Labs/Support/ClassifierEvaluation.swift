import MLEngine

/// How a classifier does on a labelled set: mean cross-entropy, accuracy, and the confusion
/// matrix (`confusion[true][predicted]` counts).
struct ClassifierEvaluation: Sendable, Equatable {
    var loss: Double
    var accuracy: Double
    var confusion: [[Int]]

    /// Runs `model` on `inputs` [N, features] without recording gradients.
    static func evaluate<Model: Layer>(_ model: Model, inputs: Tensor, labels: [Int], classes: Int) throws -> ClassifierEvaluation {
        let logits = withNoGrad { model(inputs) }
        let loss = try withNoGrad { try crossEntropy(logits: logits, labels: labels) }
        let predicted = logits.argmax(alongAxis: 1).copyScalars().map { Int($0) }
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: classes), count: classes)
        var correct = 0
        for (truth, guess) in zip(labels, predicted) {
            confusion[truth][guess] += 1
            if truth == guess { correct += 1 }
        }
        return ClassifierEvaluation(loss: Double(loss.item), accuracy: Double(correct) / Double(max(labels.count, 1)),
                                    confusion: confusion)
    }

    /// The class probabilities (softmax of the logits) for one input row [features].
    static func probabilities<Model: Layer>(_ model: Model, input: Tensor) -> [Double] {
        withNoGrad { model(input.reshaped([1, input.count])).softmax(alongAxis: 1) }.copyScalars().map(Double.init)
    }
}
