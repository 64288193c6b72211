import Foundation

/// What a lab has measured: named series (one value per step or per evaluation, e.g. the loss
/// history) and named single numbers (accuracy on the test set). Plain data, JSON-encodable,
/// so the headless runner can print it and checkpoints can keep it.
public struct Metrics: Sendable, Equatable, Codable {
    /// A named sequence of measurements.
    public struct Series: Sendable, Equatable, Codable {
        public var name: String
        public var values: [Double]
        public init(name: String, values: [Double] = []) { self.name = name; self.values = values }
    }

    /// In display order.
    public var series: [Series]
    /// In display order.
    public var scalars: [Scalar]

    /// A named single number.
    public struct Scalar: Sendable, Equatable, Codable {
        public var name: String
        public var value: Double
        public init(name: String, value: Double) { self.name = name; self.value = value }
    }

    public init(series: [Series] = [], scalars: [Scalar] = []) {
        self.series = series
        self.scalars = scalars
    }

    /// The values of series `name` (empty if there is none).
    public func values(_ name: String) -> [Double] { series.first { $0.name == name }?.values ?? [] }

    /// The scalar `name`, else the last value of series `name`.
    public func latest(_ name: String) -> Double? {
        scalars.first { $0.name == name }?.value ?? series.first { $0.name == name }?.values.last
    }

    /// Appends to series `name`, creating it if needed.
    public mutating func append(_ value: Double, to name: String) {
        if let i = series.firstIndex(where: { $0.name == name }) { series[i].values.append(value) }
        else { series.append(Series(name: name, values: [value])) }
    }

    /// Sets scalar `name`, creating it if needed.
    public mutating func set(_ name: String, _ value: Double) {
        if let i = scalars.firstIndex(where: { $0.name == name }) { scalars[i].value = value }
        else { scalars.append(Scalar(name: name, value: value)) }
    }

    /// JSON with NaN and infinities written as the strings "nan", "inf", "-inf" (plain JSON has
    /// no spelling for them, and a diverged run must still be reportable).
    public func jsonData(prettyPrinted: Bool = false) throws -> Data {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        encoder.outputFormatting = prettyPrinted ? [.prettyPrinted, .sortedKeys] : [.sortedKeys]
        return try encoder.encode(self)
    }
}
