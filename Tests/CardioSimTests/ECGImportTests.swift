import Foundation
import MLEngine
import Testing
@testable import CardioSim

/// How many true peaks have a detection within `tolerance` samples, and how many detections
/// match no true peak (each detection may match one true peak only).
func matchPeaks(truth: [Int], found: [Int], tolerance: Int) -> (hits: Int, falseDetections: Int) {
    var used = Set<Int>()
    var hits = 0
    for peak in truth {
        guard let index = ECGImporter.nearestIndex(to: Double(peak), in: found), !used.contains(index),
              abs(found[index] - peak) <= tolerance else { continue }
        used.insert(index)
        hits += 1
    }
    return (hits, found.count - used.count)
}

@Suite struct ResamplerTests {
    func sine(_ frequency: Double, rate: Double, seconds: Double) -> [Double] {
        (0..<Int(rate * seconds)).map { sin(2 * Double.pi * frequency * Double($0) / rate) }
    }

    /// Largest absolute value away from the ends (where the kernel runs out of signal).
    func amplitude(_ x: [Double]) -> Double { x[(x.count / 4)..<(3 * x.count / 4)].map(abs).max() ?? 0 }

    @Test func tenHertzSurvivesWithinOnePercent() {
        let out = Resampler(from: 360, to: 250).resample(sine(10, rate: 360, seconds: 4))
        #expect(out.count == 1000)
        #expect(abs(amplitude(out) - 1) < 0.01)
        // And the sine is where it should be in time, not just the right size.
        let expected = sine(10, rate: 250, seconds: 4)
        let worst = (250..<750).map { abs(out[$0] - expected[$0]) }.max()!
        #expect(worst < 0.01)
    }

    @Test func aboveTheNewNyquistIsAttenuatedFortyDecibels() {
        for (rate, frequency) in [(360.0, 125.0), (360.0, 150.0), (360.0, 175.0), (500.0, 126.0), (500.0, 200.0)] {
            let out = Resampler(from: rate, to: 250).resample(sine(frequency, rate: rate, seconds: 4))
            #expect(amplitude(out) < 0.01, "\(frequency) Hz from \(rate) Hz leaks through at \(amplitude(out))")
        }
    }

    @Test func sameRateIsUntouchedAndConstantsStayConstant() {
        let x = sine(7, rate: 250, seconds: 1)
        #expect(Resampler(from: 250, to: 250).resample(x) == x)
        let flat = Resampler(from: 500, to: 250).resample([Double](repeating: 0.7, count: 1000))
        #expect(flat.allSatisfy { abs($0 - 0.7) < 1e-9 })
    }
}

@Suite struct BaselineRemovalTests {
    @Test func slowDriftIsRemovedAndTheQRSKept() throws {
        var settings = SimulatedRecording.Settings()
        (settings.duration, settings.samplingRate, settings.noise, settings.motionArtefacts, settings.pvcs) = (20, 250, 0, false, false)
        settings.wander = 0
        let clean = try SimulatedRecording.generate(settings, seed: 3)
        settings.wander = 1.0
        let drifting = try SimulatedRecording.generate(settings, seed: 3)
        let removed = BaselineRemoval.remove(drifting.samples, samplingRate: 250)
        let cleanRemoved = BaselineRemoval.remove(clean.samples, samplingRate: 250)
        // With a drift of up to a millivolt, the R peaks stand at the same height as without.
        for peak in clean.rPeaks.dropFirst().dropLast() {
            #expect(abs(removed[peak] - cleanRemoved[peak]) < 0.1)
            #expect(abs(removed[peak] - clean.samples[peak]) < 0.15)
        }
        // The raw signal's R peaks are spread by the drift; after removal they are not.
        func spread(_ x: [Double]) -> Double {
            let heights = clean.rPeaks.dropFirst().dropLast().map { x[$0] }
            return heights.max()! - heights.min()!
        }
        #expect(spread(drifting.samples) > 0.5)
        #expect(spread(removed) < 0.25)
    }
}

@Suite struct RPeakDetectorTests {
    /// Detector targets: >= 99% of true R peaks within 50 ms, <= 1% false detections, on noisy,
    /// wandering CardioSim recordings at 360 and 500 Hz.
    @Test(arguments: [360.0, 500.0])
    func findsTheBeatsOfNoisyWanderingRecordings(rate: Double) throws {
        var truthTotal = 0, hitsTotal = 0, falseTotal = 0, foundTotal = 0
        for (seed, morphology) in [(11 as UInt64, BeatClass.normal), (12, .bbb), (13, .ste)] {
            var settings = SimulatedRecording.Settings()
            (settings.duration, settings.samplingRate, settings.morphology) = (60, rate, morphology)
            settings.heartRate = 60 + Double(seed % 5) * 12
            let recording = try SimulatedRecording.generate(settings, seed: seed)
            let resampled = Resampler(from: rate, to: 250).resample(recording.samples)
            let clean = BaselineRemoval.remove(resampled, samplingRate: 250)
            let found = BeatAlignment.align(RPeakDetector.detect(clean, samplingRate: 250), in: clean)
            // Truth moved to 250 Hz; the first and last half-second are left out (cut beats).
            let truth = recording.rPeaks.map { Int((Double($0) * 250 / rate).rounded()) }
                .filter { $0 > 125 && $0 < resampled.count - 125 }
            let inside = found.filter { $0 > 125 && $0 < resampled.count - 125 }
            let result = matchPeaks(truth: truth, found: inside, tolerance: Int(0.05 * 250))
            truthTotal += truth.count; hitsTotal += result.hits; falseTotal += result.falseDetections; foundTotal += inside.count
        }
        #expect(truthTotal > 150)
        #expect(Double(hitsTotal) >= 0.99 * Double(truthTotal), "found \(hitsTotal) of \(truthTotal) at \(rate) Hz")
        #expect(Double(falseTotal) <= 0.01 * Double(foundTotal), "\(falseTotal) false of \(foundTotal) at \(rate) Hz")
    }

    @Test func searchBackRecoversASmallBeatAfterBigOnes() {
        // Tall beats every second, then one beat a third as tall: threshold 1 (set by the tall
        // ones) can miss it, search-back must not.
        let fs = 250.0
        var x = [Double](repeating: 0, count: 2500)
        var truth: [Int] = []
        for k in 0..<10 {
            let centre = 125 + k * 250, height = k == 6 ? 0.3 : 1.0
            truth.append(centre)
            for j in -6...6 { x[centre + j] += height * exp(-Double(j * j) / 8) }
        }
        let found = RPeakDetector.detect(x, samplingRate: fs)
        #expect(matchPeaks(truth: truth, found: found, tolerance: 2).hits == 10)
        #expect(found.count == 10)
    }
}

@Suite struct BeatImportTests {
    static let dataset: BeatDataset = {
        var config = BeatDatasetConfig(trainCount: 0, testCount: 60)
        // No jitter: the R peak is exactly at sample 90 of each beat. No per-patient shape
        // variation: a strongly varied beat may match its textbook shape a sample or two away,
        // which the alignment test measures on its own; noise and wander stay as in the course.
        config.beat.jitterSamples = 0
        config.beat.shapeVariation = 0
        return try! BeatDataset.generate(config, seed: 5)
    }()

    /// Round trip: beats exported end to end at 250 Hz and imported (baseline kept as it is) come
    /// back as the very same windows, with their labels.
    @Test func exportedBeatsImportAsTheSameBeats() throws {
        let data = Self.dataset
        let csv = try RecordingCSV.parse(data.test.recordingCSV(classes: data.classes))
        let imported = try ECGImporter.importRecording(csv, options: ImportOptions(samplingRate: 250, removeBaseline: false),
                                                       name: "trip", fileName: "trip.csv")
        let original = data.test.beats.copyScalars()
        // Every beat whose window fits (all but the first and last) is found at its own place.
        let expectedPeaks = (1..<(data.test.count - 1)).map { $0 * 250 + 90 }
        #expect(Set(expectedPeaks).isSubset(of: Set(imported.beatPeaks)))
        var compared = 0, extra = 0
        for (b, peak) in imported.beatPeaks.enumerated() {
            let source = (peak - 90) / 250
            guard (peak - 90) % 250 == 0 else { extra += 1; continue }
            let got = imported.beats[(b * 250)..<((b + 1) * 250)], want = original[(source * 250)..<((source + 1) * 250)]
            #expect(zip(got, want).allSatisfy { abs($0 - $1) < 1e-6 })
            #expect(imported.truth[b] == data.classes[data.test.labels[source]])
            compared += 1
        }
        #expect(compared >= data.test.count - 2)
        // Beats laid end to end meet in jumps no heart makes; at most one seam may pass for a beat.
        #expect(extra <= 1)
    }

    /// Alignment: the cut windows put the true R peak within 2 samples of sample 90.
    @Test func windowsPutTheTrueRPeakAtSampleNinety() throws {
        var settings = SimulatedRecording.Settings()
        (settings.duration, settings.samplingRate) = (60, 360)
        let recording = try SimulatedRecording.generate(settings, seed: 21)
        let imported = try ECGImporter.importRecording(try RecordingCSV.parse(recording.csv()), options: ImportOptions(),
                                                       name: "aligned", fileName: "aligned.csv")
        let truth = recording.rPeaks.map { Double($0) * 250 / 360 }
        var offsets: [Double] = []
        for peak in imported.beatPeaks {
            let nearest = ECGImporter.nearestIndex(to: Double(peak), in: truth.map { Int($0.rounded()) })!
            offsets.append(Double(peak) - truth[nearest])
        }
        #expect(imported.beatCount > 60)
        #expect(offsets.allSatisfy { abs($0) <= 2 }, "offsets \(offsets.filter { abs($0) > 2 })")
        // The labels in the CSV came through, PVCs included.
        #expect(imported.truth.compactMap { $0 }.count == imported.beatCount)
        #expect(imported.truth.contains(.pvc) && imported.truth.contains(.normal))
    }
    /// `--annotations`: a beat-annotation file (sample index at the file's rate, MIT-BIH symbol)
    /// gives an unlabelled recording the same truth its label column would have given.
    @Test func anAnnotationFileGivesTheSameTruthAsALabelColumn() throws {
        var settings = SimulatedRecording.Settings()
        (settings.duration, settings.samplingRate) = (30, 360)
        let recording = try SimulatedRecording.generate(settings, seed: 8)
        let symbols: [BeatClass: String] = [.normal: "N", .pvc: "V"]
        var file = "sample\tsymbol\n# written by hand\n"
        for (peak, kind) in zip(recording.rPeaks, recording.classes) { file += "\(peak)\t\(try #require(symbols[kind]))\n" }
        let marks = try BeatAnnotationFile.parse(file, fileName: "marks.tsv")
        #expect(marks.count == recording.rPeaks.count && marks.first?.symbol == "N")

        let labelled = try ECGImporter.importRecording(try RecordingCSV.parse(recording.csv()), options: ImportOptions(),
                                                       name: "column", fileName: "column.csv")
        let annotated = try ECGImporter.importRecording(try RecordingCSV.parse(recording.csv(labelled: false)), options: ImportOptions(),
                                                        name: "marks", fileName: "marks.csv", annotations: marks)
        let unlabelled = try ECGImporter.importRecording(try RecordingCSV.parse(recording.csv(labelled: false)), options: ImportOptions(),
                                                         name: "bare", fileName: "bare.csv")
        #expect(annotated.beatPeaks == labelled.beatPeaks)
        #expect(annotated.truth == labelled.truth)
        #expect(annotated.truth.contains(.pvc) && annotated.truth.compactMap { $0 }.count == annotated.beatCount)
        #expect(unlabelled.truth.allSatisfy { $0 == nil })
    }

    @Test func aBadAnnotationRowIsNamedByLineAndColumn() {
        func failure(_ text: String) -> String? {
            do { _ = try BeatAnnotationFile.parse(text, fileName: "marks.csv"); return nil } catch { return "\(error)" }
        }
        #expect(failure("sample,symbol\n10,N\n-4,V\n")?.contains("marks.csv:3: column 1") == true)
        #expect(failure("10,N\n20,\n")?.contains("marks.csv:2: column 2") == true)
        #expect(failure("10,N\n20\n")?.contains("marks.csv:2") == true)
        #expect(failure("10;N\n\n20;V\n") == nil)
    }
}
