/// Errors of the simulator and its data files, each with a message a learner can act on.
public enum CardioSimError: Error, CustomStringConvertible, Equatable {
    case invalidParameter(String)
    case unknownDataset(name: String, valid: [String])
    case recipe(file: String, message: String)
    case csv(file: String, line: Int, column: Int?, message: String)
    /// A recording that parsed but cannot be imported (no rate, too short, no beats, no such lead).
    case recording(file: String, message: String)
    case io(String)
    case unavailable(String)

    public var description: String {
        switch self {
        case .invalidParameter(let message): return "invalid parameter: \(message)"
        case .unknownDataset(let name, let valid):
            return "unknown dataset '\(name)'; valid names: \(valid.joined(separator: ", "))"
        case .recipe(let file, let message): return "\(file): \(message)"
        case .csv(let file, let line, let column, let message):
            if let column { return "\(file):\(line): column \(column): \(message)" }
            return "\(file):\(line): \(message)"
        case .recording(let file, let message): return "\(file): \(message)"
        case .io(let message): return message
        case .unavailable(let message): return message
        }
    }
}
