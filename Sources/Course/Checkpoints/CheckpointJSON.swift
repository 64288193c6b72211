import Foundation

/// The JSON held in a checkpoint's metadata strings, spelled for Python readers: a hyperparameter
/// value is a plain number or string (not Swift's enum encoding), events are flat objects.
enum CheckpointJSON {
    /// A hyperparameter value: a JSON number is `.number`, a JSON string is `.choice`.
    struct Value: Codable, Equatable {
        var value: HyperValue

        init(_ value: HyperValue) { self.value = value }

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Double.self) { value = .number(number) }
            else { value = .choice(try container.decode(String.self)) }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch value {
            case .number(let n): try container.encode(n)
            case .choice(let c): try container.encode(c)
            }
        }
    }

    struct Setting: Codable, Equatable {
        var name: String
        var value: Value
    }

    struct Event: Codable, Equatable {
        var step: Int
        var name: String
        var value: Value
    }

    /// The run record without the lab and seed, which have their own keys.
    struct Run: Codable, Equatable {
        var initial: [Setting]
        var events: [Event]

        init(_ record: RunRecord) {
            initial = record.initial.map { Setting(name: $0.name, value: Value($0.value)) }
            events = record.events.map { Event(step: $0.step, name: $0.name, value: Value($0.value)) }
        }

        func record(lab: String, seed: UInt64) -> RunRecord {
            RunRecord(labID: lab, seed: seed,
                      initial: initial.map { RunRecord.Setting(name: $0.name, value: $0.value.value) },
                      events: events.map { HyperparameterEvent(step: $0.step, name: $0.name, value: $0.value.value) })
        }
    }

    /// Encodes with sorted keys (equal checkpoints give equal bytes); NaN and infinities become
    /// the strings "nan", "inf", "-inf" when `nonFinite` is set (metrics of a diverged run).
    static func encode<T: Encodable>(_ value: T, nonFinite: Bool = false) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if nonFinite {
            encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        }
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, from text: String, nonFinite: Bool = false) throws -> T {
        let decoder = JSONDecoder()
        if nonFinite {
            decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        }
        return try decoder.decode(type, from: Data(text.utf8))
    }

    /// A decoding error in a few words: "not valid JSON", "missing 'events'", "wrong value at 'events.0.step'".
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        switch error {
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "is not valid JSON" : "has a wrong value at '\(path(context.codingPath))'"
        case .keyNotFound(let key, let context):
            return "lacks '\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "has a wrong value at '\(path(context.codingPath))'"
        @unknown default:
            return "\(error)"
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.isEmpty ? "(top)" : keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }
}
