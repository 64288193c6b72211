/// The rows of the map, in the syllabus's order: which lab trains each, for how many steps, and
/// which of its metrics is the score. A row a lab cannot produce yet says why instead of scoring.
///
/// Budgets are the labs' own default runs, so a row's score is what that lab's page reaches.
public enum MapRows {
    /// The segmentation labs measure the 50 test recordings 10 a step, starting at step 600: the
    /// measurement of the trained net is complete four steps later.
    static let segmentationBudget = ECGSegmentationLab.defaultStepBudget
        + ECGSegmentationLab.evaluationInterval / ECGSegmentationLab.evaluationChunk - 1

    /// `simclr-kmeans` scores K-means on the SimCLR features of the 1,000 test beats `kmeans`
    /// clusters raw, with the same classes; but shifted and noisy (`SimCLRBeats`), where `kmeans`
    /// reads them aligned. It does not scale: its score exists only once an evaluation (every
    /// 100 steps) is recorded, so a scaled-down budget would leave it unscored.
    public static let all: [MapRow] = [
        // Classification on beats-hard: vit-beats trains the conceptual and frontier rows.
        MapRow("logistic-mlp", .classification, .conceptual, model: "MLP / logistic regression", training: "CE -> SGD",
               recipe: .init(lab: VisionTransformerLab.labID, settings: ["model": "mlp"], budget: VisionTransformerLab.stepBudget,
                             metric: "test_accuracy", slice: 10)),
        // One step is one round of five trees (14 ms median, 29 ms at most in release): one per map step.
        MapRow("boosting-beats", .classification, .production, model: "XGBoost-style boosting", training: "softmax log-loss -> Newton",
               recipe: .init(lab: "boosting", settings: ["task": "beats", "model": "trees"], budget: 200, metric: "test_accuracy")),
        MapRow("vit", .classification, .frontier, model: "Vision transformer (ViT)", training: "CE -> AdamW",
               recipe: .init(lab: VisionTransformerLab.labID, settings: ["model": "vit"], budget: VisionTransformerLab.stepBudget,
                             metric: "test_accuracy")),

        // Least squares is solved in one step; scaling a budget of 1 could only keep it at 1.
        MapRow("linear-ols", .regression, .conceptual, model: "linear regression", training: "MSE -> OLS",
               recipe: .init(lab: "boosting", settings: ["task": "regress", "model": "linear"], budget: 1, metric: "test_rmse",
                             scales: false)),
        // The same line by minibatch SGD, at the lesson's lr 0.03 (0.1 jitters about 1% above least squares).
        MapRow("linear-sgd", .regression, .conceptual, model: "linear regression (SGD)", training: "MSE -> SGD",
               recipe: .init(lab: "boosting", settings: ["task": "regress", "model": "sgd", "lr": "0.03"], budget: TabularSGD.steps,
                             metric: "test_rmse", slice: 20)),
        MapRow("boosting", .regression, .production, model: "boosting", training: "MSE -> Newton",
               recipe: .init(lab: "boosting", settings: ["task": "regress", "model": "trees"], budget: 200, metric: "test_rmse", slice: 4)),
        MapRow("deep-net", .regression, .production, model: "deep net (MLP)", training: "MSE -> AdamW",
               recipe: .init(lab: "boosting", settings: ["task": "regress", "model": "mlp"], budget: BoostingLab.mlpSteps,
                             metric: "test_rmse", slice: 20)),

        MapRow("plain-net", .physics, .conceptual, model: "plain net (no physics)", training: "MSE -> Adam",
               recipe: .init(lab: PINNWindkesselLab.labID, settings: ["physics": "off"], budget: PINNWindkesselLab.defaultStepBudget,
                             metric: "extrapolation_rmse", slice: 10)),
        MapRow("pinn", .physics, .frontier, model: "PINN", training: "MSE + physics -> Adam",
               recipe: .init(lab: PINNWindkesselLab.labID, settings: ["physics": "on"], budget: PINNWindkesselLab.defaultStepBudget,
                             metric: "extrapolation_rmse", slice: 5)),

        MapRow("window-cnn", .segmentation, .conceptual, model: "sliding-window CNN", training: "per-point CE -> SGD",
               recipe: .init(lab: ECGSegmentationLab.windowID, budget: segmentationBudget, metric: "test_dice")),
        MapRow("unet", .segmentation, .production, model: "U-Net", training: "Dice + CE -> Adam",
               recipe: .init(lab: ECGSegmentationLab.unetID, budget: segmentationBudget, metric: "test_dice")),
        MapRow("swin-unet", .segmentation, .frontier, model: "Swin-UNet", training: "Dice + CE -> AdamW",
               recipe: .init(lab: ECGSegmentationLab.swinID, budget: segmentationBudget, metric: "test_dice")),

        MapRow("kmeans", .clustering, .conceptual, model: "K-means", training: "Euclidean distance",
               recipe: .init(lab: KMeansLab.labID, settings: ["data": "beats", "k": "5"], budget: 100, metric: "adjusted_rand", scales: false)),
        MapRow("simclr-kmeans", .clustering, .frontier, model: "SimCLR + K-means", training: "contrastive -> Adam",
               recipe: .init(lab: SimCLRLab.labID, budget: SimCLRLab.scoredStepBudget, metric: "adjusted_rand", slice: 5,
                             scales: false)),

        MapRow("pca", .reduction, .conceptual, model: "PCA", training: "variance (SVD)",
               recipe: .init(lab: PCALab.labID, settings: ["k": "2"], budget: 20, metric: "reconstruction_mse", scales: false)),
        MapRow("vae", .reduction, .frontier, model: "VAE", training: "MSE + KL -> Adam",
               recipe: .init(lab: VAELab.labID, budget: VAELab.defaultStepBudget, metric: "reconstruction_mse", slice: 5)),

        MapRow("q-table", .decisions, .conceptual, model: "Q-table", training: "Bellman",
               recipe: .init(lab: QTableLab.labID, settings: ["env": "dosing"], budget: QTableLab.stepBudget, metric: "normalized_return", slice: 10)),
        MapRow("ppo", .decisions, .production, model: "PPO", training: "policy gradient -> Adam",
               recipe: .init(lab: PPOLab.labID, budget: PPOLab.stepBudget, metric: "normalized_return")),
        MapRow("decision-transformer", .decisions, .frontier, model: "Decision Transformer", training: "reward-to-go -> AdamW",
               recipe: .init(lab: DecisionTransformerLab.labID, budget: DecisionTransformerLab.stepBudget,
                             metric: "normalized_return_high", slice: 2)),
    ]

    public static var ids: [String] { all.map(\.id) }

    public static func row(_ id: String) -> MapRow? { all.first { $0.id == id } }
}
