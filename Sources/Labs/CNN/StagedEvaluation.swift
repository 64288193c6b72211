import Course
import MLEngine

/// A test-set evaluation spread over several training steps, so no single step takes long.
///
/// Running a convolutional network over a whole test set of long recordings costs several
/// training steps' worth of time; done inside one `step()` it would freeze the screen. Instead
/// the lab starts an evaluation by freezing a copy of the weights, then each following step runs
/// the next `chunk` test examples through that copy. When the last chunk is done the result is
/// exactly the evaluation of the frozen weights, and it is labelled with the step they come from.
struct StagedEvaluation {
    /// The weights being measured (a copy: training goes on with the live model).
    let model: Sequential
    /// The training step the weights come from.
    let step: Int
    let classes: Int
    /// The first test example not measured yet.
    private(set) var next = 0
    private(set) var lossSum = 0.0
    private(set) var confusion: [[Int]]

    init(model: Sequential, step: Int, classes: Int) {
        self.model = model
        self.step = step
        self.classes = classes
        confusion = Array(repeating: Array(repeating: 0, count: classes), count: classes)
    }

    /// Runs the next `chunk` examples of `inputs` [N, ...]; returns the finished evaluation when
    /// that was the last chunk, else nil.
    mutating func advance(inputs: Tensor, labels: [Int], chunk: Int) throws -> ClassifierEvaluation? {
        let count = labels.count
        let end = Swift.min(count, next + chunk)
        if next < end {
            let part = try ClassifierEvaluation.evaluate(model, inputs: inputs.slice(alongAxis: 0, next..<end),
                                                         labels: Array(labels[next..<end]), classes: classes)
            lossSum += part.loss * Double(end - next)
            for row in 0..<classes { for column in 0..<classes { confusion[row][column] += part.confusion[row][column] } }
            next = end
        }
        guard next >= count else { return nil }
        let correct = (0..<classes).reduce(0) { $0 + confusion[$1][$1] }
        return ClassifierEvaluation(loss: lossSum / Double(Swift.max(count, 1)),
                                    accuracy: Double(correct) / Double(Swift.max(count, 1)), confusion: confusion)
    }

    // MARK: Checkpoints (a run saved halfway through an evaluation finishes it the same way)

    func store(into tensors: inout [String: Tensor], metadata: inout [String: JSONValue]) {
        CheckpointParts.store(model, as: "evaluating", into: &tensors)
        metadata["evaluating"] = .object([
            "step": .number(Double(step)), "next": .number(Double(next)), "loss_sum": StateCoding.json(lossSum),
            "confusion": .array(confusion.map { .array($0.map { .number(Double($0)) }) }),
        ])
    }

    /// The evaluation a checkpoint holds, on a model of `shape` (the lab's network as built), or
    /// nil when none was under way.
    static func restore(from state: LabState, shape: Sequential, classes: Int, examples: Int) throws -> StagedEvaluation? {
        guard let saved = state.metadata["evaluating"] else { return nil }
        let lab = state.labID
        func bad(_ problem: String) -> LabStateError { .badMetadata(lab: lab, key: "evaluating", problem: problem) }
        guard let fields = saved.object, let step = fields["step"]?.number, let next = fields["next"]?.number,
              let rows = fields["confusion"]?.array, step >= 0, step <= Double(CheckpointParts.maximumInteger),
              next >= 0, next <= Double(examples), step == step.rounded(), next == next.rounded() else {
            throw bad("must give the step, the next example (0-\(examples)), the loss so far and the confusion counts")
        }
        let confusion = rows.map { $0.array?.compactMap { $0.number.flatMap { StateCoding.int($0, in: 0...examples) } } ?? [] }
        guard confusion.count == classes, confusion.allSatisfy({ $0.count == classes }) else {
            throw bad("confusion must be \(classes) x \(classes) counts")
        }
        var model = shape
        try CheckpointParts.load(&model, from: "evaluating", in: state)
        var evaluation = StagedEvaluation(model: model, step: Int(step), classes: classes)
        evaluation.next = Int(next)
        evaluation.lossSum = try StateCoding.double(fields["loss_sum"], key: "evaluating.loss_sum", lab: lab)
        evaluation.confusion = confusion
        return evaluation
    }
}
