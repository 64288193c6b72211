import Course

/// One row of the map: a model on its group's shared task, and how to train and score it here.
public struct MapRow: Sendable {
    public enum Tier: String, Sendable, CaseIterable {
        /// For understanding.
        case conceptual
        /// Widely deployed.
        case production
        /// State of the art, increasingly adopted.
        case frontier
    }

    /// How a row is trained and read: a catalogue lab with settings, a fixed number of steps,
    /// and the metric that is its score.
    public struct Recipe: Sendable, Equatable {
        public let lab: String
        /// Applied as `mlcourse run LAB --set NAME=VALUE` would, before the reset.
        public let settings: [LabBlock.Setting]
        /// Steps at full budget; the lab may finish sooner by itself (a closed-form fit, the
        /// last boosting round), which `run` honours too.
        public let budget: Int
        /// The lab's metric (its latest value: a scalar, else a series' last point).
        public let metric: String
        /// Lab steps the `map` lab takes per step of its own, so that one stays short on screen.
        public let slice: Int
        /// False for a lab that finishes by itself in a few steps (PCA's one decomposition,
        /// K-means converging): scaling its budget down would only leave it unfitted.
        public let scales: Bool

        public init(lab: String, settings: [String: String] = [:], budget: Int, metric: String, slice: Int = 1, scales: Bool = true) {
            self.lab = lab
            self.settings = settings.keys.sorted().map { LabBlock.Setting(name: $0, value: settings[$0]!) }
            self.budget = budget
            self.metric = metric
            self.slice = slice
            self.scales = scales
        }

        /// Steps at a budget scale (at least one, so a scaled-down map still scores every row).
        public func steps(scale: Double) -> Int { scales ? max(1, Int((Double(budget) * scale).rounded(.up))) : budget }

        /// What the cache keys on besides seed and steps: a result is stale once the recipe changes.
        var signature: String {
            ([lab] + settings.map { "\($0.name)=\($0.value)" } + [metric]).joined(separator: " ")
        }
    }

    /// The name `--rows` and the rerun setting use ("unet").
    public let id: String
    public let group: MapGroup
    public let tier: Tier
    public let model: String
    /// "loss -> optimizer" as the syllabus writes it.
    public let training: String
    /// How it runs here; nil while no lab of the course trains it on the group's task.
    public let recipe: Recipe?
    /// Why there is no recipe yet (nil when there is one).
    public let missing: String?

    public init(_ id: String, _ group: MapGroup, _ tier: Tier, model: String, training: String, recipe: Recipe) {
        self.id = id; self.group = group; self.tier = tier; self.model = model; self.training = training
        self.recipe = recipe; missing = nil
    }

    /// A row of the syllabus's map that no lab trains yet on the shared task.
    public init(_ id: String, _ group: MapGroup, _ tier: Tier, model: String, training: String, missing: String) {
        self.id = id; self.group = group; self.tier = tier; self.model = model; self.training = training
        recipe = nil; self.missing = missing
    }

    public var isAvailable: Bool { recipe != nil }
}
