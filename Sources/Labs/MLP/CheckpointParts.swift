import Course
import MLEngine

/// The pieces every trained lab puts in its checkpoint, written and read the same way: a
/// model's parameters and an optimizer's state as prefixed tensors, a random generator's words
/// and a metric history as JSON metadata. Restoring them gives a run that continues bit for bit.
enum CheckpointParts {
    // MARK: Model and optimizer

    /// Adds every parameter of `model` as "`prefix`.fc1.weight" and so on.
    static func store<Model: Layer>(_ model: Model, as prefix: String, into tensors: inout [String: Tensor]) {
        for (name, value) in model.parameters { tensors["\(prefix).\(name)"] = value.detached() }
    }

    /// Loads `model`'s parameters from "`prefix`.NAME" tensors, each checked against its shape.
    static func load<Model: Layer>(_ model: inout Model, from prefix: String, in state: LabState) throws {
        var values: [String: Tensor] = [:]
        for (name, value) in model.parameters {
            values[name] = try state.tensor("\(prefix).\(name)", shape: value.shape)
        }
        try model.loadParameters(values)
    }

    /// Adds an optimizer's moments and step counts as "`prefix`.fc1.weight.m" and so on.
    static func store(_ optimizer: any Optimizer, as prefix: String, into tensors: inout [String: Tensor]) {
        for (name, value) in optimizer.state { tensors["\(prefix).\(name)"] = value.detached() }
    }

    /// Puts back the optimizer state stored under `prefix` (empty before the first step).
    static func load(_ optimizer: inout any Optimizer, from prefix: String, in state: LabState) throws {
        let start = prefix + "."
        var values: [String: Tensor] = [:]
        for (key, value) in state.tensors where key.hasPrefix(start) { values[String(key.dropFirst(start.count))] = value }
        try optimizer.restoreState(values)
    }

    // MARK: Random generator

    /// The generator's four state words, as decimal strings (JSON numbers cannot hold 64 bits).
    static func value(of generator: SeededGenerator) -> JSONValue {
        .array(generator.stateWords.map { .string(String($0)) })
    }

    static func generator(_ key: String, in state: LabState) throws -> SeededGenerator {
        guard let words = state.metadata[key]?.array?.compactMap({ $0.string.flatMap { UInt64($0) } }), words.count == 4 else {
            throw LabStateError.badMetadata(lab: state.labID, key: key, problem: "must be four 64-bit words written as strings")
        }
        return try SeededGenerator(stateWords: words)
    }

    // MARK: Metrics

    /// Every series and scalar, in order. NaN and infinities become the strings "nan", "inf" and
    /// "-inf", so a diverged run's history survives a JSON round trip.
    static func value(of metrics: Metrics) -> JSONValue {
        .object([
            "series": .array(metrics.series.map { .object(["name": .string($0.name), "values": .array($0.values.map(number))]) }),
            "scalars": .array(metrics.scalars.map { .object(["name": .string($0.name), "value": number($0.value)]) }),
        ])
    }

    static func metrics(_ key: String, in state: LabState) throws -> Metrics {
        func bad(_ problem: String) -> LabStateError { .badMetadata(lab: state.labID, key: key, problem: problem) }
        guard let object = state.metadata[key]?.object, let series = object["series"]?.array,
              let scalars = object["scalars"]?.array else { throw bad("must hold 'series' and 'scalars' lists") }
        var metrics = Metrics()
        for entry in series {
            guard let name = entry["name"]?.string, let values = entry["values"]?.array else { throw bad("has a series without name or values") }
            metrics.series.append(.init(name: name, values: try values.map { try double($0) ?? { throw bad("series '\(name)' holds a non-number") }() }))
        }
        for entry in scalars {
            guard let name = entry["name"]?.string, let raw = entry["value"], let value = double(raw) else { throw bad("has a scalar without name or number") }
            metrics.scalars.append(.init(name: name, value: value))
        }
        return metrics
    }

    // MARK: Plain values

    static func integer(_ key: String, in state: LabState) throws -> Int {
        guard let n = state.metadata[key]?.number, n == n.rounded(), abs(n) < 9e15 else {
            throw LabStateError.badMetadata(lab: state.labID, key: key, problem: "must be a whole number")
        }
        return Int(n)
    }

    private static func number(_ x: Double) -> JSONValue {
        if x.isFinite { return .number(x) }
        return .string(x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf"))
    }

    private static func double(_ value: JSONValue) -> Double? {
        switch value {
        case .number(let x): return x
        case .string("nan"): return .nan
        case .string("inf"): return .infinity
        case .string("-inf"): return -.infinity
        default: return nil
        }
    }
}
