import Foundation
import MLEngine
import Testing
@testable import Course

/// Files that used to hang the program instead of being read or refused: a long event log
/// (reading was quadratic in it), a FIFO (opening one blocks), a file claiming a step no
/// replay should attempt; and `checkpoints`, which read every tensor to list a name.
@Suite struct CheckpointHangTests {
    func savedFile(steps: Int = 6) throws -> CheckpointFile {
        let session = try labSession("quadratic", seed: 5)
        try session.step(steps)
        return CheckpointFile(try #require(session.checkpoint()))
    }

    /// 100,000 logged changes read back in full. Reading 200,000 took over 300 s before (each escaped
    /// quote of the JSON inside the header copied the string so far); the time limit is a hang
    /// guard, not a speed target (that is the header benchmark's job).
    @Test(.timeLimit(.minutes(1))) func aLongEventLogReadsBackInFull() throws {
        var file = try savedFile()
        let count = 100_000
        file.checkpoint.run.events = (0..<count).map { i in
            HyperparameterEvent(step: i * 6 / count, name: "lr", value: .number(i % 2 == 0 ? 0.125 : 0.25))
        }
        let read = try CheckpointFile(decoding: try file.encode())
        #expect(read.checkpoint.run.events == file.checkpoint.run.events)
        #expect(read.hyperparameters.first { $0.name == "lr" }?.value == .number(0.25))
    }

    @Test func anythingButARegularFileIsRefusedWithoutBlocking() throws {
        let folder = temporaryCheckpointFolder()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let fifo = folder.appendingPathComponent("pipe.safetensors").path
        #expect(mkfifo(fifo, 0o600) == 0)
        for (path, kind) in [(fifo, "a FIFO (named pipe)"), ("/dev/null", "a character device"), (folder.path, "a folder")] {
            let error = #expect(throws: CheckpointError.self) { try CheckpointFile.read(from: path) }
            #expect(error?.description.contains("is \(kind), not a regular file") == true, "\(String(describing: error))")
            #expect(throws: CheckpointError.self) { try CheckpointFile.readHeader(from: path) }
        }
        // The listing names the FIFO as unreadable instead of waiting for a writer.
        let listing = CheckpointFolder(folder: folder).list()
        #expect(listing.map(\.name) == ["pipe"] && listing[0].problem?.contains("FIFO") == true)
    }

    /// `checkpoints` reads headers only: a file whose tensor bytes are damaged (caught by its
    /// CRC when loading) still lists with its lab and step.
    @Test func theListingReadsHeadersOnly() throws {
        let folder = temporaryCheckpointFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let library = CheckpointFolder(folder: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var bytes = try savedFile(steps: 7).encode()
        bytes[bytes.count - 1] ^= 0x40                       // the last byte of the only tensor
        let url = try library.url(for: "flipped")
        try Data(bytes).write(to: url)
        #expect(throws: CheckpointError.self) { try CheckpointFile.read(from: url.path) }
        let header = try CheckpointFile.readHeader(from: url.path)
        #expect(header.labID == "quadratic" && header.step == 7 && header.checkpoint.state.tensors.isEmpty)
        #expect(library.list().map(\.step) == [7])
    }

    /// A replay from the start of a file claiming step 999,999,999 would run for days: it is
    /// refused at once, saying why and what to do instead; the step itself is capped on reading.
    @Test func aReplayFromTheStartIsCapped() throws {
        var file = try savedFile()
        file.checkpoint.step = 999_999_999
        let claimed = try CheckpointFile(decoding: try file.encode())
        let error = #expect(throws: CheckpointError.self) { try claimed.replayedLab(using: .checkpointFixture) }
        #expect(error?.description == "cannot replay the checkpoint's run: the checkpoint is at step 999999999; replaying from the start "
                + "takes at most 100000000 steps (as long as training took); load it instead")
        #expect(error?.isBadData == true)
        file.checkpoint.step = Int.max
        #expect(throws: CheckpointError.self) { try CheckpointFile(decoding: try file.encode()) }
    }
}
