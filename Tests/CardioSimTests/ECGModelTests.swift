import Testing
import Foundation
import MLEngine
@testable import CardioSim

@Suite struct ECGModelTests {
    @Test(arguments: [60.0, 90.0, 120.0])
    func measuredHeartRateMatchesRequest(heartRate: Double) throws {
        var rng = SeededGenerator(seed: 11)
        let record = try ECGRecording.simulate(rhythm: .normal, duration: 30, heartRate: heartRate, noise: 0.02,
                                               wander: .init(amplitude: 0.05), rng: &rng)
        let peaks = detectRPeaks(record.samples, samplingRate: 250)
        let meanRR = Double(peaks.last! - peaks.first!) / Double(peaks.count - 1) / 250
        #expect(abs(60 / meanRR - heartRate) < 2, "measured \(60 / meanRR) bpm for \(heartRate)")
        // The detected peaks are the model's R peaks (theta = 0), within a sample or two.
        for peak in peaks { #expect(record.rPeakIndices.contains { abs($0 - peak) <= 2 }) }
    }

    @Test func rPeakIsAboutOneMillivolt() {
        for hr in [60.0, 100.0] {
            let beat = cleanBeat(.normal, heartRate: hr)
            let peak = beat.samples[beat.rPeakIndex]
            #expect(peak > 0.9 && peak < 1.5, "R peak \(peak) mV at \(hr) bpm")
            #expect(beat.samples.max() == peak)
        }
    }

    @Test(arguments: [60.0, 75.0, 90.0, 100.0])
    func normalDurationsAreInNormalRanges(heartRate: Double) throws {
        let d = measure(cleanBeat(.normal, heartRate: heartRate))
        let p = try #require(d.p), pr = try #require(d.pr), qt = try #require(d.qt)
        #expect(p < 110, "P \(p) ms")
        #expect(pr >= 120 && pr <= 200, "PR \(pr) ms")
        #expect(d.qrs >= 70 && d.qrs <= 110, "QRS \(d.qrs) ms")
        let qtc = qt / (60 / heartRate).squareRoot()
        #expect(qtc >= 350 && qtc <= 450, "QTc \(qtc) ms")
        if heartRate == 60 { #expect(abs(qt - 390) <= 20, "QT at 60 bpm \(qt) ms") }
    }

    @Test(arguments: [60.0, 75.0, 90.0])
    func wideComplexesAreWide(heartRate: Double) {
        #expect(measure(cleanBeat(.pvc, heartRate: heartRate)).qrs >= 120)
        #expect(measure(cleanBeat(.bbb, heartRate: heartRate)).qrs >= 120)
        #expect(measure(cleanBeat(.normal, heartRate: heartRate)).qrs < 110)
        #expect(measure(cleanBeat(.afib, heartRate: heartRate)).qrs < 110)
        #expect(measure(cleanBeat(.ste, heartRate: heartRate)).qrs < 110)
    }

    @Test func pvcAndAfibHaveNoPWave() {
        #expect(measure(cleanBeat(.pvc, heartRate: 70)).p == nil)
        #expect(measure(cleanBeat(.afib, heartRate: 70)).p == nil)
        #expect(measure(cleanBeat(.normal, heartRate: 70)).p != nil)
    }

    @Test func pvcTWaveOpposesItsQRS() {
        let beat = cleanBeat(.pvc, heartRate: 70)
        let d = measure(beat)
        // The main deflection of each: the sample farthest from zero.
        let qrsMain = beat.samples[d.qrsStart...d.qrsEnd].max { abs($0) < abs($1) }!
        let tSamples = beat.samples.indices.filter { $0 > d.qrsEnd && beat.waveLabels[$0] == .t }
        let tMain = tSamples.map { beat.samples[$0] }.max { abs($0) < abs($1) }!
        #expect(qrsMain > 0 && tMain < -0.2, "QRS \(qrsMain) mV, T \(tMain) mV")
    }

    @Test func stElevationLiftsTheJPoint() {
        // Level relative to the PR segment (20 ms before the QRS), `after` samples past the J
        // point (the end of the QRS label).
        func stLevel(_ cls: BeatClass, _ hr: Double, after: Int) -> Float {
            let beat = cleanBeat(cls, heartRate: hr)
            let d = measure(beat)
            return beat.samples[d.qrsEnd + after] - beat.samples[d.qrsStart - 5]
        }
        for hr in [60.0, 75.0, 90.0] {
            #expect(stLevel(.ste, hr, after: 0) >= 0.1, "ST elevation at J \(stLevel(.ste, hr, after: 0)) mV at \(hr) bpm")
            #expect(stLevel(.ste, hr, after: 0) - stLevel(.normal, hr, after: 0) >= 0.15)
            // J + 20 ms, where the normal S wave has returned to the baseline.
            #expect(stLevel(.ste, hr, after: 5) >= 0.15)
            #expect(abs(stLevel(.normal, hr, after: 5)) < 0.05, "normal ST \(stLevel(.normal, hr, after: 5)) mV")
        }
    }

    @Test func afibIntervalsAreIrregular() throws {
        var rng = SeededGenerator(seed: 5)
        func rrSpread(_ rhythm: BeatClass) throws -> Double {
            let record = try ECGRecording.simulate(rhythm: rhythm, duration: 30, heartRate: 80, rng: &rng)
            let rr = zip(record.rPeakIndices.dropFirst(), record.rPeakIndices).map { Double($0 - $1) / 250 }
            let mean = rr.reduce(0, +) / Double(rr.count)
            return (rr.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(rr.count)).squareRoot() / mean
        }
        let afib = try rrSpread(.afib), sinus = try rrSpread(.normal)
        #expect(afib > 0.12 && sinus < 0.06, "coefficient of variation afib \(afib), sinus \(sinus)")
    }

    @Test func pvcIsFollowedByACompensatoryPause() throws {
        var rng = SeededGenerator(seed: 9)
        let schedule = RhythmGenerator.schedule(kinds: [.normal, .normal, .pvc, .normal, .normal], indexBeat: 2,
                                                heartRate: 60, rrStd: 0, variationAmount: 0, rng: &rng)
        let r = schedule.map(\.rTime)
        #expect(r[2] - r[1] < 0.75)                            // early
        #expect(abs((r[3] - r[1]) - 2.0) < 1e-9)               // two sinus cycles around it
    }

    @Test func tachogramHasRequestedMeanAndVariability() {
        var rng = SeededGenerator(seed: 3)
        let rr = RRTachogram(meanHeartRate: 75, rrStd: 0.04).intervals(count: 2000, rng: &rng)
        let mean = rr.reduce(0, +) / Double(rr.count)
        let std = (rr.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(rr.count)).squareRoot()
        #expect(abs(mean - 0.8) < 0.01)
        #expect(abs(std - 0.04) < 0.012)
    }
}
