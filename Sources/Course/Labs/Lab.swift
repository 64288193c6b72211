import TextPlot

/// One experiment a lesson runs: a model, its data, one training step, and what it measured.
///
/// A lab is deterministic: its state after N steps depends only on its seed, its hyperparameter
/// values at the last reset, and the live changes made since (by step index). The session relies
/// on this to replay a run exactly, so a lab draws every random number from a `SeededGenerator`
/// seeded from `seed`, never from the clock or the thread count.
///
/// A lab says *what* to show through `panel(_:)` (series, matrices, labels as TextPlot specs);
/// TextPlot decides *how*. Checkpoints write `snapshot()` to a `.safetensors` file.
public protocol Lab {
    /// The catalogue id, as lessons name it: "neuron", "mlp-ecg".
    var id: String { get }
    /// A short human title: "One neuron on blood pressure".
    var title: String { get }
    /// The seed of the current run (set by `reset(seed:)`).
    var seed: UInt64 { get }
    /// The hyperparameters with their current values, in display order.
    var parameters: [Hyperparameter] { get }

    /// Changes a hyperparameter. A `.live` one takes effect at the next step; a `.reset` one is
    /// stored and takes effect at the next `reset(seed:)` (the session resets right after).
    /// - Throws: `HyperparameterError` for an unknown name or a value out of range.
    mutating func set(_ name: String, to value: HyperValue) throws

    /// Starts the run again from scratch with `seed` and the current hyperparameter values.
    mutating func reset(seed: UInt64)

    /// One training step (one batch, one episode, one boosting round...).
    /// A step whose loss is not finite still returns normally, with that loss in the report:
    /// the session pauses the lab and explains; a lab never traps on divergence.
    mutating func step() throws -> StepReport

    /// Loss history, accuracy and other measurements so far.
    var metrics: Metrics { get }

    /// False once any weight or state value is NaN or infinite. Checked by the session after
    /// every step, so keep it cheap (one pass over the parameters).
    var isFinite: Bool { get }

    /// What counts as finishing this lab (e.g. loss below a target), or nil.
    var completion: CompletionCondition? { get }

    /// A sentence naming the likely cause when the run diverges, e.g. "learning rate 3 is too
    /// high for this problem; reset or lower it". Nil lets the session guess.
    func divergenceHint() -> String?

    /// The whole trainable state: named tensors (weights, optimizer moments) and JSON metadata
    /// (RNG state, counters, metric history). Enough to continue exactly where it stopped.
    func snapshot() -> LabState

    /// The panels this lab can show, by id, in their default order ("loss", "scatter", ...).
    /// Lessons pick among them with `show:`.
    var panelIDs: [String] { get }

    /// What panel `id` shows right now, or nil for an id the lab does not have. Called once a
    /// frame for each visible panel, so build it from state the lab already keeps.
    func panel(_ id: String) -> Panel?

    /// Puts back a state made by `snapshot()` of the same lab.
    /// - Throws: when the state belongs to another lab or its tensors have the wrong shapes.
    mutating func restore(_ state: LabState) throws

    /// `:data NAME`: use the learner's data set NAME (an imported recording) with the current
    /// model. Returns the message to show. Labs without such a use keep the default, which
    /// refuses.
    mutating func useData(_ name: String) throws -> String

    /// Panels shown first whatever the page's `show:` list (the `:data` results, once asked for).
    var pinnedPanels: [String] { get }
}

extension Lab {
    public var completion: CompletionCondition? { nil }
    public func divergenceHint() -> String? { nil }

    public mutating func useData(_ name: String) throws -> String {
        throw LabDataError(message: "lab '\(id)' does not take data of yours; :data works on the beat classifiers (mlp-ecg, cnn-ecg)")
    }

    public var pinnedPanels: [String] { [] }

    /// The pinned panels, then those named in `ids` (a lesson's `show:` list), or all of them
    /// when `ids` is empty.
    public func panels(showing ids: [String] = []) -> [Panel] {
        let pinned = pinnedPanels
        return (pinned + (ids.isEmpty ? panelIDs : ids).filter { !pinned.contains($0) }).compactMap { panel($0) }
    }
}

/// Why `:data` could not be done.
public struct LabDataError: Error, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}

/// What one step did.
public struct StepReport: Sendable, Equatable {
    /// The training loss of this step, if the step has one.
    public var loss: Double?
    /// True when the lab has nothing more to do (converged clustering, a closed-form fit):
    /// the session pauses it.
    public var finished: Bool
    /// True when the step made something worth reading before the next (a gradient check's
    /// table): open-ended training ("train", Space) pauses after it, while a run of a given
    /// number of steps (`step N`, `mlcourse run --steps N`) goes on. Unlike `finished`, the
    /// lab still has work to do.
    public var pausesOpenEndedTraining: Bool
    /// A short remark for the status line ("k-means converged after 12 steps").
    public var note: String?

    public init(loss: Double? = nil, finished: Bool = false, pausesOpenEndedTraining: Bool = false, note: String? = nil) {
        self.loss = loss
        self.finished = finished
        self.pausesOpenEndedTraining = pausesOpenEndedTraining
        self.note = note
    }
}

/// What counts as completing a lab: a metric reaching a target.
public struct CompletionCondition: Sendable, Equatable {
    public enum Direction: Sendable, Equatable { case atMost, atLeast }

    /// A series (its last value counts) or scalar name in `Metrics`.
    public var metric: String
    public var target: Double
    public var direction: Direction
    /// Said when the lab completes, e.g. "the fit's loss fell below 0.01".
    public var description: String

    public init(metric: String, _ direction: Direction, _ target: Double, description: String) {
        self.metric = metric
        self.direction = direction
        self.target = target
        self.description = description
    }

    /// Whether `metrics` meet the condition (a missing or non-finite metric never does).
    public func isMet(by metrics: Metrics) -> Bool {
        guard let value = metrics.latest(metric), value.isFinite else { return false }
        switch direction {
        case .atMost: return value <= target
        case .atLeast: return value >= target
        }
    }
}
