#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `close(2)`, reachable from types that have a `close()` of their own.
private func closeDescriptor(_ descriptor: Int32) { _ = close(descriptor) }

/// Reading a safetensors file without trusting it.
///
/// Order of checks: the header length against the file size, then the JSON, then every entry's
/// dtype, shape and offsets against the size of the data buffer, and only then are the tensors'
/// bytes read or copied. A corrupt or hostile file can therefore not make us allocate more than
/// it really holds, and every defect becomes a `SafetensorsError` that says what is wrong.
extension SafetensorsArchive {
    /// Decodes a whole file held in memory.
    public init(decoding file: [UInt8]) throws(SafetensorsError) {
        let headerSize = try Self.headerSize(prefix: file, fileSize: file.count)
        let bufferStart = 8 + headerSize
        let (layout, metadata) = try Self.parseHeader(file[8..<bufferStart], bufferSize: file.count - bufferStart)
        self.init(metadata: metadata)
        for item in layout {
            let range = (bufferStart + item.bytes.lowerBound)..<(bufferStart + item.bytes.upperBound)
            entries.append(Entry(name: item.name, dtype: item.dtype, shape: item.shape, bytes: Array(file[range])))
        }
    }

    /// Reads and decodes the file at `path`, checking the header before reading the data.
    /// Anything but a regular file (a FIFO, a device, a folder) is refused before it is read,
    /// so a FIFO cannot block the program and /dev/zero cannot feed it for ever.
    public init(contentsOf path: String) throws(SafetensorsError) {
        let file = try RegularFile(path: path)
        defer { file.close() }
        let (layout, metadata, bufferStart) = try Self.readHeader(file)
        // Everything is checked against the file size now; the buffer is exactly what the header covers.
        let buffer = try file.read(file.size - bufferStart, at: bufferStart)
        self.init(metadata: metadata)
        for item in layout {
            entries.append(Entry(name: item.name, dtype: item.dtype, shape: item.shape, bytes: Array(buffer[item.bytes])))
        }
    }

    /// The `__metadata__` of the file at `path`, read without its data buffer (for listings):
    /// the header is checked as fully as when the whole file is read (sizes, offsets, JSON),
    /// only the tensors' bytes are not read.
    public static func metadata(contentsOf path: String) throws(SafetensorsError) -> [String: String] {
        let file = try RegularFile(path: path)
        defer { file.close() }
        return try readHeader(file).metadata
    }

    private static func readHeader(_ file: RegularFile) throws(SafetensorsError)
        -> (layout: [Layout], metadata: [String: String], bufferStart: Int) {
        let prefix = try file.read(min(8, file.size), at: 0)
        let headerSize = try Self.headerSize(prefix: prefix, fileSize: file.size)
        let header = try file.read(headerSize, at: 8)
        let bufferStart = 8 + headerSize
        let (layout, metadata) = try Self.parseHeader(header[...], bufferSize: file.size - bufferStart)
        return (layout, metadata, bufferStart)
    }

    /// An open regular file: opened without blocking (a FIFO with no writer would block a
    /// plain open), then refused unless fstat says it is a regular file.
    private struct RegularFile {
        let path: String
        let descriptor: Int32
        let size: Int

        init(path: String) throws(SafetensorsError) {
            self.path = path
            let descriptor = open(path, O_RDONLY | O_NONBLOCK)
            guard descriptor >= 0 else { throw .io(path: path, problem: "cannot open: \(SafetensorsArchive.systemError())") }
            var status = stat()
            guard fstat(descriptor, &status) == 0 else {
                let problem = SafetensorsArchive.systemError()
                closeDescriptor(descriptor)
                throw .io(path: path, problem: "cannot stat: \(problem)")
            }
            guard status.st_mode & S_IFMT == S_IFREG else {
                closeDescriptor(descriptor)
                throw .io(path: path, problem: "is \(Self.kind(status.st_mode)), not a regular file")
            }
            self.descriptor = descriptor
            size = Int(status.st_size)
        }

        /// "a folder", "a FIFO (named pipe)", ... for a message.
        static func kind(_ mode: mode_t) -> String {
            switch mode & S_IFMT {
            case S_IFDIR: return "a folder"
            case S_IFIFO: return "a FIFO (named pipe)"
            case S_IFCHR: return "a character device"
            case S_IFBLK: return "a block device"
            case S_IFSOCK: return "a socket"
            default: return "not a plain file"
            }
        }

        func close() { closeDescriptor(descriptor) }

        func read(_ count: Int, at offset: Int) throws(SafetensorsError) -> [UInt8] {
            var done = 0
            var failure: String?
            let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
                while done < count {
                    let got = pread(descriptor, buffer.baseAddress! + done, count - done, off_t(offset + done))
                    if got < 0 && errno == EINTR { continue }
                    if got <= 0 {
                        failure = got == 0 ? "file ended early (it changed while being read?)" : SafetensorsArchive.systemError()
                        break
                    }
                    done += got
                }
                initialized = done
            }
            if let failure { throw .io(path: path, problem: "cannot read: \(failure)") }
            return bytes
        }
    }

    /// Where one tensor lies in the data buffer, after validation.
    struct Layout {
        let name: String
        let dtype: SafetensorsDType
        let shape: [Int]
        let bytes: Range<Int>
    }

    /// The largest header the reference implementation accepts.
    static let maximumHeaderSize: UInt64 = 100_000_000

    /// Reads the 8-byte length and checks it against what the file holds.
    static func headerSize(prefix: [UInt8], fileSize: Int) throws(SafetensorsError) -> Int {
        guard fileSize >= 8, prefix.count >= 8 else { throw .fileTooShort(size: fileSize) }
        var declared: UInt64 = 0
        for index in (0..<8).reversed() { declared = declared << 8 | UInt64(prefix[index]) }
        guard declared <= UInt64(fileSize - 8) else { throw .headerPastEnd(declared: declared, available: fileSize - 8) }
        guard declared <= maximumHeaderSize else { throw .headerTooLarge(declared: declared) }
        guard declared >= 2 else { throw .invalidHeader("\(declared) bytes cannot hold a JSON object") }
        return Int(declared)
    }

    /// Parses the JSON header and validates every entry against a data buffer of `bufferSize`
    /// bytes. Returns the tensors in buffer order and the metadata.
    static func parseHeader(_ header: ArraySlice<UInt8>, bufferSize: Int) throws(SafetensorsError)
        -> (layout: [Layout], metadata: [String: String]) {
        guard String(validating: header, as: UTF8.self) != nil else { throw .invalidHeader("it is not UTF-8 text") }
        let json: HeaderJSON
        do {
            json = try HeaderJSON.parse(header)
        } catch {
            throw .invalidHeader("JSON error at byte \(error.offset) of the header: \(error.problem)")
        }
        guard case let .object(members) = json else { throw .invalidHeader("it is \(json.kind), not a JSON object") }

        var metadata: [String: String] = [:]
        var layout: [Layout] = []
        for (name, value) in members {
            if name == "__metadata__" {
                guard case let .object(pairs) = value else {
                    throw .invalidHeader("__metadata__ is \(value.kind), not an object of strings")
                }
                for (key, item) in pairs {
                    guard case let .string(text) = item else { throw .metadataNotStrings(key: key, found: item.kind) }
                    metadata[key] = text
                }
            } else {
                layout.append(try entryLayout(name: name, value, bufferSize: bufferSize))
            }
        }

        // Sorted by position, the tensors must tile the buffer exactly: no overlap, no gap.
        layout.sort { ($0.bytes.lowerBound, $0.bytes.upperBound) < ($1.bytes.lowerBound, $1.bytes.upperBound) }
        var covered = 0
        var previous: String?
        for item in layout {
            if item.bytes.lowerBound < covered, let previous {
                throw .overlappingTensors(first: previous, second: item.name)
            }
            if item.bytes.lowerBound > covered { throw .uncoveredBytes(from: covered, to: item.bytes.lowerBound) }
            covered = item.bytes.upperBound
            previous = item.name
        }
        if covered < bufferSize { throw .uncoveredBytes(from: covered, to: bufferSize) }
        return (layout, metadata)
    }

    /// Validates one `name: {dtype, shape, data_offsets}` member.
    private static func entryLayout(name: String, _ value: HeaderJSON, bufferSize: Int) throws(SafetensorsError) -> Layout {
        guard case let .object(fields) = value else {
            throw .invalidEntry(name: name, problem: "its description is \(value.kind), not an object")
        }
        func field(_ key: String) throws(SafetensorsError) -> HeaderJSON {
            guard let found = fields.first(where: { $0.key == key }) else {
                throw .invalidEntry(name: name, problem: "missing \"\(key)\"")
            }
            return found.value
        }

        guard case let .string(dtypeName) = try field("dtype") else {
            throw .invalidEntry(name: name, problem: "\"dtype\" is not a string")
        }
        guard let dtype = SafetensorsDType(rawValue: dtypeName) else { throw .unknownDType(name: name, dtype: dtypeName) }

        guard case let .array(dimensions) = try field("shape") else {
            throw .invalidShape(name: name, problem: "\"shape\" is not an array")
        }
        var shape: [Int] = []
        for dimension in dimensions {
            guard case let .number(text) = dimension else {
                throw .invalidShape(name: name, problem: "dimension is \(dimension.kind), not a number")
            }
            guard let size = nonNegativeInteger(text) else {
                throw .invalidShape(name: name, problem: "dimension \(text) is not a non-negative integer that fits in 64 bits")
            }
            shape.append(size)
        }
        guard let count = elementCount(shape) else {
            throw .invalidShape(name: name, problem: "\(shape) has more elements than fit in 64 bits")
        }
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: dtype.byteSize)
        guard !overflow else { throw .invalidShape(name: name, problem: "\(shape) of \(dtypeName) needs more bytes than fit in 64 bits") }

        guard case let .array(bounds) = try field("data_offsets"), bounds.count == 2 else {
            throw .invalidOffsets(name: name, problem: "expected an array [begin, end]")
        }
        var offsets: [Int] = []
        for bound in bounds {
            guard case let .number(text) = bound, let offset = nonNegativeInteger(text) else {
                throw .invalidOffsets(name: name, problem: "\(bound) is not a non-negative integer that fits in 64 bits")
            }
            offsets.append(offset)
        }
        let (begin, end) = (offsets[0], offsets[1])
        guard begin <= end else { throw .invalidOffsets(name: name, problem: "begin \(grouped(begin)) is after end \(grouped(end))") }
        guard end - begin == byteCount else { throw .wrongByteCount(name: name, expected: byteCount, actual: end - begin) }
        guard end <= bufferSize else { throw .offsetsPastEnd(name: name, end: end, bufferSize: bufferSize) }
        return Layout(name: name, dtype: dtype, shape: shape, bytes: begin..<end)
    }

    /// A JSON number that is a plain non-negative integer within Int's range, or nil.
    private static func nonNegativeInteger(_ text: String) -> Int? {
        guard text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        return Int(text)
    }

    static func systemError() -> String { String(cString: strerror(errno)) }
}
