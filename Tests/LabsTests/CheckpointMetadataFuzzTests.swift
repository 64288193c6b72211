import Course
import Foundation
import MLEngine
import Testing
@testable import Labs

/// Crafted values inside checkpoints that are sound as bytes (the CRCs are dropped, as a person
/// editing a file in Python would, so only meaning protects the program): a huge step, a NaN in
/// a permutation, an Adam step count of 1e30, a count of 1e300. Each must be refused with a
/// CheckpointError (the CLI's exit 65), or load into a lab that then trains, draws and saves
/// without trapping.
@Suite struct CheckpointMetadataFuzzTests {
    /// One checkpoint per catalogue lab, in its small configuration, trained past the ECG labs'
    /// first evaluation (so a confusion matrix is in the file).
    static let files: [(id: String, bytes: [UInt8])] = {
        CourseCatalogue.labs.entries.compactMap { entry in
            guard let session = try? CatalogueCheckpointTests.session(entry.id) else { return nil }
            _ = try? session.step(CatalogueCheckpointTests.steps)
            guard let checkpoint = session.checkpoint(), let bytes = try? CheckpointFile(checkpoint).encode() else { return nil }
            return (entry.id, bytes)
        }
    }()

    /// Values that have broken programs before: beyond Int, beyond Float, NaN and friends (as
    /// the codec writes them), negative, fractional, and the wrong JSON type.
    static var hostileValues: [Any] {
        [9.3e18, -9.3e18, 1e300, -1e300, 1e30, 1e12 + 1, -1, 0, 0.5, 2_147_483_648, 999_999_999,
         "nan", "inf", "-inf", NSNull(), [Any](), [String: Any](), "x", true]
    }
    static let hostileTexts = ["9223372036854775807", "-9223372036854775808", "18446744073709551616", "-1", "1e300", "nan",
                               "0", "99999", "999999999", "1000000000001", "", " 5", "0x10"]
    static let hostileFloats: [Float] = [.nan, .infinity, -.infinity, 1e30, -1e30, 1e12 + 1, -1, 0.5, 3e38]

    /// The outcome of loading `bytes`: refused (with a bad-data error) or loaded and exercised.
    enum Outcome: Equatable { case refused, loaded }

    static func exercise(_ bytes: [UInt8]) throws -> Outcome {
        let file: CheckpointFile
        do { file = try CheckpointFile(decoding: bytes) } catch {
            #expect(error.isBadData, "\(error)")
            return .refused
        }
        let session = Session(lessons: [], catalogue: CourseCatalogue.labs)
        do { try session.open(file) } catch {
            #expect(error.isBadData, "\(error)")
            return .refused
        }
        // Loaded: everything a learner does next must work or say why, never trap.
        _ = try? session.step(2)
        if let lab = session.lab {
            _ = lab.panels()
            _ = lab.metrics
            _ = lab.isFinite
            _ = lab.divergenceHint()
        }
        if let again = session.checkpoint() { _ = try? CheckpointFile(again).encode() }
        return .loaded
    }

    /// `bytes` with its metadata changed by `edit` and both checksums dropped.
    static func edited(_ bytes: [UInt8], _ edit: (inout SafetensorsArchive) throws -> Void) throws -> [UInt8] {
        var archive = try SafetensorsArchive(decoding: bytes)
        archive.metadata[CheckpointFormat.Key.metadataCRC32] = nil
        archive.metadata[CheckpointFormat.Key.tensorCRC32] = nil
        try edit(&archive)
        return archive.encode()
    }

    /// Replaces one randomly chosen node of a JSON tree (an object member, an array element,
    /// or the whole) with a hostile value.
    static func mutate(_ json: Any, _ rng: inout SeededGenerator) -> Any {
        let pickHere = rng.int(below: 4) == 0
        if var object = json as? [String: Any], !object.isEmpty, !pickHere {
            let key = object.keys.sorted()[rng.int(below: object.count)]
            object[key] = mutate(object[key]!, &rng)
            return object
        }
        if var array = json as? [Any], !array.isEmpty, !pickHere {
            let index = rng.int(below: array.count)
            array[index] = mutate(array[index], &rng)
            return array
        }
        return hostileValues[rng.int(below: hostileValues.count)]
    }

    /// A tensor with one element (or all, for one-element tensors) set to a hostile float.
    static func mutateTensor(_ archive: inout SafetensorsArchive, _ rng: inout SeededGenerator) throws {
        let names = archive.names.filter { archive.entry(named: $0)!.dtype == .float32 }
        guard !names.isEmpty else { return }
        // Small tensors (step counts, positions, permutations) are where counts hide: favour them.
        let small = names.filter { (archive.entry(named: $0)?.elementCount ?? 0) <= 260 }
        let pool = small.isEmpty || rng.int(below: 4) == 0 ? names : small
        let name = pool[rng.int(below: pool.count)]
        var values = try archive.floats(name).copyScalars()
        guard !values.isEmpty else { return }
        values[rng.int(below: values.count)] = hostileFloats[rng.int(below: hostileFloats.count)]
        let shape = archive.entry(named: name)!.shape
        try archive.set(name, Tensor(shape: shape, scalars: values))
    }

    @Test func theCrashesTheAttackFoundAreRefused() throws {
        var byID = Dictionary(uniqueKeysWithValues: Self.files.map { ($0.id, $0.bytes) })
        func refused(_ id: String, _ edit: (inout SafetensorsArchive) throws -> Void) throws {
            let bytes = try Self.edited(try #require(byID[id]), edit)
            #expect(try Self.exercise(bytes) == .refused, "lab \(id)")
        }
        func labState(_ archive: inout SafetensorsArchive, _ change: (inout [String: Any]) -> Void) throws {
            let key = CheckpointFormat.Key.labState
            var object = try #require(try JSONSerialization.jsonObject(with: Data(archive.metadata[key]!.utf8)) as? [String: Any])
            change(&object)
            archive.metadata[key] = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        }
        // step = Int.max overflowed the session's step counter.
        try refused("neuron") { $0.metadata["step"] = String(Int.max) }
        // An Adam step count of 1e30 trapped converting to Int.
        try refused("mlp-ecg") { archive in
            let name = try #require(archive.names.first { $0.hasSuffix(".step") && $0.contains("optimizer") })
            try archive.set(name, Tensor([1e30]))
        }
        // A moment of the wrong shape would be read and written past its end by the update.
        try refused("mlp-curve") { archive in
            let name = try #require(archive.names.first { $0.hasSuffix(".m") })
            try archive.set(name, Tensor([1, 2, 3]))
        }
        // A NaN in the permutation trapped converting to Int (a scrambled run has one).
        let scrambled = try CatalogueCheckpointTests.session("mlp-ecg")
        _ = try scrambled.set("permute", "on", force: true)
        try scrambled.step(2)
        byID["mlp-ecg-scrambled"] = try CheckpointFile(try #require(scrambled.checkpoint())).encode()
        try refused("mlp-ecg-scrambled") { archive in
            var values = try archive.floats("lab/permutation").copyScalars()
            values[3] = .nan
            try archive.set("lab/permutation", Tensor(values))
        }
        // 1e300 or NaN in the confusion counts.
        try refused("mlp-ecg") { try labState(&$0) { $0["confusion"] = [[1e300, 0, 0, 0, 0]] + Array(repeating: [0, 0, 0, 0, 0], count: 4) } }
        try refused("mlp-ecg") { try labState(&$0) { $0["confusion"] = [["nan", 0, 0, 0, 0]] + Array(repeating: [0, 0, 0, 0, 0], count: 4) } }
        try refused("mlp-ecg") { try labState(&$0) { $0["confusion"] = [[1, 2]] } }
        // A racer flying off at step 1e300.
        try refused("optimizer-race") { try labState(&$0) { $0["flew_off_at"] = ["sgd": 1e300, "momentum": NSNull(), "adam": NSNull(), "adamw": NSNull()] } }
    }

    /// Seeded and bounded: the same few hundred files every run, a few seconds in a debug build.
    @Test func craftedMetadataValuesAreRefusedOrLoadSafely() throws {
        #expect(Self.files.count == CourseCatalogue.labs.entries.count)
        var rng = SeededGenerator(seed: 20)
        var outcomes: [Outcome: Int] = [:]
        for (id, bytes) in Self.files {
            let keys = try SafetensorsArchive(decoding: bytes).metadata.keys
                .filter { $0 != CheckpointFormat.Key.metadataCRC32 && $0 != CheckpointFormat.Key.tensorCRC32 }.sorted()
            for round in 0..<40 {
                let damaged = try Self.edited(bytes) { archive in
                    if round % 4 == 3 {
                        try Self.mutateTensor(&archive, &rng)
                        return
                    }
                    let key = keys[rng.int(below: keys.count)]
                    let text = archive.metadata[key]!
                    if let json = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]),
                       json is [String: Any] || json is [Any] {
                        let changed = Self.mutate(json, &rng)
                        archive.metadata[key] = String(decoding: try JSONSerialization.data(withJSONObject: changed, options: [.fragmentsAllowed]), as: UTF8.self)
                    } else {
                        archive.metadata[key] = Self.hostileTexts[rng.int(below: Self.hostileTexts.count)]
                    }
                }
                let outcome = try Self.exercise(damaged)
                outcomes[outcome, default: 0] += 1
                _ = id
            }
        }
        // Both kinds happen: the fuzz reaches past the first checks, and it does refuse.
        #expect(outcomes[.refused, default: 0] > 50 && outcomes[.loaded, default: 0] > 10, "\(outcomes)")
    }
}
