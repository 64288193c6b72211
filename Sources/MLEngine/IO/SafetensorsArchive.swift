#if !_endian(little)
#error("safetensors stores little-endian bytes; this reader copies them as they are")
#endif

/// The contents of one safetensors file: named tensors in order, plus string metadata.
///
/// Format (https://github.com/huggingface/safetensors): an 8-byte little-endian header length
/// N, N bytes of JSON `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__":
/// {string: string}}` (padded with spaces), then the data buffer the offsets point into.
/// The course's checkpoints are these files, so Python's `safetensors.numpy.load_file` and
/// NumPy read them as they are.
///
/// ```swift
/// var archive = SafetensorsArchive(metadata: ["lab": "mlp-ecg", "step": "1200"])
/// try archive.set("layer1.weight", weights)        // a Tensor, stored as F32
/// try archive.set("rng", uint64s: generator.stateWords)
/// try archive.write(to: path)                       // atomic
/// let loaded = try SafetensorsArchive(contentsOf: path)
/// let w = try loaded.floats("layer1.weight")
/// ```
public struct SafetensorsArchive: Sendable, Equatable {
    /// One stored tensor: element type, shape and its raw little-endian bytes.
    public struct Entry: Sendable, Equatable {
        public let name: String
        public let dtype: SafetensorsDType
        public let shape: [Int]
        public let bytes: [UInt8]

        /// Number of elements (1 for a scalar of shape []).
        public var elementCount: Int { shape.reduce(1, *) }
    }

    /// Free-form string pairs stored under `__metadata__`.
    public var metadata: [String: String]
    /// The tensors, in file order (for a decoded file) or insertion order.
    public internal(set) var entries: [Entry] = []

    public init(metadata: [String: String] = [:]) {
        self.metadata = metadata
    }

    public var names: [String] { entries.map(\.name) }

    public func entry(named name: String) -> Entry? { entries.first { $0.name == name } }

    // MARK: Setting tensors

    /// Stores raw bytes under `name`, replacing an entry of that name in place.
    /// - Throws: `invalidName` for "" or "__metadata__"; `sizeMismatch` if the byte count is not
    ///   the dtype size times the shape's element count (or a dimension is negative).
    public mutating func set(_ name: String, dtype: SafetensorsDType, shape: [Int], bytes: [UInt8]) throws(SafetensorsError) {
        guard !name.isEmpty, name != "__metadata__" else { throw .invalidName(name) }
        guard shape.allSatisfy({ $0 >= 0 }), let count = Self.elementCount(shape),
              count.multipliedReportingOverflow(by: dtype.byteSize) == (bytes.count, false) else {
            throw .sizeMismatch(name: name, shape: shape, elements: bytes.count / dtype.byteSize)
        }
        let entry = Entry(name: name, dtype: dtype, shape: shape, bytes: bytes)
        if let index = entries.firstIndex(where: { $0.name == name }) {
            entries[index] = entry
        } else {
            entries.append(entry)
        }
    }

    /// Stores a tensor as F32 with its shape.
    public mutating func set(_ name: String, _ tensor: Tensor) throws(SafetensorsError) {
        try set(name, dtype: .float32, shape: tensor.shape, bytes: Self.bytes(of: tensor.copyScalars()))
    }

    /// Stores 64-bit signed integers as I64 (shape defaults to a vector).
    public mutating func set(_ name: String, int64s values: [Int64], shape: [Int]? = nil) throws(SafetensorsError) {
        try set(name, dtype: .int64, shape: shape ?? [values.count], bytes: Self.bytes(of: values))
    }

    /// Stores 64-bit unsigned integers as U64, e.g. a random generator's state words.
    public mutating func set(_ name: String, uint64s values: [UInt64], shape: [Int]? = nil) throws(SafetensorsError) {
        try set(name, dtype: .uint64, shape: shape ?? [values.count], bytes: Self.bytes(of: values))
    }

    /// Stores doubles as F64.
    public mutating func set(_ name: String, doubles values: [Double], shape: [Int]? = nil) throws(SafetensorsError) {
        try set(name, dtype: .float64, shape: shape ?? [values.count], bytes: Self.bytes(of: values))
    }

    /// Stores 32-bit signed integers as I32.
    public mutating func set(_ name: String, int32s values: [Int32], shape: [Int]? = nil) throws(SafetensorsError) {
        try set(name, dtype: .int32, shape: shape ?? [values.count], bytes: Self.bytes(of: values))
    }

    /// Stores bytes as U8.
    public mutating func set(_ name: String, uint8s values: [UInt8], shape: [Int]? = nil) throws(SafetensorsError) {
        try set(name, dtype: .uint8, shape: shape ?? [values.count], bytes: values)
    }

    /// Removes the tensor `name` if present.
    public mutating func remove(_ name: String) {
        entries.removeAll { $0.name == name }
    }

    // MARK: Reading tensors

    /// The F32 tensor `name` with its shape.
    public func floats(_ name: String) throws(SafetensorsError) -> Tensor {
        let entry = try self.entry(name, as: .float32)
        return Tensor(shape: entry.shape, scalars: Self.values(entry.bytes, as: Float.self))
    }

    /// The I64 tensor `name`, flattened.
    public func int64s(_ name: String) throws(SafetensorsError) -> [Int64] {
        Self.values(try entry(name, as: .int64).bytes, as: Int64.self)
    }

    /// The U64 tensor `name`, flattened.
    public func uint64s(_ name: String) throws(SafetensorsError) -> [UInt64] {
        Self.values(try entry(name, as: .uint64).bytes, as: UInt64.self)
    }

    /// The F64 tensor `name`, flattened.
    public func doubles(_ name: String) throws(SafetensorsError) -> [Double] {
        Self.values(try entry(name, as: .float64).bytes, as: Double.self)
    }

    /// The I32 tensor `name`, flattened.
    public func int32s(_ name: String) throws(SafetensorsError) -> [Int32] {
        Self.values(try entry(name, as: .int32).bytes, as: Int32.self)
    }

    /// The U8 tensor `name`, flattened.
    public func uint8s(_ name: String) throws(SafetensorsError) -> [UInt8] {
        try entry(name, as: .uint8).bytes
    }

    /// The shape of tensor `name`.
    public func shape(of name: String) throws(SafetensorsError) -> [Int] {
        guard let entry = entry(named: name) else { throw .noSuchTensor(name) }
        return entry.shape
    }

    private func entry(_ name: String, as dtype: SafetensorsDType) throws(SafetensorsError) -> Entry {
        guard let entry = entry(named: name) else { throw .noSuchTensor(name) }
        guard entry.dtype == dtype else { throw .wrongDType(name: name, expected: dtype, actual: entry.dtype) }
        return entry
    }

    // MARK: Encoding

    /// The complete file: header length, JSON header (metadata keys sorted, so equal archives
    /// give equal bytes; padded with spaces to a multiple of 8 so the data is 8-byte aligned),
    /// then the tensors' bytes back to back in entry order.
    public func encode() -> [UInt8] {
        var members: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { HeaderJSON.quoted($0) + ":" + HeaderJSON.quoted(metadata[$0]!) }
            members.append("\"__metadata__\":{" + pairs.joined(separator: ",") + "}")
        }
        var offset = 0
        for entry in entries {
            let shape = entry.shape.map(String.init).joined(separator: ",")
            members.append(HeaderJSON.quoted(entry.name) + ":{\"dtype\":\"\(entry.dtype.rawValue)\",\"shape\":[\(shape)],"
                           + "\"data_offsets\":[\(offset),\(offset + entry.bytes.count)]}")
            offset += entry.bytes.count
        }
        var header = Array(("{" + members.joined(separator: ",") + "}").utf8)
        header += [UInt8](repeating: 0x20, count: (8 - header.count % 8) % 8)
        var file: [UInt8] = []
        file.reserveCapacity(8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { file += $0 }
        file += header
        for entry in entries { file += entry.bytes }
        return file
    }

    /// Writes `encode()` to `path` atomically: readers see the old file or the new one, never a mix.
    /// See `AtomicFile.write` for `creatingFolders` and what is never replaced.
    public func write(to path: String, creatingFolders: Bool = true) throws(AtomicFileError) {
        try AtomicFile.write(encode(), to: path, creatingFolders: creatingFolders)
    }

    // MARK: Helpers

    /// Product of the dimensions, or nil on overflow.
    static func elementCount(_ shape: [Int]) -> Int? {
        var count = 1
        for dimension in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            if overflow { return nil }
            count = product
        }
        return count
    }

    static func bytes<T: BitwiseCopyable>(of values: [T]) -> [UInt8] {
        values.withUnsafeBytes { Array($0) }
    }

    static func values<T: BitwiseCopyable>(_ bytes: [UInt8], as type: T.Type) -> [T] {
        let count = bytes.count / MemoryLayout<T>.stride
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            bytes.withUnsafeBytes { source in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: source[0..<count * MemoryLayout<T>.stride]))
            }
            initialized = count
        }
    }
}
