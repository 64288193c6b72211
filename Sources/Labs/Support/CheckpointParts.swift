import Course
import MLEngine

/// The tensors every trained lab puts in its checkpoint, written and read the same way: a
/// model's parameters and an optimizer's state under a prefix. (Generator words, metric
/// histories and settings go in the metadata through `StateCoding`.) Restoring both gives a run
/// that continues bit for bit.
enum CheckpointParts {
    // MARK: Model and optimizer

    /// Adds every parameter of `model` as "`prefix`.fc1.weight" and so on; an empty prefix
    /// keeps the bare names (a lab whose checkpoint holds one model, such as gradcheck's).
    static func store<Model: Layer>(_ model: Model, as prefix: String, into tensors: inout [String: Tensor]) {
        for (name, value) in model.parameters { tensors[key(name, under: prefix)] = value.detached() }
    }

    /// Loads `model`'s parameters from "`prefix`.NAME" tensors (bare "NAME" for an empty
    /// prefix), each checked against its shape.
    static func load<Model: Layer>(_ model: inout Model, from prefix: String, in state: LabState) throws {
        var values: [String: Tensor] = [:]
        for (name, value) in model.parameters {
            values[name] = try state.tensor(key(name, under: prefix), shape: value.shape)
        }
        try model.loadParameters(values)
    }

    /// Adds an optimizer's moments and step counts as "`prefix`.fc1.weight.m" and so on.
    static func store(_ optimizer: any Optimizer, as prefix: String, into tensors: inout [String: Tensor]) {
        for (name, value) in optimizer.state { tensors["\(prefix).\(name)"] = value.detached() }
    }

    /// Puts back the optimizer state stored under `prefix` (empty before the first step) for the
    /// parameters of `model`: each moment must have its parameter's shape, because the
    /// optimizer's update reads and writes them through raw pointers.
    static func load<Kind: Optimizer, Model: Layer>(_ optimizer: inout Kind, from prefix: String, in state: LabState,
                                                    for model: Model) throws {
        try load(&optimizer, from: prefix, in: state, shapes: Dictionary(uniqueKeysWithValues: model.parameters.map { ($0.name, $0.value.shape) }))
    }

    /// The same for parameters held outside a `Layer`, by name and shape.
    static func load<Kind: Optimizer>(_ optimizer: inout Kind, from prefix: String, in state: LabState,
                                      shapes: [String: [Int]]) throws {
        let start = prefix + "."
        var values: [String: Tensor] = [:]
        for (key, value) in state.tensors where key.hasPrefix(start) { values[String(key.dropFirst(start.count))] = value }
        do { try optimizer.restoreState(values, parameterShapes: shapes) } catch {
            throw LabStateError.badMetadata(lab: state.labID, key: prefix, problem: "does not fit the model: \(error)")
        }
    }

    static func key(_ name: String, under prefix: String) -> String {
        prefix.isEmpty ? name : "\(prefix).\(name)"
    }

    // MARK: Rebuilding a lab

    /// The seed a checkpoint was trained from, stored as a string because a 64-bit seed does not
    /// survive a trip through a JSON number.
    static func seed(in state: LabState) throws -> UInt64 {
        guard let seed = state.metadata["seed"]?.string.flatMap({ UInt64($0) }) else {
            throw LabStateError.badMetadata(lab: state.labID, key: "seed", problem: "must be a 64-bit number written as a string")
        }
        return seed
    }

    /// A copy of `lab` built again as the checkpoint's run was: the settings it was built with
    /// ("built", each validated by `set`), a reset from `seed`, then the live settings it had
    /// when saved ("settings"). The caller then loads the trained tensors into it.
    static func rebuild<Rebuilt: Lab>(_ lab: Rebuilt, from state: LabState, seed: UInt64) throws -> Rebuilt {
        let built = try StateCoding.settings(from: state.metadata["built"], for: lab.parameters, key: "built", lab: lab.id)
        let live = try StateCoding.settings(from: state.metadata["settings"], for: lab.parameters, key: "settings", lab: lab.id)
        var copy = lab
        for (name, value) in built { try copy.set(name, to: value) }
        copy.reset(seed: seed)
        for (name, value) in live { try copy.set(name, to: value) }
        return copy
    }

    // MARK: The run's own metadata

    /// The metadata every trained lab writes about its run: the seed (as a string, see `seed`),
    /// the step, the settings it was built with and the live ones (what `rebuild` reads back)
    /// and the metric history. Labs add their own keys (a data stream, a sweep) to it.
    static func runMetadata<Trained: Lab>(of lab: Trained, seed: UInt64, step: Int, built: [Hyperparameter],
                                          metrics: Metrics) -> [String: JSONValue] {
        ["seed": .string(String(seed)), "step": .number(Double(step)), "built": StateCoding.json(built),
         "settings": StateCoding.json(lab.parameters), "metrics": StateCoding.json(metrics)]
    }

    /// What `runMetadata` wrote, read back and checked.
    struct SavedRun {
        let seed: UInt64
        let step: Int
        let metrics: Metrics
    }

    /// Reads the seed, the step (never negative) and the metric history of a checkpoint.
    static func savedRun(in state: LabState) throws -> SavedRun {
        let step = try integer("step", in: state)
        guard step >= 0 else { throw LabStateError.badMetadata(lab: state.labID, key: "step", problem: "must not be negative") }
        return SavedRun(seed: try seed(in: state), step: step,
                        metrics: try StateCoding.metrics(from: state.metadata["metrics"], key: "metrics", lab: state.labID))
    }

    // MARK: Plain values

    /// Counters read from a file stay far from Int's limits, so counting on never overflows.
    static let maximumInteger = 1_000_000_000_000_000

    static func integer(_ key: String, in state: LabState) throws -> Int {
        guard let n = state.metadata[key]?.number, let whole = StateCoding.int(n, in: -maximumInteger...maximumInteger) else {
            throw LabStateError.badMetadata(lab: state.labID, key: key, problem: "must be a whole number")
        }
        return whole
    }
}
