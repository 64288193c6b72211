import MLEngine

/// How a classifier does on a labelled set: mean cross-entropy, accuracy, and the confusion
/// matrix (`confusion[true][predicted]` counts).
struct ClassifierEvaluation: Sendable, Equatable {
    var loss: Double
    var accuracy: Double
    var confusion: [[Int]]

    /// Runs `model` on `inputs` [N, ...] without recording gradients, `chunk` examples at a time
    /// when given (a convolutional network's feature maps for a whole test set would not stay in
    /// cache; the results are the same).
    static func evaluate<Model: Layer>(_ model: Model, inputs: Tensor, labels: [Int], classes: Int,
                                       chunk: Int? = nil) throws -> ClassifierEvaluation {
        let count = inputs.shape.first ?? 0
        let logits = withNoGrad {
            guard let chunk, chunk < count else { return model(inputs) }
            let parts = stride(from: 0, to: count, by: chunk).map { start in
                model(inputs.slice(alongAxis: 0, start..<Swift.min(count, start + chunk)))
            }
            return Tensor.concatenate(parts, alongAxis: 0)
        }
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
