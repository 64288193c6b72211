import Course
import Foundation
import MLEngine
import Testing
@testable import Labs

/// Every lab of the course catalogue, saved to a real checkpoint file after N > 0 steps, loaded
/// into a fresh session and trained N more steps, must match the run that never stopped, bit
/// for bit; and replaying the file from its seed must reproduce the saved weights.
///
/// The test goes through the whole path a learner's `:save` / `:load` (and the autosave, and
/// `run --save` / `replay`) take: session, `CheckpointFolder`, safetensors bytes on disk,
/// `CheckpointFile`'s checks, `restoredLab(using:)`. It is parametrised over the catalogue, so
/// a lab added later is covered without a new test; a lab that needs a smaller configuration
/// to stay quick in a debug build names it in `smallSettings`.
@Suite struct CatalogueCheckpointTests {
    /// Reset-only settings that keep a lab quick in a debug build (the shapes stay real).
    static let smallSettings: [String: [LabBlock.Setting]] = [
        "mlp-ecg": [.init(name: "hidden", value: "8"), .init(name: "batch", value: "16")],
        "optimizer-mlp": [.init(name: "hidden", value: "8")],
        "mlp-curve": [.init(name: "hidden", value: "8")],
        "optimizer-race": [.init(name: "surface", value: "noisy")],
        "neuron": [.init(name: "points", value: "40")],
        "cnn-ecg": [.init(name: "filters", value: "8")],
        "memory-task": [.init(name: "length", value: "20"), .init(name: "hidden", value: "8")],
        "vanishing-gradient": [.init(name: "length", value: "20")],
        "positional-encoding": [.init(name: "positions", value: "16"), .init(name: "width", value: "8")],
        "attention-cost": [.init(name: "max_length", value: "64"), .init(name: "width", value: "16")],
        "attention-ends": [.init(name: "patch", value: "250"), .init(name: "width", value: "16"), .init(name: "layers", value: "1")],
        "cnn-range": [.init(name: "filters", value: "4"), .init(name: "layers", value: "1")],
        "kmeans": [.init(name: "data", value: "moons")],
        "focal": [.init(name: "hidden", value: "8"), .init(name: "batch", value: "16")],
        "unet-ecg": [.init(name: "depth", value: "2"), .init(name: "width", value: "4")],
        "window-cnn": [.init(name: "window", value: "32"), .init(name: "width", value: "4")],
        "swin-unet": [.init(name: "depth", value: "1"), .init(name: "width", value: "4"), .init(name: "attention_window", value: "4")],
        "sequence-cost": [.init(name: "max_length", value: "100"), .init(name: "hidden", value: "16"), .init(name: "samples", value: "1")],
        "map": [.init(name: "group", value: "physics"), .init(name: "budget", value: "0.1"), .init(name: "cache", value: "off")],
        "vit-beats": [.init(name: "width", value: "16"), .init(name: "layers", value: "1")],
    ]
    /// Steps before saving and after loading. The ECG labs evaluate at step 1 (so a confusion
    /// matrix and test history travel through the file) and again at step 20, after the load.
    static let steps = 12

    static var labIDs: [String] { CourseCatalogue.labs.entries.map(\.id) }
    /// Labs whose measurements are wall-clock times (attention-cost times attention itself): a
    /// resumed run measures anew, so only their tensors, settings and run record must match
    /// here; their own tests check that everything counted, not timed, continues exactly.
    /// `map` records each row's seconds (its own tests check the rest continues exactly).
    static let measuresTime: Set<String> = ["attention-cost", "sequence-cost", "map"]

    /// A session with lab `id` open in its small configuration.
    static func session(_ id: String, settings: [LabBlock.Setting]? = nil) throws -> Session {
        let session = Session(lessons: [], catalogue: CourseCatalogue.labs, seed: 17)
        try session.open(LabBlock(lab: id, settings: settings ?? smallSettings[id] ?? []))
        return session
    }

    /// `count` steps, with one live change (the first live numeric hyperparameter nudged up) at
    /// step 5, so the event log travels through the file as well.
    static func train(_ session: Session, steps count: Int, from start: Int) throws {
        for step in start..<(start + count) {
            if step == 5, let lab = session.lab,
               let live = lab.parameters.first(where: { $0.effect == .live && $0.value.number != nil }) {
                _ = try session.nudge(live.name, up: true)
            }
            #expect(try session.step(1) == 1, "\(session.lab?.id ?? "?") stopped at step \(session.stepCount): \(session.runState)")
        }
    }

    @Test(arguments: labIDs)
    func savedAfterNStepsLoadsAndContinuesBitForBit(_ id: String) throws {
        try Self.checkContinuation(id)
    }

    /// `q-table` on dosing: another table shape, the reference returns and the greedy
    /// evaluation must come back from the file as well.
    @Test func qTableOnDosingLoadsAndContinuesBitForBit() throws {
        try Self.checkContinuation("q-table", settings: [.init(name: "env", value: "dosing")])
    }

    /// `boosting` on the beats (five trees a round, softmax scores) and the line by SGD (its
    /// weights and sampler travel in the metadata): both must continue exactly too.
    @Test func boostingOnBeatsAndBySGDLoadAndContinueBitForBit() throws {
        try Self.checkContinuation("boosting", settings: [.init(name: "task", value: "beats"), .init(name: "depth", value: "2"),
                                                          .init(name: "bins", value: "16")])
        try Self.checkContinuation("boosting", settings: [.init(name: "task", value: "regress"), .init(name: "model", value: "sgd")])
    }

    static func checkContinuation(_ id: String, settings: [LabBlock.Setting]? = nil) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("catalogue-ckpt-\(id)-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let library = CheckpointFolder(folder: folder)
        let n = Self.steps

        let straight = try Self.session(id, settings: settings)
        try Self.train(straight, steps: 2 * n, from: 0)

        let first = try Self.session(id, settings: settings)
        try Self.train(first, steps: n, from: 0)
        _ = try library.save(first, name: "half")

        let resumed = Session(lessons: [], catalogue: CourseCatalogue.labs)
        _ = try library.load("half", into: resumed)
        #expect(resumed.stepCount == n)
        try Self.train(resumed, steps: n, from: n)

        let (a, b) = (try #require(straight.lab), try #require(resumed.lab))
        #expect(CheckpointContinuationTests.identical(a.snapshot().tensors, b.snapshot().tensors), "tensors differ after resuming \(id)")
        if !Self.measuresTime.contains(id) {
            #expect(a.snapshot().metadata == b.snapshot().metadata, "lab state differs after resuming \(id)")
            #expect(a.metrics == b.metrics)
        }
        #expect(a.parameters == b.parameters)
        #expect(resumed.stepCount == 2 * n && resumed.run == straight.run)

        // From the start: the seed and the event log rebuild the saved tensors exactly.
        let replayed = Session(lessons: [], catalogue: CourseCatalogue.labs)
        let message = try library.replay("half", into: replayed)
        #expect(message.contains("match the saved ones bit for bit"), "\(message)")
    }
}
