import Foundation
import Testing
@testable import MLEngine

/// A file assembled by hand from header text and buffer bytes, independent of our encoder.
private func handMadeFile(_ header: String, buffer: [UInt8], declaredLength: UInt64? = nil) -> [UInt8] {
    let headerBytes = Array(header.utf8)
    var file: [UInt8] = []
    withUnsafeBytes(of: (declaredLength ?? UInt64(headerBytes.count)).littleEndian) { file += $0 }
    return file + headerBytes + buffer
}

private func floatBytes(_ values: [Float]) -> [UInt8] { values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) } }

private func decodingError(_ file: [UInt8]) -> SafetensorsError? {
    do {
        _ = try SafetensorsArchive(decoding: file)
        return nil
    } catch {
        return error
    }
}

@Suite struct SafetensorsTests {
    static func sampleArchive() throws -> SafetensorsArchive {
        var archive = SafetensorsArchive(metadata: ["lab": "mlp-ecg", "note": "ünïcode \"quoted\"\nline", "step": "1200"])
        try archive.set("layer1.weight", Tensor(shape: [2, 3], scalars: [1, -2.5, 3e-8, .infinity, 0, -0]))
        try archive.set("scalar", Tensor(shape: [], scalars: [42]))
        try archive.set("empty", Tensor(shape: [0, 4], scalars: []))
        try archive.set("rng", uint64s: [0, 1, .max, 0x8000_0000_0000_0005])
        try archive.set("labels", int64s: [-1, 7, .min, .max], shape: [2, 2])
        try archive.set("lr", doubles: [0.1, -1e300])
        try archive.set("counts", int32s: [-3, 5])
        try archive.set("mask", uint8s: [0, 1, 255])
        return archive
    }

    @Test func roundTripsEveryTypeShapeAndMetadata() throws {
        let archive = try Self.sampleArchive()
        let decoded = try SafetensorsArchive(decoding: archive.encode())
        #expect(decoded == archive)
        #expect(decoded.names == archive.names)
        let weight = try decoded.floats("layer1.weight")
        #expect(weight.shape == [2, 3])
        #expect(weight.copyScalars().map(\.bitPattern) == [1, -2.5, 3e-8, .infinity, 0, -0].map { Float($0).bitPattern })
        #expect(try decoded.floats("scalar").shape == [])
        #expect(try decoded.floats("empty").shape == [0, 4])
        #expect(try decoded.uint64s("rng") == [0, 1, .max, 0x8000_0000_0000_0005])
        #expect(try decoded.int64s("labels") == [-1, 7, .min, .max])
        #expect(try decoded.shape(of: "labels") == [2, 2])
        #expect(try decoded.doubles("lr") == [0.1, -1e300])
        #expect(try decoded.int32s("counts") == [-3, 5])
        #expect(try decoded.uint8s("mask") == [0, 1, 255])
        #expect(decoded.metadata["note"] == "ünïcode \"quoted\"\nline")
        #expect(archive.encode() == decoded.encode(), "encoding must be deterministic")
    }

    @Test func encodesTheDocumentedLayoutByteForByte() throws {
        var archive = SafetensorsArchive()
        try archive.set("x", Tensor(shape: [2], scalars: [1, 2]))
        let header = #"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
        let padded = header + String(repeating: " ", count: (8 - header.utf8.count % 8) % 8)
        #expect(archive.encode() == handMadeFile(padded, buffer: floatBytes([1, 2])))
    }

    @Test func readsWhatPythonSafetensorsWrote() throws {
        // Written by safetensors 0.8.0: save_file({"w": float32 [[1.5,-2],[0.25,3]], "step": int64 [7,-9],
        // "seed": uint64 [2**63+5], "x64": float64 [0.1]}, metadata={"lab": "mlp-ecg", "note": 'héllo "q"'}).
        let python = "IAEAAAAAAAB7Il9fbWV0YWRhdGFfXyI6eyJub3RlIjoiaMOpbGxvIFwicVwiIiwibGFiIjoibWxwLWVjZyJ9LCJzZWVkIjp7ImR0eXBlIjoiVTY0Iiwic2hhcGUiOlsxXSwiZGF0YV9vZmZzZXRzIjpbMCw4XX0sInN0ZXAiOnsiZHR5cGUiOiJJNjQiLCJzaGFwZSI6WzJdLCJkYXRhX29mZnNldHMiOls4LDI0XX0sIng2NCI6eyJkdHlwZSI6IkY2NCIsInNoYXBlIjpbMV0sImRhdGFfb2Zmc2V0cyI6WzI0LDMyXX0sInciOnsiZHR5cGUiOiJGMzIiLCJzaGFwZSI6WzIsMl0sImRhdGFfb2Zmc2V0cyI6WzMyLDQ4XX19ICAgICAFAAAAAAAAgAcAAAAAAAAA9/////////+amZmZmZm5PwAAwD8AAADAAACAPgAAQEA="
        let archive = try SafetensorsArchive(decoding: Array(try #require(Data(base64Encoded: python))))
        #expect(archive.metadata == ["lab": "mlp-ecg", "note": "héllo \"q\""])
        #expect(archive.names == ["seed", "step", "x64", "w"])
        let w = try archive.floats("w")
        #expect(w.shape == [2, 2] && w.copyScalars() == [1.5, -2, 0.25, 3])
        #expect(try archive.int64s("step") == [7, -9])
        #expect(try archive.uint64s("seed") == [0x8000_0000_0000_0005])
        #expect(try archive.doubles("x64") == [0.1])
    }

    @Test func acceptsPaddingAnyKeyOrderAndMetadataLast() throws {
        let header = #"{ "b": {"shape": [1], "data_offsets": [4, 8], "dtype": "F32"}, "a": {"dtype": "F32", "shape": [], "data_offsets": [0, 4]}, "__metadata__": {"k": "v"} }      "#
        let archive = try SafetensorsArchive(decoding: handMadeFile(header, buffer: floatBytes([3, 4])))
        #expect(archive.names == ["a", "b"], "entries come back in buffer order")
        #expect(try archive.floats("a").copyScalars() == [3])
        #expect(try archive.floats("b").copyScalars() == [4])
        #expect(archive.metadata == ["k": "v"])
    }

    @Test func writesAndReadsFilesAtomically() throws {
        let folder = NSTemporaryDirectory() + "safetensors-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/nested/checkpoint.safetensors"
        let archive = try Self.sampleArchive()
        try archive.write(to: path)
        #expect(try SafetensorsArchive(contentsOf: path) == archive)
        #expect(throws: SafetensorsError.self) { try SafetensorsArchive(contentsOf: folder + "/missing.safetensors") }
    }

    // MARK: One test per defect

    static let validHeader = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#

    @Test func truncatedFiles() throws {
        let file = handMadeFile(Self.validHeader, buffer: floatBytes([1, 2]))
        #expect(decodingError(Array(file.prefix(5))) == .fileTooShort(size: 5))
        #expect(decodingError(Array(file.dropLast(3))) == .offsetsPastEnd(name: "a", end: 8, bufferSize: 5))
        #expect(decodingError(Array(file.prefix(20))) == .headerPastEnd(declared: UInt64(Self.validHeader.utf8.count), available: 12))
    }

    @Test func headerLengthLargerThanTheFile() {
        let file = handMadeFile(Self.validHeader, buffer: floatBytes([1, 2]), declaredLength: 4_000_000)
        let error = decodingError(file)
        #expect(error == .headerPastEnd(declared: 4_000_000, available: file.count - 8))
        #expect(error?.description == "header says 4,000,000 bytes but the file has \(file.count - 8) after the length field")
        var huge: [UInt8] = []
        withUnsafeBytes(of: UInt64(200_000_000).littleEndian) { huge += $0 }
        #expect(throws: SafetensorsError.headerTooLarge(declared: 200_000_000)) {
            try SafetensorsArchive.headerSize(prefix: huge, fileSize: 300_000_000)
        }
    }

    @Test func flippedBytesInTheJSON() {
        let broken = Self.validHeader.replacingOccurrences(of: #""dtype":"#, with: #""dtype";"#)
        guard case let .invalidHeader(message)? = decodingError(handMadeFile(broken, buffer: floatBytes([1, 2]))) else {
            Issue.record("a ';' for ':' must be a JSON error")
            return
        }
        #expect(message.contains("byte 13") && message.contains("':'"), "\(message)")
        var notUTF8 = handMadeFile(Self.validHeader, buffer: floatBytes([1, 2]))
        notUTF8[10] = 0xFF
        #expect(decodingError(notUTF8) == .invalidHeader("it is not UTF-8 text"))
        let duplicate = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
        #expect(decodingError(handMadeFile(duplicate, buffer: floatBytes([1, 2])))?.description.contains("duplicate key") == true)
        #expect(decodingError(handMadeFile("[1, 2]", buffer: [])) == .invalidHeader("it is an array, not a JSON object"))
    }

    @Test func offsetsPastTheEnd() {
        let header = #"{"a":{"dtype":"F32","shape":[200],"data_offsets":[0,800]}}"#
        #expect(decodingError(handMadeFile(header, buffer: floatBytes([1, 2]))) == .offsetsPastEnd(name: "a", end: 800, bufferSize: 8))
    }

    @Test func overlappingOffsets() {
        let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
        #expect(decodingError(handMadeFile(header, buffer: floatBytes([1, 2, 3]))) == .overlappingTensors(first: "a", second: "b"))
    }

    @Test func gapsAndTrailingBytes() {
        let gap = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#
        #expect(decodingError(handMadeFile(gap, buffer: floatBytes([1, 2, 3]))) == .uncoveredBytes(from: 4, to: 8))
        #expect(decodingError(handMadeFile(Self.validHeader, buffer: floatBytes([1, 2, 3]))) == .uncoveredBytes(from: 8, to: 12))
    }

    @Test func wrongByteCountForTheShape() {
        let header = #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#
        let error = decodingError(handMadeFile(header, buffer: floatBytes([1, 2])))
        #expect(error == .wrongByteCount(name: "a", expected: 12, actual: 8))
        let backwards = #"{"a":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}"#
        guard case .invalidOffsets(name: "a", _)? = decodingError(handMadeFile(backwards, buffer: floatBytes([1, 2]))) else {
            Issue.record("begin after end must be rejected")
            return
        }
    }

    @Test func unknownDType() {
        let header = #"{"a":{"dtype":"F31","shape":[2],"data_offsets":[0,8]}}"#
        #expect(decodingError(handMadeFile(header, buffer: floatBytes([1, 2]))) == .unknownDType(name: "a", dtype: "F31"))
    }

    @Test(arguments: ["[-1]", "[1.5]", "[99999999999999999999]", "[4294967296,4294967296]", "[\"2\"]", "2"])
    func negativeFractionalOrHugeShapes(shape: String) {
        let header = #"{"a":{"dtype":"F32","shape":"# + shape + #","data_offsets":[0,8]}}"#
        guard case .invalidShape(name: "a", _)? = decodingError(handMadeFile(header, buffer: floatBytes([1, 2]))) else {
            Issue.record("shape \(shape) must be rejected as invalid")
            return
        }
    }

    @Test func metadataWithANonStringValue() {
        let header = #"{"__metadata__":{"lab":"x","step":5},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
        let error = decodingError(handMadeFile(header, buffer: floatBytes([1, 2])))
        #expect(error == .metadataNotStrings(key: "step", found: "a number"))
        #expect(error?.description == "__metadata__ must map strings to strings, but \"step\" is a number")
    }

    @Test func missingFields() {
        let header = #"{"a":{"dtype":"F32","shape":[2]}}"#
        #expect(decodingError(handMadeFile(header, buffer: floatBytes([1, 2]))) == .invalidEntry(name: "a", problem: "missing \"data_offsets\""))
    }

    @Test func accessorsAndSettersReportMisuse() throws {
        let archive = try Self.sampleArchive()
        #expect(throws: SafetensorsError.noSuchTensor("nope")) { try archive.floats("nope") }
        #expect(throws: SafetensorsError.wrongDType(name: "rng", expected: .float32, actual: .uint64)) { try archive.floats("rng") }
        var copy = archive
        #expect(throws: SafetensorsError.invalidName("__metadata__")) { try copy.set("__metadata__", int64s: [1]) }
        #expect(throws: SafetensorsError.self) { try copy.set("bad", dtype: .float32, shape: [3], bytes: [0, 0, 0, 0]) }
        try copy.set("rng", uint64s: [9])
        #expect(copy.names == archive.names, "replacing keeps the entry's place")
        #expect(try copy.uint64s("rng") == [9])
        copy.remove("rng")
        #expect(copy.entry(named: "rng") == nil)
    }

    // MARK: Fuzzing

    @Test func randomCorruptionNeverCrashes() throws {
        let valid = try Self.sampleArchive().encode()
        var rng = SeededGenerator(seed: 77)
        var decodedCount = 0, rejectedCount = 0
        for trial in 0..<3000 {
            var file = valid
            switch trial % 3 {
            case 0: // flip a few random bytes anywhere
                for _ in 0...rng.int(below: 4) { file[rng.int(below: file.count)] ^= UInt8(1 + rng.int(below: 255)) }
            case 1: // truncate
                file = Array(file.prefix(rng.int(below: file.count)))
            default: // flip bytes inside the JSON header only, where parsing is exercised hardest
                let headerEnd = 8 + Int(file[0]) + Int(file[1]) << 8
                for _ in 0...rng.int(below: 3) { file[8 + rng.int(below: headerEnd - 8)] = UInt8(rng.int(below: 256)) }
            }
            do {
                let decoded = try SafetensorsArchive(decoding: file)
                // Whatever decodes must be self-consistent: it survives its own round trip.
                #expect(try SafetensorsArchive(decoding: decoded.encode()) == decoded)
                decodedCount += 1
            } catch {
                #expect(!error.description.isEmpty)
                rejectedCount += 1
            }
        }
        #expect(rejectedCount > 1000, "corruptions should mostly be caught (\(rejectedCount) rejected, \(decodedCount) decoded)")
    }
}
