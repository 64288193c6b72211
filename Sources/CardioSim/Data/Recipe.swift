import Foundation

/// The generator and its parameters, one case per kind of data set.
public enum RecipeParameters: Sendable, Equatable {
    case beats(BeatDatasetConfig)
    case segmentation(SegmentationConfig)
    case twelveLead(TwelveLeadConfig)
    case patients(PatientTableConfig)
    case riskCurve(RiskCurveConfig)
    case windkessel(WindkesselConfig)
    case dosingTrajectories(DosingTrajectoryConfig)
    case longRange(LongRangeConfig)

    /// The `generator` name written in recipe files.
    public var generator: String {
        switch self {
        case .beats: return "beats"
        case .segmentation: return "segmentation"
        case .twelveLead: return "twelve-lead"
        case .patients: return "patients"
        case .riskCurve: return "risk-curve"
        case .windkessel: return "windkessel"
        case .dosingTrajectories: return "dosing-trajectories"
        case .longRange: return "long-range"
        }
    }

    public static let generators = ["beats", "segmentation", "twelve-lead", "patients", "risk-curve", "windkessel", "dosing-trajectories", "long-range"]
}

/// A data set's recipe: which generator, with which parameters and seed. Stored as
/// Datasets/NAME.json:
///
///     { "name": "beats", "description": "...", "generator": "beats", "seed": 42,
///       "parameters": { ... the generator's settings ... } }
public struct Recipe: Codable, Sendable, Equatable {
    public var name: String
    public var description: String
    public var seed: UInt64
    public var parameters: RecipeParameters

    public init(name: String, description: String, seed: UInt64, parameters: RecipeParameters) {
        self.name = name
        self.description = description
        self.seed = seed
        self.parameters = parameters
    }

    enum CodingKeys: String, CodingKey { case name, description, generator, seed, parameters }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        description = try c.decode(String.self, forKey: .description)
        seed = try c.decode(UInt64.self, forKey: .seed)
        let generator = try c.decode(String.self, forKey: .generator)
        switch generator {
        case "beats": parameters = .beats(try c.decode(BeatDatasetConfig.self, forKey: .parameters))
        case "segmentation": parameters = .segmentation(try c.decode(SegmentationConfig.self, forKey: .parameters))
        case "twelve-lead": parameters = .twelveLead(try c.decode(TwelveLeadConfig.self, forKey: .parameters))
        case "patients": parameters = .patients(try c.decode(PatientTableConfig.self, forKey: .parameters))
        case "risk-curve": parameters = .riskCurve(try c.decode(RiskCurveConfig.self, forKey: .parameters))
        case "windkessel": parameters = .windkessel(try c.decode(WindkesselConfig.self, forKey: .parameters))
        case "dosing-trajectories": parameters = .dosingTrajectories(try c.decode(DosingTrajectoryConfig.self, forKey: .parameters))
        case "long-range": parameters = .longRange(try c.decode(LongRangeConfig.self, forKey: .parameters))
        default:
            throw DecodingError.dataCorruptedError(forKey: .generator, in: c, debugDescription:
                "unknown generator '\(generator)'; known: \(RecipeParameters.generators.joined(separator: ", "))")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(description, forKey: .description)
        try c.encode(parameters.generator, forKey: .generator)
        try c.encode(seed, forKey: .seed)
        switch parameters {
        case .beats(let p): try c.encode(p, forKey: .parameters)
        case .segmentation(let p): try c.encode(p, forKey: .parameters)
        case .twelveLead(let p): try c.encode(p, forKey: .parameters)
        case .patients(let p): try c.encode(p, forKey: .parameters)
        case .riskCurve(let p): try c.encode(p, forKey: .parameters)
        case .windkessel(let p): try c.encode(p, forKey: .parameters)
        case .dosingTrajectories(let p): try c.encode(p, forKey: .parameters)
        case .longRange(let p): try c.encode(p, forKey: .parameters)
        }
    }

    /// The recipe as the pretty JSON of a recipe file.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    /// Reads a recipe file; errors name the file and the field.
    public static func read(from url: URL) throws -> Recipe {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw CardioSimError.io("cannot read \(url.path): \(error.localizedDescription)")
        }
        do { return try JSONDecoder().decode(Recipe.self, from: data) } catch let error as DecodingError {
            throw CardioSimError.recipe(file: url.path, message: Self.explain(error))
        }
    }

    static func explain(_ error: DecodingError) -> String {
        func path(_ keys: [CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let at = path(context.codingPath)
            return "missing field '\(key.stringValue)'" + (at.isEmpty ? "" : " in \(at)")
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "wrong type at \(path(context.codingPath)): \(context.debugDescription)"
        case .dataCorrupted(let context):
            let at = path(context.codingPath)
            return (at.isEmpty ? "" : "\(at): ") + context.debugDescription
        @unknown default:
            return "\(error)"
        }
    }
}
