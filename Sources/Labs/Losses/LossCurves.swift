import Foundation
import MLEngine

/// The losses `loss-explorer` offers, each as a function of one number the learner moves (the
/// prediction), written with the engine's own loss functions so that the value and the gradient
/// shown are the engine's: the gradient is d(loss)/d(prediction) from backward().
public enum ExplorerLoss: String, CaseIterable, Sendable {
    case mse, mae, huber, bce, ce, focal, dice, kl, contrastive, bellman, policy

    /// What + and - move, in words (the panel titles and the help say it).
    var moves: String {
        switch self {
        case .mse, .mae, .huber: return "the predicted number (truth 80)"
        case .bce: return "the predicted probability of yes (truth: yes)"
        case .ce, .focal: return "the probability given to the true class (3 classes)"
        case .dice: return "the predicted mask's probability on the 20 true wave samples"
        case .kl: return "the first bar of p, against q = [0.5, 0.5]"
        case .contrastive: return "the angle (degrees) between two views of one input"
        case .bellman: return "the value estimate Q(s, a), against 1 + 0.99 * 4"
        case .policy: return "the probability of the action taken (return 2)"
        }
    }

    /// The prediction's name on the x axis.
    var axis: String {
        switch self {
        case .mse, .mae, .huber: return "prediction"
        case .bce, .ce, .focal, .policy: return "probability"
        case .dice: return "overlap"
        case .kl: return "p[0]"
        case .contrastive: return "angle"
        case .bellman: return "Q(s,a)"
        }
    }

    var range: ClosedRange<Double> {
        switch self {
        case .mse, .mae, .huber: return 40...120
        case .contrastive: return 0...180
        case .bellman: return 0...10
        default: return 0.01...0.99
        }
    }

    var stepSize: Double {
        switch self {
        case .mse, .mae, .huber: return 1
        case .contrastive: return 5
        case .bellman: return 0.1
        default: return 0.01
        }
    }

    /// Where the prediction starts when this loss is picked (a worked example of the syllabus).
    var start: Double {
        switch self {
        case .mse, .mae, .huber: return 72
        case .bce, .ce, .focal: return 0.9
        case .dice: return 0.5
        case .kl: return 0.3
        case .contrastive: return 30
        case .bellman: return 3
        case .policy: return 0.25
        }
    }

    /// One worked case: a description, the prediction and the settings it uses, and the value
    /// the syllabus gives (nil when it gives none).
    struct Worked {
        var text: String
        var prediction: Double
        var expected: Double?
        var gamma: Double? = nil
        var temperature: Double? = nil
        var reverse = false
    }
}

/// The settings a loss depends on besides the prediction.
struct ExplorerSettings: Equatable {
    var gamma = 2.0
    var temperature = 0.5
    var delta = 5.0
}

enum LossCurves {
    static let truth: Float = 80
    static let classes = 3
    static let maskLength = 100
    static let waveSamples = 20
    static let bellmanReward: Float = 1, bellmanDiscount: Float = 0.99, bellmanNext: Float = 4
    static let policyReturn: Float = 2

    /// The loss at `x` as an engine tensor built from the leaf `x` ([1]).
    static func loss(_ kind: ExplorerLoss, _ x: Tensor, _ s: ExplorerSettings, reverseKL: Bool = false) throws -> Tensor {
        switch kind {
        case .mse: return try meanSquaredError(x, Tensor([truth]))
        case .mae: return try meanAbsoluteError(x, Tensor([truth]))
        case .huber: return try huberLoss(x, Tensor([truth]), delta: Float(s.delta))
        case .bce:
            // The logit of probability p is log p - log(1 - p).
            return try binaryCrossEntropy(logits: x.log() - (1 - x).log(), targets: Tensor([1]))
        case .ce, .focal:
            let rest = ((1 - x) * 0.5).log()
            let logits = Tensor.concatenate([x.log(), rest, rest]).reshaped([1, classes])
            return kind == .ce ? try crossEntropy(logits: logits, labels: [0])
                               : try focalLoss(logits: logits, labels: [0], gamma: Float(s.gamma))
        case .dice:
            // A 100-sample signal whose wave covers 20 samples; the prediction gives the wave
            // probability x on those 20 and 0.01 elsewhere.
            let inside = x.broadcast(to: [waveSamples])
            let outside = Tensor(Array(repeating: Float(0.01), count: maskLength - waveSamples))
            let wave = Tensor.concatenate([inside, outside])
            let logits = Tensor.stack([(1 - wave).log(), wave.log()]).reshaped([1, 2, maskLength])
            let labels = (0..<maskLength).map { $0 < waveSamples ? 1 : 0 }
            return try softDiceLoss(logits: logits, labels: labels, smoothing: 1e-6)
        case .kl:
            let p = Tensor.concatenate([x, 1 - x]).reshaped([1, 2])
            let q = Tensor(rows: [[0.5, 0.5]])
            return reverseKL ? try categoricalKL(q, p) : try categoricalKL(p, q)
        case .contrastive:
            // Two inputs, two views each, in 2-D: input A's first view points at 0 degrees, its
            // second at the learner's angle; input B's views point at 120 and 140 degrees.
            let radians = x * Float(Double.pi / 180)
            let row = { (d: Float) in Tensor([Foundation.cos(d * .pi / 180), Foundation.sin(d * .pi / 180)]) }
            let moved = Tensor.concatenate([radians.cos(), radians.sin()])
            let embeddings = Tensor.stack([row(0), row(120), moved, row(140)])
            return try ntXentLoss(embeddings, temperature: Float(s.temperature))
        case .bellman:
            let values = Tensor.concatenate([Tensor([0]), x]).reshaped([1, 2])
            let target = Tensor([bellmanReward + bellmanDiscount * bellmanNext])
            return try temporalDifferenceLoss(values: values, actions: [1], targets: target)
        case .policy:
            let logits = Tensor.concatenate([x.log(), (1 - x).log()]).reshaped([1, 2])
            return try policyGradientLoss(logits: logits, actions: [0], advantages: Tensor([policyReturn]))
        }
    }

    /// The loss and d(loss)/d(prediction) at `x`, by the engine's forward and backward.
    static func evaluate(_ kind: ExplorerLoss, at x: Double, _ s: ExplorerSettings, reverseKL: Bool = false) throws -> (loss: Double, gradient: Double) {
        let leaf = Tensor([Float(x)]).requiringGrad()
        let value = try loss(kind, leaf, s, reverseKL: reverseKL)
        value.backward()
        return (Double(value.item), Double(leaf.grad?.scalar(at: 0) ?? 0))
    }

    /// The syllabus's worked numbers for this loss.
    static func worked(_ kind: ExplorerLoss) -> [ExplorerLoss.Worked] {
        switch kind {
        case .mse: return [.init(text: "72 vs 80", prediction: 72, expected: 64), .init(text: "off by 10", prediction: 70, expected: 100),
                           .init(text: "off by 20", prediction: 60, expected: 400), .init(text: "off by 50 (an outlier)", prediction: 30, expected: 2500)]
        case .mae: return [.init(text: "72 vs 80", prediction: 72, expected: 8), .init(text: "off by 20", prediction: 60, expected: 20),
                           .init(text: "off by 50 (an outlier)", prediction: 30, expected: 50)]
        case .huber: return [.init(text: "off by 2 (inside delta 5: 0.5 * 2^2)", prediction: 78, expected: 2),
                             .init(text: "72 vs 80 (5 * (8 - 2.5))", prediction: 72, expected: 27.5),
                             .init(text: "off by 50 (5 * (50 - 2.5))", prediction: 30, expected: 237.5)]
        case .bce: return [.init(text: "p = 0.9, truth yes: -log 0.9", prediction: 0.9, expected: 0.1054),
                           .init(text: "p = 0.1, truth yes: -log 0.1", prediction: 0.1, expected: 2.303),
                           .init(text: "p = 0.01, truth yes: -log 0.01", prediction: 0.01, expected: 4.605),
                           .init(text: "p = 0.5: -log 0.5", prediction: 0.5, expected: 0.6931)]
        case .ce: return [.init(text: "0.9 on the true class", prediction: 0.9, expected: 0.1054),
                          .init(text: "0.02 on the true class", prediction: 0.02, expected: 3.912)]
        case .focal: return [.init(text: "easy, p 0.9, gamma 2: 0.1^2 * 0.1054", prediction: 0.9, expected: 0.001054, gamma: 2),
                             .init(text: "hard, p 0.1, gamma 2: 0.9^2 * 2.303", prediction: 0.1, expected: 1.865, gamma: 2),
                             .init(text: "easy, p 0.9, gamma 0 (= CE)", prediction: 0.9, expected: 0.1054, gamma: 0)]
        case .dice: return [.init(text: "wave missed (0.01 on it)", prediction: 0.01, expected: nil),
                            .init(text: "half sure on the wave", prediction: 0.5, expected: nil),
                            .init(text: "sure on the wave", prediction: 0.99, expected: nil)]
        case .kl: return [.init(text: "KL([0.3,0.7] || [0.5,0.5])", prediction: 0.3, expected: 0.0823),
                          .init(text: "KL([0.5,0.5] || [0.3,0.7])", prediction: 0.3, expected: 0.0872, reverse: true),
                          .init(text: "KL(q || q)", prediction: 0.5, expected: 0)]
        case .contrastive: return [.init(text: "views together, T 0.5", prediction: 0, expected: nil, temperature: 0.5),
                                   .init(text: "views 90 deg apart, T 0.5", prediction: 90, expected: nil, temperature: 0.5),
                                   .init(text: "views 90 deg apart, T 0.1", prediction: 90, expected: nil, temperature: 0.1)]
        case .bellman: return [.init(text: "Q = 3, target 1 + 0.99 * 4 = 4.96", prediction: 3, expected: 1.921),
                               .init(text: "Q = 4.96 (on target)", prediction: 4.96, expected: 0)]
        case .policy: return [.init(text: "pi = 0.25, return 2: -log 0.25 * 2", prediction: 0.25, expected: 2.773),
                              .init(text: "pi = 0.9, return 2", prediction: 0.9, expected: 0.2107)]
        }
    }
}
