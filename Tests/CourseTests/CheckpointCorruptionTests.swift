import Foundation
import MLEngine
import Testing
@testable import Course

/// Damaged, foreign and lying checkpoint files: each is refused with a specific message and
/// counted as bad data (the CLI's exit status 65); none crashes, none loads wrong numbers.
@Suite struct CheckpointCorruptionTests {
    /// A quadratic-lab checkpoint at step 12 with two live changes; its only tensor is lab/w
    /// (one F32, so the data buffer is the last 4 bytes of the file).
    func validFile() throws -> CheckpointFile {
        let session = try labSession("quadratic", seed: 3)
        _ = try session.set("lr", "0.2")
        try session.step(5)
        _ = try session.set("noise", "0.1")
        try session.step(7)
        return CheckpointFile(try #require(session.checkpoint()), created: Date(timeIntervalSince1970: 1_700_000_000))
    }

    /// The error decoding `bytes` gives, or nil if it decodes.
    func failure(_ bytes: [UInt8]) -> CheckpointError? {
        do { _ = try CheckpointFile(decoding: bytes); return nil } catch { return error }
    }

    /// The file with its archive edited (metadata or tensors) as a person editing it in Python
    /// would, dropping the metadata checksum (optional), so the checks behind it are reached.
    /// Tensor checksums are left as they were.
    func edited(_ bytes: [UInt8], keepingMetadataChecksum: Bool = false, _ edit: (inout SafetensorsArchive) throws -> Void) throws -> [UInt8] {
        var archive = try SafetensorsArchive(decoding: bytes)
        if !keepingMetadataChecksum { archive.metadata["metadata_crc32"] = nil }
        try edit(&archive)
        return archive.encode()
    }

    @Test func aChangedMetadataValueFailsTheMetadataChecksum() throws {
        let bytes = try validFile().encode()
        let archive = try SafetensorsArchive(decoding: bytes)
        let stored = try #require(archive.metadata["metadata_crc32"])
        let later = try edited(bytes, keepingMetadataChecksum: true) { $0.metadata["step"] = "13" }
        let error = failure(later)
        guard case .metadataChecksumMismatch(let saved, let now) = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(saved == stored && now != stored)
        #expect(error?.description.hasSuffix("a value changed after it was saved") == true)
        #expect(error?.isBadData == true)
    }

    /// Every single byte of the file flipped three ways: each result is refused with a
    /// CheckpointError or decodes to exactly the saved checkpoint (e.g. a hex digit's case);
    /// never a crash, never different numbers or a different step.
    @Test func everyFlippedByteIsCaught() throws {
        let file = try validFile()
        let bytes = try file.encode()
        var refused = 0
        for index in bytes.indices {
            for mask: UInt8 in [0x01, 0x20, 0x80] {
                var damaged = bytes
                damaged[index] ^= mask
                guard let decoded = try? CheckpointFile(decoding: damaged) else { refused += 1; continue }
                #expect(decoded.step == file.step && decoded.seed == file.seed && decoded.checkpoint.run == file.checkpoint.run,
                        "byte \(index) ^ \(mask)")
                #expect(CheckpointFile.identical(decoded.checkpoint.state.tensors, file.checkpoint.state.tensors), "byte \(index) ^ \(mask)")
                #expect(decoded.checkpoint.state.metadata == file.checkpoint.state.metadata, "byte \(index) ^ \(mask)")
            }
        }
        #expect(refused > bytes.count * 3 * 9 / 10)
    }

    @Test func theValidFileDecodes() throws {
        let file = try validFile()
        let decoded = try CheckpointFile(decoding: try file.encode())
        #expect(decoded.step == 12 && decoded.labID == "quadratic" && decoded.seed == 3)
        #expect(decoded.created == file.created && decoded.writer == CheckpointFormat.writer)
        #expect(decoded.checkpoint.run == file.checkpoint.run && decoded.checkpoint.metrics == file.checkpoint.metrics)
        #expect(decoded.checkpoint.state.metadata == file.checkpoint.state.metadata)
        #expect(CheckpointFile.identical(decoded.checkpoint.state.tensors, file.checkpoint.state.tensors))
    }

    @Test func truncatedFiles() throws {
        let bytes = try validFile().encode()
        let cut = failure(Array(bytes.dropLast(2)))
        #expect(cut?.description == "the checkpoint is damaged: tensor \"lab/w\" ends at byte 4 but the data buffer has only 2")
        #expect(cut?.isBadData == true)
        let stub = failure(Array(bytes.prefix(5)))
        #expect(stub?.description == "the checkpoint is damaged: the file has 5 bytes; a safetensors file starts with an 8-byte header length")
        let headless = failure(Array(bytes.prefix(40)))
        #expect(headless?.description.hasPrefix("the checkpoint is damaged: header says ") == true)
        #expect(failure([])?.isBadData == true)
    }

    @Test func flippedBytesInTheHeaderAndInTheData() throws {
        var bytes = try validFile().encode()
        // The header's opening brace becomes a bracket: not a JSON object any more.
        var header = bytes
        #expect(header[8] == UInt8(ascii: "{"))
        header[8] = UInt8(ascii: "[")
        let broken = failure(header)
        #expect(broken?.description.hasPrefix("the checkpoint is damaged: the header is not valid") == true)
        #expect(broken?.isBadData == true)
        // One bit of the weight flips: the structure is fine, the CRC-32 is not.
        let stored = CRC32.hex(Array(bytes.suffix(4)))
        bytes[bytes.count - 1] ^= 0x01
        let flipped = failure(bytes)
        #expect(flipped == .checksumMismatch(tensor: "lab/w", stored: stored, computed: CRC32.hex(Array(bytes.suffix(4)))))
        #expect(flipped?.description.hasSuffix("its numbers changed after it was saved") == true)
        #expect(flipped?.isBadData == true)
    }

    @Test func aHeaderLyingAboutSizes() throws {
        let bytes = try validFile().encode()
        let headerLength = Int(bytes.prefix(8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        #expect(8 + headerLength + 4 == bytes.count)
        // The length field claims 100 more bytes than there are.
        var longer = bytes
        withUnsafeBytes(of: UInt64(headerLength + 100).littleEndian) { longer.replaceSubrange(0..<8, with: $0) }
        func grouped(_ n: Int) -> String { n < 1000 ? "\(n)" : "\(n / 1000),\(String(format: "%03d", n % 1000))" }
        #expect(failure(longer)?.description == "the checkpoint is damaged: header says \(grouped(headerLength + 100)) bytes "
                + "but the file has \(grouped(headerLength + 4)) after the length field")
        // The offsets claim 8 bytes for a one-element F32 tensor.
        let text = String(decoding: bytes[8..<(8 + headerLength)], as: UTF8.self)
        #expect(text.contains("\"data_offsets\":[0,4]"))
        let lying = Array(bytes.prefix(8)) + Array(text.replacingOccurrences(of: "\"data_offsets\":[0,4]", with: "\"data_offsets\":[0,8]").utf8)
            + Array(bytes.suffix(4))
        #expect(failure(lying)?.description == "the checkpoint is damaged: tensor \"lab/w\" needs 4 bytes for its dtype and shape but its offsets span 8")
    }

    @Test func aWrongOrNewerFormat() throws {
        let bytes = try validFile().encode()
        let newer = try edited(bytes) { $0.metadata["format_version"] = "2" }
        #expect(failure(newer) == .newerVersion(2))
        #expect(failure(newer)?.description == "written by a newer mlcourse (checkpoint format 2; this one reads up to 1)")
        let garbled = try edited(bytes) { $0.metadata["format_version"] = "one" }
        #expect(failure(garbled)?.description == "the checkpoint's metadata 'format_version' must be a whole number 0 or above; found 'one'")
        let foreign = try edited(bytes) { $0.metadata["format"] = "pytorch" }
        #expect(failure(foreign)?.description == "not an mlcourse checkpoint (its format is 'pytorch', expected 'mlcourse-checkpoint')")
        // A plain safetensors file, as Python's save_file writes without metadata.
        var plain = SafetensorsArchive()
        try plain.set("w", Tensor([1, 2]))
        #expect(failure(plain.encode()) == .notACheckpoint(format: nil))
        #expect(failure(plain.encode())?.isBadData == true)
    }

    @Test func everyRequiredMetadataKeyIsNamedWhenMissing() throws {
        let bytes = try validFile().encode()
        for key in CheckpointFormat.Key.required {
            let error = failure(try edited(bytes) { $0.metadata[key] = nil })
            if key == "format" {
                #expect(error == .notACheckpoint(format: nil))
            } else {
                #expect(error == .missingMetadata(key: key), "removing \(key)")
                #expect(error?.description == "the checkpoint has no '\(key)' in its metadata")
            }
            #expect(error?.isBadData == true)
        }
        // Optional keys may go: a file without lesson, created or checksums still reads.
        let trimmed = try edited(bytes) {
            for key in ["lesson", "page", "created", "mlcourse_version", "tensor_crc32", "metadata_crc32"] { $0.metadata[key] = nil }
        }
        #expect(failure(trimmed) == nil)
    }

    @Test func metadataThatDoesNotParseOrDisagrees() throws {
        let bytes = try validFile().encode()
        func error(_ key: String, _ value: String) throws -> String? {
            failure(try edited(bytes) { $0.metadata[key] = value })?.description
        }
        #expect(try error("run", "{\"initial\": [") == "the checkpoint's metadata 'run' is not valid JSON")
        #expect(try error("run", "{\"initial\": []}") == "the checkpoint's metadata 'run' lacks 'events'")
        #expect(try error("step", "-3") == "the checkpoint's metadata 'step' must be a whole number 0 or above; found '-3'")
        #expect(try error("seed", "12x") == "the checkpoint's metadata 'seed' must be a whole number from 0 to 2^64 - 1; found '12x'")
        #expect(try error("step", "4") == "the checkpoint's metadata 'run' event 2 is at step 5; events must be in order and at most step 4")
        #expect(try error("hyperparameters", "{\"lr\": 0.2}")
                == "the checkpoint's metadata 'hyperparameters' disagrees with the run's starting values and changes up to step 12")
        #expect(try error("created", "yesterday") == "the checkpoint's metadata 'created' is not an ISO 8601 time like 2026-11-25T17:30:00Z")
        #expect(try error("metrics", "[]")?.hasPrefix("the checkpoint's metadata 'metrics' has a wrong value") == true)
        // A tensor outside lab/ or of another dtype.
        let stray = failure(try edited(bytes) { try $0.set("extra", Tensor([1])) })
        #expect(stray == .unexpectedTensor(name: "extra", problem: "is not under 'lab/'"))
        let ints = failure(try edited(bytes) { try $0.set("lab/count", int64s: [3], shape: [1]) })
        #expect(ints?.description == "the checkpoint's tensor 'lab/count' is I64; lab tensors are F32")
    }

    @Test func aCheckpointThatDoesNotFitItsLab() throws {
        let file = try validFile()
        // A lab this build does not have.
        var renamed = file
        renamed.checkpoint.run.labID = "quadratik"
        let unknown = try CheckpointFile(decoding: try renamed.encode())
        let noLab = #expect(throws: CheckpointError.self) { try unknown.restoredLab(using: .checkpointFixture) }
        #expect(noLab?.description == "the checkpoint is for lab 'quadratik', which this mlcourse does not have; did you mean 'quadratic'?")
        #expect(noLab?.isBadData == true)
        #expect(throws: CheckpointError.unknownLab("quadratik", suggestion: "quadratic")) { try unknown.replayedLab(using: .checkpointFixture) }
        // The right lab, a tensor of the wrong shape (checksums rewritten, so only the shape is wrong).
        var widened = file
        widened.checkpoint.state.tensors["w"] = Tensor([1, 2])
        let wide = try CheckpointFile(decoding: try widened.encode())
        #expect(throws: CheckpointError.doesNotFitLab(lab: "quadratic", problem: "state for lab 'quadratic': tensor 'w' has shape [2], expected [1]")) {
            try wide.restoredLab(using: .checkpointFixture)
        }
        // Another lab's tensors under this lab's name: the lab's own restore names what is missing.
        let adam = try labSession("adam-line", seed: 1)
        try adam.step(2)
        var swapped = file
        swapped.checkpoint.state.tensors = try #require(adam.checkpoint()).state.tensors
        let other = try CheckpointFile(decoding: try swapped.encode())
        let misfit = #expect(throws: CheckpointError.self) { try other.restoredLab(using: .checkpointFixture) }
        #expect(misfit?.description == "the checkpoint does not fit lab 'quadratic': state for lab 'quadratic' has no tensor 'w'")
        // Bad RNG words in the lab state's JSON.
        var scrambled = file
        scrambled.checkpoint.state.metadata["rng"] = .array([.string("1")])
        let rng = try CheckpointFile(decoding: try scrambled.encode())
        #expect(throws: CheckpointError.doesNotFitLab(lab: "quadratic", problem: "state for lab 'quadratic': metadata 'rng' must be four words")) {
            try rng.restoredLab(using: .checkpointFixture)
        }
        // A saved hyperparameter value the lab refuses.
        var wild = file
        wild.checkpoint.run.events.append(HyperparameterEvent(step: 12, name: "lr", value: .number(50)))
        let refused = #expect(throws: CheckpointError.self) {
            try CheckpointFile(decoding: try wild.encode()).restoredLab(using: .checkpointFixture)
        }
        #expect(refused?.description.hasPrefix("the checkpoint does not fit lab 'quadratic': hyperparameter lr = 50: lr must be between") == true)
    }

    @Test func aFailedLoadLeavesTheSessionUntouched() throws {
        let folder = temporaryCheckpointFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let library = CheckpointFolder(folder: folder)
        let session = try makeSession()
        session.next()
        try session.step(3)
        _ = try library.save(session, name: "good")
        // Damage the saved file's data, then try to load it into a session that moved on.
        let url = try library.url(for: "good")
        var bytes = try [UInt8](Data(contentsOf: url))
        bytes[bytes.count - 2] ^= 0x40
        try Data(bytes).write(to: url)
        _ = try session.set("lr", "0.25")
        try session.step(4)
        let before = (page: session.pageIndex, step: session.stepCount, run: session.run, w: weight(session).bitPattern)
        let error = #expect(throws: CheckpointError.self) { try library.load("good", into: session) }
        #expect(error?.description.hasPrefix("\(url.path): the checkpoint is damaged: tensor 'lab/w' fails its CRC-32 check") == true)
        #expect(error?.isBadData == true && error?.withoutPath.category == .badData)
        #expect(session.pageIndex == before.page && session.stepCount == before.step && session.run == before.run)
        #expect(weight(session).bitPattern == before.w)
        #expect(session.runState == .paused)
    }
}
