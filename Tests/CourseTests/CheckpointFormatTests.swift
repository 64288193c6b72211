import Foundation
import MLEngine
import Testing
@testable import Course

/// What a checkpoint file holds, read back with the plain safetensors reader and Foundation's
/// JSON parser (not the checkpoint decoder), as Python would see it.
@Suite struct CheckpointFormatTests {
    /// The quadratic lab on the fixture lesson's page 2, 10 steps with two live changes.
    func savedSession() throws -> Session {
        let session = try makeSession()
        session.next()
        _ = try session.set("noise", "0.3")
        try session.step(4)
        _ = try session.set("lr", "0.125")
        try session.step(6)
        return session
    }

    func object(_ text: String?) throws -> [String: Any] {
        let text = try #require(text)
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func theFileHoldsTheLabTensorsAndDescribedMetadata() throws {
        let session = try savedSession()
        let created = Date(timeIntervalSince1970: 1_764_091_800)         // 2025-11-25T17:30:00Z
        let bytes = try CheckpointFile(try #require(session.checkpoint()), created: created).encode()
        if let path = ProcessInfo.processInfo.environment["MLCOURSE_CHECKPOINT_EXPORT"] {
            try AtomicFile.write(bytes, to: path)                          // for the by-hand Python check
        }
        let archive = try SafetensorsArchive(decoding: bytes)
        #expect(archive.names == ["lab/w"])
        let w = try archive.floats("lab/w")
        #expect(w.shape == [1] && w.scalar(at: 0).bitPattern == weight(session).bitPattern)

        let m = archive.metadata
        #expect(m["format"] == "mlcourse-checkpoint" && m["format_version"] == "1")
        #expect(m["lab"] == "quadratic" && m["lesson"] == "bowl" && m["page"] == "2")
        #expect(m["step"] == "10" && m["seed"] == "7")
        #expect(m["created"] == "2025-11-25T17:30:00Z" && m["mlcourse_version"] == CheckpointFormat.writer)
        // The lesson block set lr 0.5, curvature 2, start far; then noise 0.3 at step 0, lr 0.125 at step 4.
        let hyper = try object(m["hyperparameters"])
        #expect(hyper["lr"] as? Double == 0.125 && hyper["noise"] as? Double == 0.3)
        #expect(hyper["curvature"] as? Double == 2 && hyper["start"] as? String == "far")
        let run = try object(m["run"])
        let initial = try #require(run["initial"] as? [[String: Any]])
        #expect(initial.map { $0["name"] as? String } == ["lr", "noise", "curvature", "start"])
        #expect(initial[0]["value"] as? Double == 0.5)
        let events = try #require(run["events"] as? [[String: Any]])
        #expect(events.count == 2)
        #expect(events[0]["step"] as? Int == 0 && events[0]["name"] as? String == "noise" && events[0]["value"] as? Double == 0.3)
        #expect(events[1]["step"] as? Int == 4 && events[1]["name"] as? String == "lr" && events[1]["value"] as? Double == 0.125)
        let metrics = try object(m["metrics"])
        let series = try #require(metrics["series"] as? [[String: Any]])
        #expect((series.first?["values"] as? [Double])?.count == 10)
        let state = try object(m["lab_state"])
        #expect((state["rng"] as? [String])?.count == 4)
        let crc = try object(m["tensor_crc32"])
        #expect(crc["lab/w"] as? String == CRC32.hex(try #require(archive.entry(named: "lab/w")).bytes))
    }

    @Test func crc32MatchesTheStandardCheckValue() {
        // The CRC-32 check value from the catalogue of parametrised CRCs: "123456789" -> cbf43926.
        #expect(CRC32.hex(Array("123456789".utf8)) == "cbf43926")
        #expect(CRC32.hex([]) == "00000000")
    }

    @Test func nonFiniteMetricsAndAwkwardNumbersRoundTrip() throws {
        let session = try labSession("quadratic", seed: 9)
        _ = try session.set("lr", "0.30000000000000004")      // 0.1 + 0.2: needs all 17 digits
        try session.step(2)
        var checkpoint = try #require(session.checkpoint())
        checkpoint.metrics.append(.infinity, to: "loss")
        checkpoint.metrics.append(.nan, to: "loss")
        let decoded = try CheckpointFile(decoding: try CheckpointFile(checkpoint).encode())
        #expect(decoded.hyperparameters.first { $0.name == "lr" }?.value == .number(0.1 + 0.2))
        let loss = decoded.checkpoint.metrics.values("loss")
        #expect(loss.count == 4 && loss[2] == .infinity && loss[3].isNaN)
        #expect(Array(loss.prefix(2)) == Array(checkpoint.metrics.values("loss").prefix(2)))
    }

    @Test func labStateJSONKeepsItsKinds() throws {
        let session = try labSession("quadratic", seed: 9)
        var checkpoint = try #require(session.checkpoint())
        let extra: [String: JSONValue] = ["zero": .number(0), "one": .number(1), "flag": .bool(true), "none": .null,
                                          "big": .number(1e20), "text": .string("1"), "nested": .object(["a": .array([.number(-2.5)])])]
        checkpoint.state.metadata.merge(extra) { _, new in new }
        let decoded = try CheckpointFile(decoding: try CheckpointFile(checkpoint).encode())
        #expect(decoded.checkpoint.state.metadata == checkpoint.state.metadata)
    }

    @Test func aHeadlessRunMakesTheSameCheckpointAsASession() throws {
        // Driving the lab directly (as `mlcourse run` may) and through a session agree.
        var lab = try LabCatalogue.checkpointFixture.make("adam-line", seed: 4)
        let run = RunRecord(startOf: lab)
        for _ in 0..<6 { _ = try lab.step() }
        let headless = Session.Checkpoint(lab: lab, run: run, step: 6)
        let session = try labSession("adam-line", seed: 4)
        try session.step(6)
        let viaSession = try #require(session.checkpoint())
        #expect(try CheckpointFile(headless, created: nil).encode() == CheckpointFile(viaSession, created: nil).encode())
    }
}
