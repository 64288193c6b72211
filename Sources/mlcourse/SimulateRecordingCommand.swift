import ArgumentParser
import CardioSim
import Foundation
import MLEngine

/// `mlcourse data simulate-recording --out FILE.csv`: a long simulated ECG with electrode noise,
/// baseline wander and motion artefacts, in the import format (time, ECG, label), to try
/// `mlcourse data import` on. It is simulated, not a person's recording.
struct SimulateRecording: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate-recording",
        abstract: "Write a simulated noisy ECG recording as import CSV (to try `data import`).")

    @Option(name: .long, help: "Output file (.csv), in a folder that exists; only a regular file is replaced.")
    var out: String

    @Option(name: .long, help: "Length in seconds (1-3600).")
    var seconds: Double = 60

    @Option(name: .long, help: "Sampling rate in Hz.")
    var rate: Double = 360

    @Option(name: .long, help: "Beat shape of the sinus beats: normal, bbb, ste or afib.")
    var morphology: String = "normal"

    @Flag(name: .long, help: "Leave out the label column.")
    var unlabelled = false

    @Option(name: .long, parsing: .unconditional, help: "Seed.", transform: SeedArgument.parse)
    var seed: UInt64 = 7

    func run() throws {
        do {
            guard let kind = BeatClass(rawValue: morphology), kind != .pvc else {
                throw CardioSimError.invalidParameter("--morphology must be normal, bbb, ste or afib, got '\(morphology)'")
            }
            var settings = SimulatedRecording.Settings()
            (settings.duration, settings.samplingRate, settings.morphology) = (seconds, rate, kind)
            let recording = try SimulatedRecording.generate(settings, seed: seed)
            do { try AtomicFile.write(Array(recording.csv(labelled: !unlabelled).utf8), to: out, creatingFolders: false) } catch {
                throw CardioSimError.io("\(error)")
            }
            FileHandle.standardError.write(Data("wrote \(recording.samples.count) samples (\(recording.rPeaks.count) beats, simulated) to \(out)\n".utf8))
        } catch { throw DataCommand.fail(error) }
    }
}
