import Foundation

/// A value a benchmark reports: a JSON value whose objects keep their keys in order, so the
/// printed table and the `--json` output read in the order the benchmark chose.
public indirect enum BenchValue: Sendable, Equatable {
    case number(Double)
    case string(String)
    case bool(Bool)
    case null
    case array([BenchValue])
    case object([(String, BenchValue)])

    public static func == (lhs: BenchValue, rhs: BenchValue) -> Bool {
        switch (lhs, rhs) {
        case let (.number(x), .number(y)): return x == y
        case let (.string(x), .string(y)): return x == y
        case let (.bool(x), .bool(y)): return x == y
        case (.null, .null): return true
        case let (.array(x), .array(y)): return x == y
        case let (.object(x), .object(y)): return x.map(\.0) == y.map(\.0) && x.map(\.1) == y.map(\.1)
        default: return false
        }
    }

    /// Compact JSON text. Numbers keep 4 significant decimals; non-finite numbers become null.
    public var json: String {
        switch self {
        case let .number(x):
            guard x.isFinite else { return "null" }
            if x == x.rounded() && abs(x) < 1e15 { return String(Int64(x)) }
            return String(format: "%.4g", x)
        case let .string(s): return Self.quote(s)
        case let .bool(b): return b ? "true" : "false"
        case .null: return "null"
        case let .array(items): return "[" + items.map(\.json).joined(separator: ",") + "]"
        case let .object(pairs):
            return "{" + pairs.map { Self.quote($0.0) + ":" + $0.1.json }.joined(separator: ",") + "}"
        }
    }

    /// Short human text for the table: numbers with up to 3 decimals, objects as `key=value` pairs.
    public var text: String {
        switch self {
        case let .number(x):
            guard x.isFinite else { return "n/a" }
            return abs(x) >= 100 ? String(format: "%.1f", x) : String(format: "%.3g", x)
        case let .string(s): return s
        case let .bool(b): return b ? "yes" : "no"
        case .null: return "n/a"
        case let .array(items): return items.map(\.text).joined(separator: ", ")
        case let .object(pairs): return pairs.map { "\($0.0)=\($0.1.text)" }.joined(separator: "  ")
        }
    }

    /// A JSON string literal. Foundation's encoder knows JSON's escaping rules (quotes,
    /// backslashes, control characters); a String always encodes.
    private static func quote(_ s: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        return (try? encoder.encode(s)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
    }
}

extension BenchValue: Decodable {
    /// Reads any JSON (the NumPy child process's report). Object keys come back sorted.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let b = try? container.decode(Bool.self) {
            self = .bool(b)
        } else if let x = try? container.decode(Double.self) {
            self = .number(x)
        } else if let s = try? container.decode(String.self) {
            self = .string(s)
        } else if let items = try? container.decode([BenchValue].self) {
            self = .array(items)
        } else {
            let pairs = try container.decode([String: BenchValue].self)
            self = .object(pairs.keys.sorted().map { ($0, pairs[$0]!) })
        }
    }

    /// The member `key` of an object, or nil.
    public subscript(key: String) -> BenchValue? {
        guard case let .object(pairs) = self else { return nil }
        return pairs.first { $0.0 == key }?.1
    }

    /// The number, or nil.
    public var number: Double? {
        if case let .number(x) = self { return x }
        return nil
    }
}
