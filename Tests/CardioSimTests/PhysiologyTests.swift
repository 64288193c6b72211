import Testing
import Foundation
import MLEngine
@testable import CardioSim

@Suite struct WindkesselTests {
    @Test func diastolicDecayIsExponentialWithTimeConstantRC() throws {
        let config = WindkesselConfig(elements: 2, beats: 1, samplingRate: 1000)
        let curve = try WindkesselCurve.simulate(config, seed: 1)
        let endOfEjection = config.systolicFraction * config.period
        let i0 = curve.times.firstIndex { $0 >= endOfEjection + 0.01 }!
        for i in i0..<curve.times.count {
            let predicted = curve.pressure[i0] * exp(-(curve.times[i] - curve.times[i0]) / config.timeConstant)
            #expect(abs(curve.pressure[i] / predicted - 1) < 0.01)
        }
    }

    @Test func steadyStateIsPeriodicWithMeanPressureRTimesMeanFlow() throws {
        for elements in [2, 3] {
            let config = WindkesselConfig(elements: elements, beats: 1, samplingRate: 1000)
            let curve = try WindkesselCurve.simulate(config, seed: 1)
            #expect(abs(curve.pressure.first! - curve.pressure.last!) < 0.05)
            let mean = curve.pressure.dropLast().reduce(0, +) / Double(curve.pressure.count - 1)
            let meanFlow = config.strokeVolume / config.period
            // Zc Q adds Zc * mean flow to the mean in the three-element model.
            let expected = (config.resistance + (elements == 3 ? config.characteristicImpedance : 0)) * meanFlow
            #expect(abs(mean / expected - 1) < 0.01, "mean \(mean) vs \(expected)")
            let systolic = curve.pressure.max()!, diastolic = curve.pressure.min()!
            #expect(systolic > 100 && systolic < 150 && diastolic > 55 && diastolic < 90, "\(systolic)/\(diastolic)")
        }
    }

    @Test func measurementsAreSparseNoisySamplesOfTheCurve() throws {
        let config = WindkesselConfig()
        let curve = try WindkesselCurve.simulate(config, seed: 3)
        #expect(curve.measurements.count == 12)
        #expect(curve.measurementTimes == curve.measurementTimes.sorted())
        for (t, p) in zip(curve.measurementTimes, curve.measurements) {
            let exact = curve.pressure[curve.times.firstIndex(of: t)!]
            #expect(abs(p - exact) < 10)
        }
        #expect(throws: CardioSimError.self) { try WindkesselCurve.simulate(WindkesselConfig(elements: 4), seed: 1) }
    }

    /// The physics-informed lesson's recipe: 3 beats recorded, measurements in the first 1.2 s only,
    /// so there is curve after the window to extrapolate to.
    @Test func windowedMeasurementsFallInsideTheWindowWithTimeAfterIt() throws {
        let recipe = try #require(BuiltInRecipes.recipe(named: "windkessel"))
        guard case .windkessel(let config) = recipe.parameters else { Issue.record("not a windkessel recipe"); return }
        let window = try #require(config.measurementWindow)
        let curve = try WindkesselCurve.simulate(config, seed: recipe.seed)
        #expect(curve.measurements.count == config.measurementCount)
        #expect(curve.measurementTimes.allSatisfy { window.contains($0) }, "\(curve.measurementTimes)")
        // At least one full beat recorded after the window.
        #expect(curve.times.last! - window.upperBound >= config.period, "recording ends at \(curve.times.last!) s")
        for (t, p) in zip(curve.measurementTimes, curve.measurements) {
            #expect(abs(p - curve.pressure[curve.times.firstIndex(of: t)!]) < 5 * config.measurementNoise)
        }
        // Many draws (all 40 with a bigger count) still stay inside; a narrow window limits them to its samples.
        var many = config
        many.measurementCount = 1000
        let dense = try WindkesselCurve.simulate(many, seed: 1)
        #expect(dense.measurementTimes.count == curve.times.filter { window.contains($0) }.count)
        #expect(dense.measurementTimes.allSatisfy { window.contains($0) })
        // Without a window the draws are the ones the recipe always made (the pre-window behaviour).
        var open = config
        open.measurementWindow = nil
        #expect(try WindkesselCurve.simulate(open, seed: 9).measurementTimes.contains { $0 > window.upperBound })
    }

    @Test func windowOutsideTheRecordingIsRefused() {
        #expect(throws: CardioSimError.self) { try WindkesselCurve.simulate(WindkesselConfig(beats: 2, measurementWindow: 1...5), seed: 1) }
        #expect(throws: CardioSimError.self) { try WindkesselCurve.simulate(WindkesselConfig(measurementWindow: 0.5...0.5), seed: 1) }
        #expect(throws: Never.self) { try WindkesselCurve.simulate(WindkesselConfig(measurementWindow: 0...0.8), seed: 1) }
    }

    @Test func windowSurvivesARecipeRoundTrip() throws {
        let recipe = try #require(BuiltInRecipes.recipe(named: "windkessel"))
        let decoded = try JSONDecoder().decode(Recipe.self, from: try JSONEncoder().encode(recipe))
        guard case .windkessel(let config) = decoded.parameters else { Issue.record("not a windkessel recipe"); return }
        #expect(config.measurementWindow == 0...1.2)
        #expect(config.beats == 3)
    }
}

@Suite struct PatientTests {
    @Test func riskIsFlatUntil55ThenSteep() throws {
        let table = try PatientTable.generate(PatientTableConfig(trainCount: 4000, testCount: 10), seed: 1)
        func meanRisk(_ ages: ClosedRange<Double>) -> Double {
            let group = table.train.filter { ages.contains($0.age) }
            return group.map(\.risk).reduce(0, +) / Double(group.count)
        }
        let early = (meanRisk(47...52) - meanRisk(33...38)) / 14
        let late = (meanRisk(70...75) - meanRisk(58...63)) / 12
        #expect(late > 4 * early && late > 1, "slope before 55 \(early), after \(late) points a year")
    }

    @Test func realisticRangesAndCorrelations() throws {
        let patients = try PatientTable.generate(PatientTableConfig(trainCount: 3000, testCount: 0), seed: 2).train
        #expect(patients.allSatisfy { $0.age >= 25 && $0.age <= 90 && $0.systolic > $0.diastolic && $0.heartRate >= 42 })
        func correlation(_ a: [Double], _ b: [Double]) -> Double {
            let ma = a.reduce(0, +) / Double(a.count), mb = b.reduce(0, +) / Double(b.count)
            let cov = zip(a, b).map { ($0 - ma) * ($1 - mb) }.reduce(0, +)
            let va = a.map { ($0 - ma) * ($0 - ma) }.reduce(0, +), vb = b.map { ($0 - mb) * ($0 - mb) }.reduce(0, +)
            return cov / (va * vb).squareRoot()
        }
        #expect(correlation(patients.map(\.age), patients.map(\.systolic)) > 0.3)
        #expect(correlation(patients.map(\.systolic), patients.map(\.diastolic)) > 0.5)
        #expect(correlation(patients.map(\.heartRate), patients.map(\.qt)) < -0.3)   // QT shortens as the heart speeds up
        // Bazett: QTc = QT / sqrt(RR).
        for p in patients.prefix(50) { #expect(abs(p.qt / (60 / p.heartRate).squareRoot() - p.qtc) < 1.5) }
        // The interaction group exists and carries extra risk.
        let both = patients.filter { $0.heartRate > 100 && $0.qtc > 450 }
        #expect(both.count >= 15)
        let eventRate = Double(patients.filter(\.event).count) / Double(patients.count)
        #expect(eventRate > 0.05 && eventRate < 0.4)
    }

    @Test func riskLineIsLinearAndBendBends() throws {
        let line = try RiskCurve.generate(RiskCurveConfig(shape: "line"), seed: 1)
        #expect(line.ages.count == 200 && line.ages == line.ages.sorted())
        let bend = RiskCurveConfig(shape: "bend", intercept: 2, slope: 0.05, slopeAfterBend: 1.5)
        #expect(abs(bend.risk(age: 55) - bend.risk(age: 35) - 1) < 1e-9)
        #expect(abs(bend.risk(age: 75) - bend.risk(age: 55) - 31) < 1e-9)
        #expect(throws: CardioSimError.self) { try RiskCurve.generate(RiskCurveConfig(shape: "wiggle"), seed: 1) }
    }
}

@Suite struct DecisionTests {
    func meanReturn(_ policy: String, episodes: Int) throws -> Double {
        let returns = try (0..<episodes).map {
            try TrajectoryRecorder.episode(policy, config: DosingConfig(), expertNoise: 0, seed: UInt64($0)).totalReturn
        }
        return returns.reduce(0, +) / Double(episodes)
    }

    @Test func expertPolicyEarnsMoreThanRandom() throws {
        let expert = try meanReturn("expert", episodes: 200), random = try meanReturn("random", episodes: 200)
        #expect(expert > random + 3, "expert \(expert), random \(random)")
    }

    @Test func referenceReturnsScoreTheRandomPolicyZeroAndTheExpertOne() throws {
        let references = try DosingReferenceReturns.measure(config: DosingConfig(), episodes: 50, seed: 3)
        #expect(references.expert > references.random + 3, "\(references)")
        #expect(abs(references.normalized(references.random)) < 1e-12)
        #expect(abs(references.normalized(references.expert) - 1) < 1e-12)
        // The same patients for both policies: replaying patient 0 by hand gives its expert return.
        let first = try TrajectoryRecorder.episode("expert", config: DosingConfig(), expertNoise: 0,
                                                   seed: DosingReferenceReturns.patientSeed(3, episode: 0))
        let one = try DosingReferenceReturns.measure(config: DosingConfig(), episodes: 1, seed: 3)
        #expect(one.expert == first.totalReturn)
        #expect(throws: CardioSimError.self) { try DosingReferenceReturns.measure(config: DosingConfig(), episodes: 0, seed: 3) }
    }

    @Test func environmentIsSeededAndGuarded() throws {
        var a = DosingEnvironment(), b = DosingEnvironment()
        #expect(a.reset(seed: 5) == b.reset(seed: 5))
        for action in [2, 1, 3, 0] { #expect(try a.step(action) == b.step(action)) }
        #expect(throws: CardioSimError.self) { try a.step(9) }
        var steps = 4
        while try !a.step(1).done { steps += 1 }
        #expect(steps + 1 == 10)
        #expect(throws: CardioSimError.self) { try a.step(1) }
    }

    @Test func trajectoriesCarryReturnsToGo() throws {
        let all = try TrajectoryRecorder.record(DosingTrajectoryConfig(expertEpisodes: 3, randomEpisodes: 2, noisyExpertEpisodes: 1), seed: 1)
        #expect(all.count == 8 && all.filter { $0.policy == "expert" }.count == 3 && all.filter { $0.policy == "noisy-expert" }.count == 3)
        for t in all {
            #expect(t.actions.count == 10)
            #expect(abs(t.returnsToGo[0] - t.totalReturn) < 1e-9)
        }
    }

    @Test func chainWorldPaysAtBothEnds() throws {
        var world = ChainWorld(slip: 0)
        _ = world.reset(seed: 1)
        var result = try world.step(1)
        while !result.done { result = try world.step(1) }
        #expect(result.reward == 10 && world.position == 6)
        _ = world.reset(seed: 1)
        result = try world.step(0)
        while !result.done { result = try world.step(0) }
        #expect(result.reward == 1 && world.position == 0)
    }
}

/// The Decision Transformer's data: noisy experts fill the returns between random and expert.
@Suite struct MixedTrajectoryTests {
    static func mean(_ t: [Trajectory]) -> Double { t.map(\.totalReturn).reduce(0, +) / Double(max(t.count, 1)) }

    @Test func noisyExpertsSpreadBetweenRandomAndExpert() throws {
        let config = DosingTrajectoryConfig(expertEpisodes: 60, randomEpisodes: 60, noisyExpertEpisodes: 60, noiseLevels: [0.25, 0.5, 0.75])
        let all = try TrajectoryRecorder.record(config, seed: 4)
        #expect(all.count == 60 * 5)
        let expert = Self.mean(all.filter { $0.policy == "expert" }), random = Self.mean(all.filter { $0.policy == "random" })
        let noisy = all.filter { $0.policy == "noisy-expert" }
        // One batch per level, in order: the more noise, the lower the mean return, all between the ends.
        let levels = (0..<3).map { Self.mean(Array(noisy[($0 * 60)..<(($0 + 1) * 60)])) }
        #expect(expert > levels[0] && levels[0] > levels[1] && levels[1] > levels[2] && levels[2] > random,
                "expert \(expert), noisy \(levels), random \(random)")
        // Recovery (+10) makes returns two-humped, but the middle half of the range is not empty.
        let between = all.filter { $0.totalReturn > random + 0.25 * (expert - random) && $0.totalReturn < expert - 0.25 * (expert - random) }
        #expect(between.count >= 10, "\(between.count) courses in the middle half")
    }

    @Test func oldRecipesWithoutNoisyExpertsStillDecode() throws {
        let json = #"{"expertEpisodes": 2, "randomEpisodes": 1, "expertNoise": 0.1, "environment": \#(String(decoding: try JSONEncoder().encode(DosingConfig()), as: UTF8.self))}"#
        let config = try JSONDecoder().decode(DosingTrajectoryConfig.self, from: Data(json.utf8))
        #expect(config.noiseLevels.isEmpty && config.noisyExpertEpisodes == 0)
        #expect(try TrajectoryRecorder.record(config, seed: 1).count == 3)
        #expect(throws: CardioSimError.self) { try TrajectoryRecorder.record(DosingTrajectoryConfig(noiseLevels: [1.5]), seed: 1) }
    }
}
