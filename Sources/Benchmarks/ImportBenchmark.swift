import CardioSim
import Foundation

/// How fast a learner's recording imports: a 30-minute single-lead recording at 360 Hz
/// (simulated, with noise, wander and motion artefacts, written as import CSV) is parsed,
/// resampled, cleaned, searched for R peaks and cut into beats. Target: under 2 s in a release
/// build. The CSV text is made before the clock starts; reading the file from disk and saving
/// the result are not timed.
enum ImportBenchmark {
    static func figures() -> [BenchFigure] {
        do {
            var settings = SimulatedRecording.Settings()
            (settings.duration, settings.samplingRate) = (30 * 60, 360)
            let text = try SimulatedRecording.generate(settings, seed: 5).csv(labelled: false)
            let start = DispatchTime.now().uptimeNanoseconds
            let csv = try RecordingCSV.parse(text, fileName: "bench.csv")
            let parsed = DispatchTime.now().uptimeNanoseconds
            let recording = try ECGImporter.importRecording(csv, options: ImportOptions(), name: "bench", fileName: "bench.csv")
            let end = DispatchTime.now().uptimeNanoseconds
            return [
                BenchFigure(key: "import_30min_360hz_seconds", value: .number(Double(end - start) / 1e9), unit: "s (parse and import)"),
                BenchFigure(key: "import_parse_seconds", value: .number(Double(parsed - start) / 1e9), unit: "s (CSV parse only)"),
                BenchFigure(key: "import_beats", value: .number(Double(recording.beatCount)), unit: "beats found"),
            ]
        } catch {
            return [BenchFigure(key: "import_error", value: .string("\(error)"), unit: "")]
        }
    }
}
