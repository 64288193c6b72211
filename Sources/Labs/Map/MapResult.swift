/// What one row reached at one seed: its score after its steps, and how long that took here.
public struct MapResult: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable {
        case ok
        /// The numbers became NaN or infinite: no score.
        case diverged
    }

    public var row: String
    /// The recipe it was trained with (`MapRow.Recipe.signature`): a changed recipe is a new result.
    public var recipe: String
    public var seed: UInt64
    /// Steps asked for (the row's budget at the scale used).
    public var budget: Int
    /// Steps taken (fewer when the lab finished by itself).
    public var steps: Int
    /// The group's metric on the test split; nil when the run diverged or never measured.
    public var score: Double?
    /// Wall-clock seconds: building the lab and training it. Reported, never used to stop.
    public var seconds: Double
    public var status: Status

    public init(row: String, recipe: String, seed: UInt64, budget: Int, steps: Int, score: Double?, seconds: Double, status: Status) {
        self.row = row; self.recipe = recipe; self.seed = seed; self.budget = budget; self.steps = steps
        self.score = score; self.seconds = seconds; self.status = status
    }

    /// Whether this result answers a run of `row` at `seed` for `budget` steps.
    public func answers(_ row: MapRow, seed: UInt64, budget: Int) -> Bool {
        self.row == row.id && recipe == row.recipe?.signature && self.seed == seed && self.budget == budget
    }
}
