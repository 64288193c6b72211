import Testing
import Foundation
import MLEngine
@testable import CardioSim

/// "beats-hard", chapter 10's shared classification task: what makes it hard (shifts, noise,
/// wander in both splits) must really be in the beats, the same every time.
@Suite struct HardBeatsRecipeTests {
    /// The recipe's settings at a size a debug build makes quickly.
    static func small(_ change: (inout BeatOptions) -> Void = { _ in }) throws -> (config: BeatDatasetConfig, seed: UInt64) {
        let recipe = try #require(BuiltInRecipes.recipe(named: "beats-hard"))
        guard case .beats(var config) = recipe.parameters else { throw CardioSimError.invalidParameter("beats-hard is not a beat recipe") }
        config.trainCount = 150
        config.testCount = 100
        change(&config.beat)
        return (config, recipe.seed)
    }

    @Test func recipeIsListedWithItsSizes() throws {
        let recipe = try #require(BuiltInRecipes.recipe(named: "beats-hard"))
        guard case .beats(let config) = recipe.parameters else { Issue.record("not a beat recipe"); return }
        #expect(config.trainCount == 1000)
        #expect(config.testCount > 0)
        #expect(config.classes == BeatClass.allCases)
    }

    @Test func bothSplitsAreShiftedByUpTo40Samples() throws {
        let (config, seed) = try Self.small()
        let data = try BeatDataset.generate(config, seed: seed)
        for split in [data.train, data.test] {
            let offsets = split.rPeakIndices.map { $0 - 90 }
            #expect(offsets.allSatisfy { abs($0) <= 40 })
            // Spread over the whole range, not a fixed slip: both far ends are reached.
            #expect(offsets.min()! <= -30 && offsets.max()! >= 30, "offsets \(offsets.min()!)...\(offsets.max()!)")
        }
    }

    @Test func noiseIsStrongerThanInTheBeatsRecipe() throws {
        // Noise is drawn last, so without it the same beats come out minus exactly the noise.
        let (config, seed) = try Self.small()
        let (quiet, _) = try Self.small { $0.noiseRange = [0, 0] }
        let noisy = try BeatDataset.generate(config, seed: seed), clean = try BeatDataset.generate(quiet, seed: seed)
        let deviations = Self.rowDeviations(noisy.train.beats, minus: clean.train.beats)
        #expect(deviations.min()! > 0.02, "weakest noise \(deviations.min()!) mV")
        #expect(deviations.reduce(0, +) / Double(deviations.count) > 0.05)
        #expect(deviations.max()! < 0.12)
        #expect(noisy.test.beats.copyScalars() != clean.test.beats.copyScalars(), "the test split has no noise")
    }

    @Test func baselineWanderReaches0Point3MillivoltsInBothSplits() throws {
        let (config, seed) = try Self.small()
        let (still, _) = try Self.small { $0.wanderMaximum = 0 }
        let wandering = try BeatDataset.generate(config, seed: seed), flat = try BeatDataset.generate(still, seed: seed)
        for (a, b) in [(wandering.train.beats, flat.train.beats), (wandering.test.beats, flat.test.beats)] {
            let largest = zip(a.copyScalars(), b.copyScalars()).map { Swift.abs(Double($0) - Double($1)) }.max()!
            // The "beats" recipe's wander stops at 0.08 mV.
            #expect(largest > 0.2 && largest <= 0.3001, "largest wander \(largest) mV")
        }
    }

    @Test func sameSeedSameBytes() throws {
        let (config, seed) = try Self.small()
        let a = try BeatDataset.generate(config, seed: seed), b = try BeatDataset.generate(config, seed: seed)
        #expect(a.train.beats.copyScalars().map(\.bitPattern) == b.train.beats.copyScalars().map(\.bitPattern))
        #expect(a.test.beats.copyScalars().map(\.bitPattern) == b.test.beats.copyScalars().map(\.bitPattern))
        #expect(a.train.rPeakIndices == b.train.rPeakIndices)
    }

    /// The standard deviation of each row of `a - b` ([N, window] each).
    static func rowDeviations(_ a: Tensor, minus b: Tensor) -> [Double] {
        let window = a.shape[1]
        let difference = zip(a.copyScalars(), b.copyScalars()).map { Double($0) - Double($1) }
        return stride(from: 0, to: difference.count, by: window).map { start in
            let row = difference[start..<(start + window)]
            let mean = row.reduce(0, +) / Double(window)
            return (row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(window)).squareRoot()
        }
    }
}
