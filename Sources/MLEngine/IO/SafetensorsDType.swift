/// The element types a safetensors file can declare, spelled as in its header.
public enum SafetensorsDType: String, Sendable, CaseIterable {
    case bool = "BOOL"
    case uint8 = "U8", int8 = "I8"
    case uint16 = "U16", int16 = "I16", float16 = "F16", bfloat16 = "BF16"
    case uint32 = "U32", int32 = "I32", float32 = "F32"
    case uint64 = "U64", int64 = "I64", float64 = "F64"

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .bool, .uint8, .int8: 1
        case .uint16, .int16, .float16, .bfloat16: 2
        case .uint32, .int32, .float32: 4
        case .uint64, .int64, .float64: 8
        }
    }
}
