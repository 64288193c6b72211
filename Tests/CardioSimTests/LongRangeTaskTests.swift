import CardioSim
import Foundation
import MLEngine
import Testing

/// The long-range task of chapters 4 and 6: labels balanced, right, and carried only by the ends.
@Suite struct LongRangeTaskTests {
    static let small = LongRangeConfig(trainCount: 400, testCount: 101)

    @Test func labelsAreBalancedAndSayWhetherTheEndsMatch() throws {
        let data = try LongRangeDataset.generate(Self.small, seed: 5)
        #expect(data.train.labels.filter { $0 == 1 }.count == 200)
        #expect(data.test.labels.filter { $0 == 1 }.count == 50)   // odd count: the extra one is "different"
        for split in [data.train, data.test] {
            #expect(split.signals.shape == [split.count, 2000])
            for (label, classes) in zip(split.labels, split.beatClasses) {
                #expect(classes.count == 8)
                #expect((classes.first == classes.last) == (label == 1))
            }
            // Shuffled, not sorted by label.
            #expect(split.labels != split.labels.sorted() && split.labels != split.labels.sorted(by: >))
        }
    }

    @Test func theMiddleBeatsDoNotDependOnTheLabel() throws {
        // Class frequencies of the middle beats, separately for each label: the same (uniform)
        // up to sampling noise (2400 draws per label: one standard deviation is 0.008).
        let data = try LongRangeDataset.generate(LongRangeConfig(trainCount: 800, testCount: 0), seed: 6)
        var counts = [[Int]](repeating: [Int](repeating: 0, count: 5), count: 2)
        for (label, classes) in zip(data.train.labels, data.train.beatClasses) {
            for c in classes.dropFirst().dropLast() { counts[label][c] += 1 }
        }
        for label in 0..<2 {
            let total = Double(counts[label].reduce(0, +))
            #expect(total == 400 * 6)
            for c in 0..<5 { #expect(abs(Double(counts[label][c]) / total - 0.2) < 0.035, "label \(label) class \(c): \(counts[label])") }
        }
        // And whether a middle beat matches the first beat is as likely under both labels.
        func matchRate(_ label: Int) -> Double {
            let rows = zip(data.train.labels, data.train.beatClasses).filter { $0.0 == label }.map(\.1)
            let matches = rows.reduce(0) { total, classes in total + classes.dropFirst().dropLast().filter { $0 == classes[0] }.count }
            return Double(matches) / Double(rows.count * 6)
        }
        #expect(abs(matchRate(0) - matchRate(1)) < 0.035, "\(matchRate(0)) vs \(matchRate(1))")
    }

    @Test func recordingsAreSeededAndThreadIndependent() throws {
        let config = LongRangeConfig(trainCount: 20, testCount: 4)
        let a = try LongRangeDataset.generate(config, seed: 9), b = try LongRangeDataset.generate(config, seed: 9)
        let c = try LongRangeDataset.generate(config, seed: 10)
        #expect(a.train.signals == b.train.signals && a.test.signals == b.test.signals)
        #expect(a.train.signals != c.train.signals)
        // Recording 3 of the training split alone, from its own generator, is the same recording.
        var rng = SeededGenerator(seed: SeedMixing.derive(9, 1, 3))
        let alone = LongRangeDataset.recording(sameClass: a.train.labels[3] == 1, config: config, rng: &rng)
        #expect(alone.samples == Array(a.train.signals.copyScalars()[(3 * 2000)..<(4 * 2000)]))
        #expect(alone.rPeakIndices == a.train.rPeakIndices[3])
    }

    @Test func eachBeatSitsInItsSlot() throws {
        var rng = SeededGenerator(seed: 3)
        let record = LongRangeDataset.recording(sameClass: true, config: LongRangeConfig(), rng: &rng)
        #expect(record.samples.count == 2000)
        for (i, peak) in record.rPeakIndices.enumerated() { #expect(abs(peak - (i * 250 + 100)) <= 6) }
        // The R peak is the tallest point near its slot's expected position for most beats
        // (a PVC's broad R or a BBB's R' may lead by a few samples).
        let largest = record.samples.map(Swift.abs).max() ?? 0
        #expect(largest > 0.5 && largest < 5)
    }

    @Test func badSettingsAreRefused() {
        #expect(throws: CardioSimError.self) { try LongRangeDataset.generate(LongRangeConfig(classes: [.normal]), seed: 1) }
        #expect(throws: CardioSimError.self) { try LongRangeDataset.generate(LongRangeConfig(beatsPerRecording: 2), seed: 1) }
        #expect(throws: CardioSimError.self) { try LongRangeDataset.generate(LongRangeConfig(rPeakInSlot: 248), seed: 1) }
    }

    @Test func theRecipeIsBuiltInAndExports() throws {
        let recipe = try #require(BuiltInRecipes.recipe(named: "long-range"))
        guard case .longRange(let config) = recipe.parameters else { Issue.record("not a long-range recipe"); return }
        #expect(config == LongRangeConfig())
        var small = recipe
        small.parameters = .longRange(LongRangeConfig(trainCount: 3, testCount: 2))
        let exported = try small.generate()
        #expect(exported.table.rows.count == 5)
        #expect(exported.table.columns.count == 5 + 2000)
        #expect(exported.tensors.map(\.name) == ["train_signals", "train_labels", "train_beat_classes",
                                                 "test_signals", "test_labels", "test_beat_classes"])
        // A recipe file round-trips through JSON.
        let decoded = try JSONDecoder().decode(Recipe.self, from: Data(try recipe.json().utf8))
        #expect(decoded == recipe)
    }
}
