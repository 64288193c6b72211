import MLEngine

/// The classification rows of chapter 10's map that `vit-beats` trains, by the names its
/// `model` switch uses: the conceptual tier (logistic regression, an MLP; cross-entropy and
/// plain SGD) and the frontier tier (a vision transformer; cross-entropy and AdamW).
enum ClassificationModel: String, CaseIterable, Sendable {
    /// One linear layer from the 250 samples to 5 logits: a weighted sum per class.
    case logistic
    /// One hidden layer of 256 ReLU units: chapter 2's beat classifier.
    case mlp
    /// Patches, a class token and attention (`VisionTransformer`).
    case vit

    static var names: [String] { allCases.map(\.rawValue) }

    /// Hidden units of the MLP row (chapter 2's default size).
    static let mlpHidden = 256

    /// The map's tier for this row.
    var tier: String { self == .vit ? "frontier" : "conceptual" }
    /// The map's "loss -> optimizer" column.
    var recipe: String { self == .vit ? "CE -> AdamW" : "CE -> SGD" }
    /// The name a panel shows.
    var displayName: String {
        switch self {
        case .logistic: "logistic regression"
        case .mlp: "MLP"
        case .vit: "ViT"
        }
    }

    /// The network, wrapped in a `Sequential` so that all three are evaluated and saved the same
    /// way (the transformer is its one layer, named "vit").
    func make(window: Int, classes: Int, vit shape: VisionTransformerShape, generator: inout SeededGenerator) -> Sequential {
        switch self {
        case .logistic:
            return Sequential(named: [("out", Linear(inputs: window, outputs: classes, initializer: .xavierUniform, generator: &generator))])
        case .mlp:
            return MLPBuilder.make(inputs: window, hidden: Self.mlpHidden, layers: 1, outputs: classes, activation: .relu,
                                   generator: &generator)
        case .vit:
            return Sequential(named: [("vit", VisionTransformer(length: window, patch: shape.patch, width: shape.width,
                                                                heads: shape.heads, layers: shape.layers, classes: classes,
                                                                generator: &generator))])
        }
    }
}

/// The sizes of the ViT row.
struct VisionTransformerShape: Equatable, Sendable {
    var patch = 10
    var width = 64
    var heads = 4
    var layers = 2
}
