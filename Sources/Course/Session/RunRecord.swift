/// One hyperparameter change made while a lab was running: applied after `step` steps had
/// completed, i.e. before step `step + 1`.
public struct HyperparameterEvent: Sendable, Equatable, Codable {
    public var step: Int
    public var name: String
    public var value: HyperValue

    public init(step: Int, name: String, value: HyperValue) {
        self.step = step
        self.name = name
        self.value = value
    }
}

/// Everything that determines a run: the lab, its seed, every hyperparameter value at the reset
/// that started it, and the live changes since, by step index. Replaying the record for N steps
/// gives bit for bit the state the run had after N steps.
public struct RunRecord: Sendable, Equatable, Codable {
    public var labID: String
    public var seed: UInt64
    /// Every hyperparameter's value when the run started, in the lab's order.
    public var initial: [Setting]
    /// Live changes in the order they were made.
    public var events: [HyperparameterEvent]

    /// A name and a value.
    public struct Setting: Sendable, Equatable, Codable {
        public var name: String
        public var value: HyperValue
        public init(name: String, value: HyperValue) { self.name = name; self.value = value }
    }

    public init(labID: String, seed: UInt64, initial: [Setting], events: [HyperparameterEvent] = []) {
        self.labID = labID
        self.seed = seed
        self.initial = initial
        self.events = events
    }

    /// The record of `lab` as it stands right after a reset (public for the headless runner,
    /// which drives a lab without a session).
    public init(startOf lab: any Lab) {
        self.init(labID: lab.id, seed: lab.seed,
                  initial: lab.parameters.map { Setting(name: $0.name, value: $0.value) })
    }

    /// The most steps one run or replay takes in one go (`run --steps`, `replay --steps`,
    /// `replay --from-start` of a file claiming more): beyond it a typo or a crafted file would
    /// keep the machine busy for days.
    public static let maximumSteps = 100_000_000

    /// Rebuilds the lab from `catalogue` and runs it for `steps` steps, applying each event at
    /// its step boundary. Events after `steps` are not applied.
    /// - Throws: an unknown lab, a refused value, or an error from the lab's step.
    public func replay(using catalogue: LabCatalogue, steps: Int) throws -> any Lab {
        var lab = try catalogue.make(labID, seed: seed)
        for setting in initial { try lab.set(setting.name, to: setting.value) }
        lab.reset(seed: seed)
        var pending = events[...]
        for index in 0...steps {
            while let event = pending.first, event.step <= index {
                if event.step == index { try lab.set(event.name, to: event.value) }
                pending = pending.dropFirst()
            }
            if index < steps { _ = try lab.step() }
        }
        return lab
    }
}
