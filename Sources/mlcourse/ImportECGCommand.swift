import ArgumentParser
import CardioSim
import Foundation
import Labs

/// `mlcourse data import FILE.csv`: a learner's own ECG recording, turned into beats the course's
/// models can classify (see `ECGImporter` for the steps, docs/data-import.md for the format).
struct ImportECG: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import an ECG recording (CSV) as beats for :data NAME and --test-on NAME.",
        discussion: """
        Reads one lead of a CSV recording (comma, semicolon or tab; header row optional; a 'time' \
        column gives the rate, a 'label' column per-beat truth), resamples it to 250 Hz, removes \
        baseline wander, finds the R peaks and cuts 250-sample beats with the R peak at sample 90. \
        The result goes to the 'imports' folder of mlcourse's data folder. Bad input: exit 65.
        """)

    @Argument(help: "The recording, a CSV file.")
    var file: String

    @Option(name: .long, help: "Sampling rate in Hz (needed unless the file has a time column).")
    var rate: Double?

    @Option(name: .long, help: "The lead to use: a column name or its number among the leads (default: the first).")
    var lead: String?

    @Option(name: .long, help: "Units of the values: mV (default) or uV.")
    var units: String = "mV"

    @Option(name: .long, help: "Name to save it under (default: the file's name).")
    var name: String?

    @Option(name: .long, help: "A beat-annotation CSV: sample index (at the file's rate), symbol (N, V, L, R, ...).")
    var annotations: String?

    func run() throws {
        do {
            guard let unit = ImportOptions.Units.allCases.first(where: { $0.rawValue.lowercased() == units.lowercased() }) else {
                throw CardioSimError.invalidParameter("--units must be mV or uV, got '\(units)'")
            }
            let chosenName = name ?? ImportedRecordingStore.defaultName(for: file)
            try ImportedRecordingStore.validate(name: chosenName)
            let csv = try RecordingCSV.parse(try Self.text(of: file), fileName: file)
            let marks = try annotations.map { try BeatAnnotationFile.parse(try Self.text(of: $0), fileName: $0) } ?? []
            let recording = try ECGImporter.importRecording(csv, options: ImportOptions(samplingRate: rate, lead: lead, units: unit),
                                                            name: chosenName, fileName: file, annotations: marks)
            let store = try LearnerRecordings.store()
            try store.save(recording)
            print("imported \(file) as '\(recording.name)': \(Self.summary(recording))")
            print("saved to \(store.url(for: recording.name).path)")
            print("try: :data \(recording.name) on the cnn-ecg lab page, or mlcourse run cnn-ecg --test-on \(recording.name) --json")
        } catch { throw DataCommand.fail(error) }
    }

    static func text(of path: String) throws -> String {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw CardioSimError.io("cannot read \(path): \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CardioSimError.csv(file: path, line: 1, column: nil, message: "the file is not UTF-8 text")
        }
        return text
    }

    static func summary(_ recording: ImportedRecording) -> String {
        let scored = recording.truth.compactMap { $0 }.count
        let labels = recording.labels.contains { $0 != nil } ? ", \(scored) of them labelled with a course class" : ""
        return "\(recording.beatCount) beats, \(String(format: "%.0f", recording.heartRate)) bpm, lead \(recording.lead), "
            + "\(String(format: "%.1f", recording.duration)) s at \(ECGImporter.format(recording.originalRate)) Hz\(labels)"
    }

    /// The imported-recordings part of `mlcourse data list`.
    static func listImported() {
        guard let store = try? LearnerRecordings.store() else { return }
        let names = store.names()
        print("")
        print("Imported recordings (\(store.folder.path)):")
        if names.isEmpty { print("  none yet: mlcourse data import FILE.csv --rate HZ") }
        for name in names {
            let padded = name.padding(toLength: 22, withPad: " ", startingAt: 0)
            do { print("\(padded) \(summary(try store.load(name)))") } catch { print("\(padded) BROKEN: \(error)") }
        }
    }
}
