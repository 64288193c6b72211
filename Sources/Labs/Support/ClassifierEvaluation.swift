import Course
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

// MARK: Checkpoints

extension ClassifierEvaluation {
    /// Puts the confusion matrix of the last evaluation in a checkpoint's metadata; its loss and
    /// accuracy are already the last values of the lab's test_loss and test_accuracy series.
    static func storeConfusion(of evaluation: ClassifierEvaluation?, into metadata: inout [String: JSONValue]) {
        guard let evaluation else { return }
        metadata["confusion"] = .array(evaluation.confusion.map { .array($0.map { .number(Double($0)) }) })
    }

    /// The last evaluation as `storeConfusion` left it: the matrix from the metadata (each count a
    /// whole number up to `examples`, `classes` x `classes` of them) with the latest test_loss and
    /// test_accuracy of `metrics`; nil when the checkpoint holds none.
    static func restored(from state: LabState, metrics: Metrics, classes: Int, examples: Int) throws -> ClassifierEvaluation? {
        guard let rows = state.metadata["confusion"]?.array else { return nil }
        let confusion = rows.map { $0.array?.compactMap { $0.number.flatMap { StateCoding.int($0, in: 0...examples) } } ?? [] }
        guard confusion.count == classes, confusion.allSatisfy({ $0.count == classes }) else {
            throw LabStateError.badMetadata(lab: state.labID, key: "confusion", problem: "must be \(classes) x \(classes) counts of 0-\(examples)")
        }
        guard let loss = metrics.values("test_loss").last, let accuracy = metrics.values("test_accuracy").last else { return nil }
        return ClassifierEvaluation(loss: loss, accuracy: accuracy, confusion: confusion)
    }
}
