/// CRC-32 (the polynomial of zlib, PNG and Ethernet), so a checkpoint can tell when a tensor's
/// bytes changed after saving: safetensors checks the structure, not the numbers. Python checks
/// the same value with `zlib.crc32(array.tobytes())`.
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { index in
        var c = UInt32(index)
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        table.withUnsafeBufferPointer { t in
            var crc: UInt32 = 0xFFFF_FFFF
            for byte in bytes { crc = t[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
            return crc ^ 0xFFFF_FFFF
        }
    }

    /// Eight lowercase hex digits, as Python's `format(zlib.crc32(b), "08x")`.
    static func hex(_ bytes: [UInt8]) -> String {
        let text = String(checksum(bytes), radix: 16)
        return String(repeating: "0", count: 8 - text.count) + text
    }
}
