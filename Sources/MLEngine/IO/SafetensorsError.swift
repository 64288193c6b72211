/// Everything that can be wrong with a safetensors file or a request to an archive.
/// Each case says what was found and what was expected, in words.
public enum SafetensorsError: Error, Equatable, CustomStringConvertible {
    /// The file cannot hold even the 8-byte header length.
    case fileTooShort(size: Int)
    /// The declared header length is more than the file holds after the length field.
    case headerPastEnd(declared: UInt64, available: Int)
    /// The declared header length is beyond any sane header (100 MB, as the reference reader).
    case headerTooLarge(declared: UInt64)
    /// The header bytes are not UTF-8, not JSON, or not a JSON object.
    case invalidHeader(String)
    /// A tensor entry lacks a field or has one of the wrong kind.
    case invalidEntry(name: String, problem: String)
    case unknownDType(name: String, dtype: String)
    case invalidShape(name: String, problem: String)
    /// `data_offsets` are not two ordered non-negative integers.
    case invalidOffsets(name: String, problem: String)
    /// The offsets span a different number of bytes than dtype size times element count.
    case wrongByteCount(name: String, expected: Int, actual: Int)
    case offsetsPastEnd(name: String, end: Int, bufferSize: Int)
    case overlappingTensors(first: String, second: String)
    /// Bytes of the buffer belong to no tensor (a gap between tensors, or trailing bytes).
    case uncoveredBytes(from: Int, to: Int)
    case metadataNotStrings(key: String, found: String)
    /// Lookups and setters on an archive.
    case noSuchTensor(String)
    case wrongDType(name: String, expected: SafetensorsDType, actual: SafetensorsDType)
    case invalidName(String)
    case sizeMismatch(name: String, shape: [Int], elements: Int)
    /// Reading or writing the file failed at the operating-system level.
    case io(path: String, problem: String)

    public var description: String {
        switch self {
        case let .fileTooShort(size):
            "the file has \(grouped(size)) bytes; a safetensors file starts with an 8-byte header length"
        case let .headerPastEnd(declared, available):
            "header says \(grouped(declared)) bytes but the file has \(grouped(available)) after the length field"
        case let .headerTooLarge(declared):
            "header says \(grouped(declared)) bytes, more than the 100,000,000 a safetensors header may have"
        case let .invalidHeader(problem):
            "the header is not valid: \(problem)"
        case let .invalidEntry(name, problem):
            "tensor \"\(name)\": \(problem)"
        case let .unknownDType(name, dtype):
            "tensor \"\(name)\" has unknown dtype \"\(dtype)\" (known: "
                + SafetensorsDType.allCases.map(\.rawValue).joined(separator: ", ") + ")"
        case let .invalidShape(name, problem):
            "tensor \"\(name)\" has an invalid shape: \(problem)"
        case let .invalidOffsets(name, problem):
            "tensor \"\(name)\" has invalid data_offsets: \(problem)"
        case let .wrongByteCount(name, expected, actual):
            "tensor \"\(name)\" needs \(grouped(expected)) bytes for its dtype and shape but its offsets span \(grouped(actual))"
        case let .offsetsPastEnd(name, end, bufferSize):
            "tensor \"\(name)\" ends at byte \(grouped(end)) but the data buffer has only \(grouped(bufferSize))"
        case let .overlappingTensors(first, second):
            "tensors \"\(first)\" and \"\(second)\" overlap in the data buffer"
        case let .uncoveredBytes(from, to):
            "bytes \(grouped(from))..<\(grouped(to)) of the data buffer belong to no tensor"
        case let .metadataNotStrings(key, found):
            "__metadata__ must map strings to strings, but \"\(key)\" is \(found)"
        case let .noSuchTensor(name):
            "no tensor named \"\(name)\""
        case let .wrongDType(name, expected, actual):
            "tensor \"\(name)\" is \(actual.rawValue), not \(expected.rawValue)"
        case let .invalidName(name):
            "\"\(name)\" cannot name a tensor (empty, or the reserved __metadata__)"
        case let .sizeMismatch(name, shape, elements):
            "tensor \"\(name)\": shape \(shape) does not hold \(grouped(elements)) elements"
        case let .io(path, problem):
            "\(path): \(problem)"
        }
    }
}

/// 4000000 -> "4,000,000", so sizes in messages read at a glance.
func grouped<Number: BinaryInteger>(_ value: Number) -> String {
    let digits = String(value.magnitude)
    var out = ""
    for (index, digit) in digits.enumerated() {
        if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
        out.append(digit)
    }
    return (value < 0 ? "-" : "") + out
}
