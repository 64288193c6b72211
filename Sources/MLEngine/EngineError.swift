/// Errors the engine reports for bad input (as opposed to programming errors in op arithmetic,
/// which stop with a precondition message naming the shapes involved).
public enum EngineError: Error, CustomStringConvertible, Equatable {
    case shapeMismatch(String)
    case labelOutOfRange(label: Int, classes: Int)
    case unknownParameter(String)
    case missingParameter(String)
    case notPositiveDefinite(String)
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .shapeMismatch(let what): return "shape mismatch: \(what)"
        case .labelOutOfRange(let label, let classes): return "class label \(label) is outside 0..<\(classes)"
        case .unknownParameter(let name): return "no parameter named '\(name)'"
        case .missingParameter(let name): return "parameter '\(name)' is missing from the given values"
        case .notPositiveDefinite(let what): return "cannot solve: \(what)"
        case .invalidArgument(let what): return "invalid argument: \(what)"
        }
    }
}
