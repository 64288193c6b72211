import Testing
import Foundation
import MLEngine
@testable import CardioSim

@Suite struct BeatDatasetTests {
    static let small = BeatDatasetConfig(trainCount: 500, testCount: 250)

    @Test func sameSeedGivesIdenticalBytesAndOtherSeedsDiffer() throws {
        let a = try BeatDataset.generate(Self.small, seed: 1)
        let b = try BeatDataset.generate(Self.small, seed: 1)
        let c = try BeatDataset.generate(Self.small, seed: 2)
        #expect(a.train.beats.copyScalars().map(\.bitPattern) == b.train.beats.copyScalars().map(\.bitPattern))
        #expect(a.test.beats.copyScalars().map(\.bitPattern) == b.test.beats.copyScalars().map(\.bitPattern))
        #expect(a.train.labels == b.train.labels)
        #expect(a.train.beats.copyScalars() != c.train.beats.copyScalars())
        #expect(a.train.labels != c.train.labels)
    }

    @Test func splitSizesAndClassBalanceAreAsRequested() throws {
        let data = try BeatDataset.generate(Self.small, seed: 3)
        #expect(data.train.beats.shape == [500, 250])
        #expect(data.test.beats.shape == [250, 250])
        for k in 0..<5 {
            #expect(data.train.labels.filter { $0 == k }.count == 100)
            #expect(data.test.labels.filter { $0 == k }.count == 50)
        }
        var imbalanced = Self.small
        imbalanced.classFractions = [0.98, 0.005, 0.005, 0.005, 0.005]
        imbalanced.trainCount = 1000
        let skewed = try BeatDataset.generate(imbalanced, seed: 3)
        #expect(skewed.train.labels.filter { $0 == 0 }.count == 980)
        #expect((1..<5).map { k in skewed.train.labels.filter { $0 == k }.count } == [5, 5, 5, 5])
        // The test split may keep its own proportions: enough rare beats to measure recall.
        imbalanced.testClassFractions = [0.6, 0.1, 0.1, 0.1, 0.1]
        let measured = try BeatDataset.generate(imbalanced, seed: 3)
        #expect(measured.train.labels == skewed.train.labels)
        #expect((0..<5).map { k in measured.test.labels.filter { $0 == k }.count } == [150, 25, 25, 25, 25])
    }

    @Test func largestRemaindersKeepTheTotal() {
        let config = BeatDatasetConfig(classFractions: [1, 1, 1, 0, 0])
        #expect(config.classCounts(total: 10).reduce(0, +) == 10)
        #expect(config.classCounts(total: 10).sorted() == [0, 0, 3, 3, 4])
    }

    @Test func beatsAreAlignedOnTheRPeakAndShiftMovesThem() throws {
        var config = Self.small
        config.testShiftSamples = 30
        let data = try BeatDataset.generate(config, seed: 4)
        #expect(data.train.rPeakIndices.allSatisfy { abs($0 - 90) <= 2 })
        #expect(data.test.rPeakIndices.allSatisfy { abs($0 - 120) <= 2 })
        // For normal beats the largest sample near the middle (the neighbours' R peaks may enter
        // the window's edges) is the R peak.
        for i in 0..<data.train.count where data.train.labels[i] == 0 {
            let row = Array(data.train.beat(i))
            let peak = (50..<130).max { row[$0] < row[$1] }!
            #expect(abs(peak - data.train.rPeakIndices[i]) <= 1)
        }
    }

    @Test func invalidConfigurationsAreRejectedWithAReason() {
        var config = Self.small
        config.classFractions = [1, 1]
        #expect(throws: CardioSimError.self) { try BeatDataset.generate(config, seed: 1) }
        config = Self.small
        config.beat.heartRateRange = [120, 60]
        do { _ = try BeatDataset.generate(config, seed: 1); Issue.record("accepted a reversed range") } catch {
            #expect("\(error)".contains("heartRateRange"))
        }
    }

    /// The classes must be clearly separable in shape: even a nearest-centroid classifier (far
    /// weaker than the MLP of the lesson) separates them well on held-out beats.
    @Test func classesAreSeparableByShape() throws {
        let data = try BeatDataset.generate(BeatDatasetConfig(trainCount: 1000, testCount: 500), seed: 5)
        let length = 250
        var centroids = [[Double]](repeating: [Double](repeating: 0, count: length), count: 5)
        var counts = [Double](repeating: 0, count: 5)
        for i in 0..<data.train.count {
            let k = data.train.labels[i]
            for (j, v) in data.train.beat(i).enumerated() { centroids[k][j] += Double(v) }
            counts[k] += 1
        }
        for k in 0..<5 { centroids[k] = centroids[k].map { $0 / counts[k] } }
        var correct = 0
        for i in 0..<data.test.count {
            let row = Array(data.test.beat(i))
            func distance(_ k: Int) -> Double {
                var sum = 0.0
                for j in 0..<length { let d = Double(row[j]) - centroids[k][j]; sum += d * d }
                return sum
            }
            let guess = (0..<5).min { distance($0) < distance($1) }!
            if guess == data.test.labels[i] { correct += 1 }
        }
        let accuracy = Double(correct) / Double(data.test.count)
        #expect(accuracy > 0.85, "nearest-centroid accuracy \(accuracy)")
    }

    @Test func segmentationLabelsCoverEveryWave() throws {
        let data = try SegmentationDataset.generate(SegmentationConfig(trainCount: 8, testCount: 4), seed: 6)
        #expect(data.train.count == 8 && data.test.count == 4)
        for record in data.train {
            #expect(record.samples.count == 1000 && record.labels.count == 1000)
            let present = Set(record.labels)
            #expect(present.contains(.qrs) && present.contains(.t) && present.contains(.background))
            #expect(present.contains(.p) == (record.rhythm != .afib))
        }
        let (signals, labels) = SegmentationDataset.tensors(data.train)
        #expect(signals.shape == [8, 1000] && labels.shape == [8, 1000])
    }
}
