import Course
import MLEngine

/// Turning the non-tensor half of a lab's state (generator words, metric history, settings)
/// into checkpoint metadata and back, the same way in every lab.
///
/// JSON numbers are doubles, so 64-bit generator words travel as decimal strings; a diverged
/// run's NaN and infinities travel as the strings "nan", "inf" and "-inf".
public enum StateCoding {
    // MARK: Random generator

    public static func json(_ generator: SeededGenerator) -> JSONValue {
        .array(generator.stateWords.map { .string(String($0)) })
    }

    /// - Throws: `LabStateError.badMetadata` unless `value` holds four words.
    public static func generator(from value: JSONValue?, key: String, lab: String) throws -> SeededGenerator {
        guard let words = value?.array?.compactMap({ $0.string.flatMap(UInt64.init) }), words.count == 4 else {
            throw LabStateError.badMetadata(lab: lab, key: key, problem: "must be four unsigned 64-bit words as strings")
        }
        return try SeededGenerator(stateWords: words)
    }

    // MARK: Numbers, finite or not

    public static func json(_ x: Double) -> JSONValue {
        if x.isFinite { return .number(x) }
        return .string(x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf"))
    }

    public static func double(from value: JSONValue) -> Double? {
        if let x = value.number { return x }
        switch value.string {
        case "nan": return .nan
        case "inf": return .infinity
        case "-inf": return -.infinity
        default: return nil
        }
    }

    /// A required number.
    public static func double(_ value: JSONValue?, key: String, lab: String) throws -> Double {
        guard let value, let x = double(from: value) else {
            throw LabStateError.badMetadata(lab: lab, key: key, problem: "must be a number")
        }
        return x
    }

    /// `x` as an Int when it is a whole number in `range`; nil for NaN, infinities, fractions
    /// and anything outside (converting those with `Int(_:)` would trap). Every count, index
    /// and step read from a file goes through here.
    public static func int(_ x: Double, in range: ClosedRange<Int>) -> Int? {
        guard x.isFinite, x == x.rounded(), x >= Double(range.lowerBound), x <= Double(range.upperBound) else { return nil }
        return Int(x)
    }

    /// A required string.
    public static func string(_ value: JSONValue?, key: String, lab: String) throws -> String {
        guard let s = value?.string else { throw LabStateError.badMetadata(lab: lab, key: key, problem: "must be a string") }
        return s
    }

    // MARK: Metrics

    /// `{"series": [{"name": ..., "values": [...]}], "scalars": [{"name": ..., "value": ...}]}`,
    /// keeping the display order.
    public static func json(_ metrics: Metrics) -> JSONValue {
        .object([
            "series": .array(metrics.series.map { series in
                var fields: [String: JSONValue] = ["name": .string(series.name), "values": .array(series.values.map(json))]
                // A thinned series also says how many measurements its points stand for.
                if series.stride > 1 {
                    fields["appended"] = json(Double(series.appended))
                    fields["stride"] = json(Double(series.stride))
                }
                return .object(fields)
            }),
            "scalars": .array(metrics.scalars.map { scalar in
                .object(["name": .string(scalar.name), "value": json(scalar.value)])
            }),
        ])
    }

    /// - Throws: `LabStateError.badMetadata` naming `key` when the shape is wrong.
    public static func metrics(from value: JSONValue?, key: String, lab: String) throws -> Metrics {
        let bad = LabStateError.badMetadata(lab: lab, key: key, problem: "must be {series: [{name, values}], scalars: [{name, value}]}")
        guard let seriesList = value?["series"]?.array, let scalarList = value?["scalars"]?.array else { throw bad }
        var metrics = Metrics()
        for item in seriesList {
            guard let name = item["name"]?.string, let raw = item["values"]?.array else { throw bad }
            let values = raw.compactMap(double(from:))
            guard values.count == raw.count else { throw bad }
            if item["stride"] == nil && item["appended"] == nil {
                metrics.series.append(.init(name: name, values: values))
            } else {
                guard let appended = item["appended"].flatMap(double(from:)), let stride = item["stride"].flatMap(double(from:)),
                      let exactAppended = Int(exactly: appended), let exactStride = Int(exactly: stride),
                      let series = Metrics.Series(name: name, values: values, appended: exactAppended, stride: exactStride) else {
                    throw LabStateError.badMetadata(lab: lab, key: key, problem: "series '\(name)' has counts that do not fit its values")
                }
                metrics.series.append(series)
            }
        }
        for item in scalarList {
            guard let name = item["name"]?.string, let raw = item["value"], let value = double(from: raw) else { throw bad }
            metrics.scalars.append(.init(name: name, value: value))
        }
        return metrics
    }

    // MARK: Hyperparameters

    /// Every hyperparameter's current value, by name.
    public static func json(_ parameters: [Hyperparameter]) -> JSONValue {
        .object(Dictionary(uniqueKeysWithValues: parameters.map { p in
            (p.name, p.value.number.map(json) ?? .string(p.value.choice ?? ""))
        }))
    }

    /// Reads back what `json(_ parameters:)` wrote, as values for `Lab.set(_:to:)`, in the
    /// order of `parameters` (names missing from the state are skipped).
    public static func settings(from value: JSONValue?, for parameters: [Hyperparameter], key: String,
                                lab: String) throws -> [(name: String, value: HyperValue)] {
        guard let object = value?.object else {
            throw LabStateError.badMetadata(lab: lab, key: key, problem: "must map hyperparameter names to values")
        }
        return try parameters.compactMap { parameter in
            guard let raw = object[parameter.name] else { return nil }
            switch parameter.domain {
            case .numeric:
                return (parameter.name, .number(try double(raw, key: "\(key).\(parameter.name)", lab: lab)))
            case .choices:
                return (parameter.name, .choice(try string(raw, key: "\(key).\(parameter.name)", lab: lab)))
            }
        }
    }
}
