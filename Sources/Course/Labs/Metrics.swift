import Foundation

/// What a lab has measured: named series (one value per step or per evaluation, e.g. the loss
/// history) and named single numbers (accuracy on the test set). Plain data, JSON-encodable,
/// so the headless runner can print it and checkpoints can keep it.
public struct Metrics: Sendable, Equatable, Codable {
    /// A named sequence of measurements.
    ///
    /// A long run keeps a bounded history: once a series holds `Metrics.pointLimit` points, every
    /// other point is dropped and from then on one point stands for twice as many measurements
    /// (`stride`). Each point is the last measurement of its group, and the newest point always
    /// holds the newest measurement, so `values.last` is current and the curve keeps its shape.
    /// Series appended together (a value and the step it was measured at) thin together.
    public struct Series: Sendable, Equatable, Codable {
        public var name: String
        public var values: [Double]
        /// How many measurements were appended in all (at least `values.count`).
        public private(set) var appended: Int
        /// How many measurements one point stands for: 1, then 2, 4, 8... as the run grows.
        public private(set) var stride: Int

        public init(name: String, values: [Double] = []) {
            self.name = name; self.values = values; appended = values.count; stride = 1
        }

        /// A thinned series as a checkpoint stored it. Nil when the counts cannot belong together
        /// (`stride` a power of two, `values` exactly one point per group of `stride`).
        public init?(name: String, values: [Double], appended: Int, stride: Int) {
            guard stride >= 1, stride <= 1 << 40, stride & (stride - 1) == 0, appended >= 0, appended <= 1 << 50,
                  values.count == (appended + stride - 1) / stride, values.count <= Metrics.pointLimit else { return nil }
            self.name = name; self.values = values; self.appended = appended; self.stride = stride
        }

        /// Adds one measurement: a new point when the last group is full, else it replaces the
        /// last point (which always holds its group's newest value).
        mutating func append(_ value: Double) {
            if appended % stride == 0 { values.append(value) } else { values[values.count - 1] = value }
            appended += 1
            if appended % stride == 0 && values.count >= Metrics.pointLimit {
                // Keep the last point of every pair: each now ends a group twice as long.
                values = Swift.stride(from: 1, to: values.count, by: 2).map { values[$0] }
                stride *= 2
            }
        }

        /// The measurement index (0, 1, 2... in append order) of each point, when the series has
        /// been thinned; nil while every measurement is still a point of its own.
        public var measurementIndices: [Double]? {
            guard stride > 1 else { return nil }
            return values.indices.map { Double(Swift.min(($0 + 1) * stride, appended) - 1) }
        }

        enum CodingKeys: String, CodingKey { case name, values, appended, stride }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            values = try c.decode([Double].self, forKey: .values)
            appended = try c.decodeIfPresent(Int.self, forKey: .appended) ?? values.count
            stride = try c.decodeIfPresent(Int.self, forKey: .stride) ?? 1
        }
    }

    /// Points a series keeps at most before it is thinned (a few tens of KB a series in a
    /// checkpoint, however long the run).
    public static let pointLimit = 4096

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

    /// Where each point of series `name` stands along the run, counted in its own measurements
    /// (for a chart's x axis); nil while the series is unthinned and its points are 0, 1, 2...
    public func measurementIndices(_ name: String) -> [Double]? {
        series.first { $0.name == name }?.measurementIndices
    }

    /// The scalar `name`, else the last value of series `name`.
    public func latest(_ name: String) -> Double? {
        scalars.first { $0.name == name }?.value ?? series.first { $0.name == name }?.values.last
    }

    /// Appends to series `name`, creating it if needed.
    public mutating func append(_ value: Double, to name: String) {
        if let i = series.firstIndex(where: { $0.name == name }) { series[i].append(value) }
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
