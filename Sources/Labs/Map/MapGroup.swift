/// One group of the map: rows that share a task, so their scores can be compared directly.
public struct MapGroup: Sendable, Equatable {
    /// One word for settings ("physics").
    public let id: String
    /// What the table calls the group ("segmentation").
    public let name: String
    /// The data set and what is predicted on it, the same for every row of the group.
    public let task: String
    /// The measure on the test split, as the table names it ("mean Dice").
    public let metric: String
    public let higherIsBetter: Bool

    public static let classification = MapGroup(id: "classification", name: "classification", task: "beats-hard: five beat classes, shifted and noisy",
                                                metric: "accuracy", higherIsBetter: true)
    public static let regression = MapGroup(id: "regression", name: "regression", task: "patients: 10-year risk in percent",
                                            metric: "RMSE", higherIsBetter: false)
    public static let physics = MapGroup(id: "physics", name: "regression, physics", task: "windkessel: pressure outside the measured window",
                                         metric: "RMSE", higherIsBetter: false)
    public static let segmentation = MapGroup(id: "segmentation", name: "segmentation", task: "segmentation: P, QRS, T of every sample",
                                              metric: "mean Dice", higherIsBetter: true)
    public static let clustering = MapGroup(id: "clustering", name: "clustering", task: "beats: five classes, no labels used",
                                            metric: "adjusted Rand", higherIsBetter: true)
    public static let reduction = MapGroup(id: "reduction", name: "dim. reduction", task: "beats: rebuilt from 2 numbers",
                                           metric: "rebuild MSE", higherIsBetter: false)
    public static let decisions = MapGroup(id: "decisions", name: "decisions", task: "dosing: a course of doses",
                                           metric: "normalized return", higherIsBetter: true)

    /// In the order of the syllabus's map.
    public static let all: [MapGroup] = [.classification, .regression, .physics, .segmentation, .clustering, .reduction, .decisions]
}
