import CardioSim
import Course
import Labs
import MLEngine
import Testing

/// `optimizer-mlp`: the race on the heartbeat network of Lessons/03-backprop.md.
@Suite struct MLPOptimizerRaceTests {
    @Test func allFourStartFromTheSameWeights() throws {
        let data: BeatDataset = try #require(SharedBeats.dataset)
        let lab = MLPOptimizerRaceLab(seed: 5, dataset: data, hidden: 8)
        let tensors = lab.snapshot().tensors
        for name in ["fc1.weight", "fc1.bias", "out.weight"] {
            let sgd = try #require(tensors["sgd.model.\(name)"])
            for racer in ["momentum", "adam", "adamw"] { #expect(tensors["\(racer).model.\(name)"] == sgd, "\(racer) \(name)") }
        }
    }

    @Test func adamAndAdamWReachNinetyFivePercentFirst() throws {
        // 32 hidden units instead of 256 for debug-build speed; the learning rates are the defaults.
        let data: BeatDataset = try #require(SharedBeats.dataset)
        var lab = MLPOptimizerRaceLab(seed: 7, dataset: data, hidden: 32)
        let racers = ["sgd", "momentum", "adam", "adamw"]
        func reached(_ racer: String) -> Double? { lab.metrics.latest("steps_to_95_\(racer)") }
        for _ in 0..<300 where racers.contains(where: { reached($0) == nil }) { _ = try lab.step() }
        let adam = try #require(reached("adam")), adamw = try #require(reached("adamw"))
        for slow in ["sgd", "momentum"] {
            let steps = reached(slow) ?? .infinity
            #expect(adam <= steps && adamw <= steps, "adam \(adam), adamw \(adamw), \(slow) \(steps)")
        }
        // "SGD gets there too, but needs more steps."
        let sgd = try #require(reached("sgd"))
        #expect(sgd > adam, "sgd \(sgd), adam \(adam)")
    }

    @Test func aRestoredCheckpointContinuesBitForBit() throws {
        let data = try #require(SharedBeats.dataset)
        var straight = MLPOptimizerRaceLab(seed: 3, dataset: data, hidden: 8)
        try straight.stepMany(10)
        var first = MLPOptimizerRaceLab(seed: 3, dataset: data, hidden: 8)
        try first.stepMany(5)
        var resumed = MLPOptimizerRaceLab(seed: 4, dataset: data, hidden: 16)
        try resumed.restore(first.snapshot())
        try resumed.stepMany(5)
        #expect(statesAgree(resumed.snapshot(), straight.snapshot()))
    }

    @Test func learningRatesAreLiveAndPerRacer() throws {
        let data: BeatDataset = try #require(SharedBeats.dataset)
        var lab = MLPOptimizerRaceLab(seed: 3, dataset: data, hidden: 8)
        try lab.set("lr_sgd", to: .number(0.2))
        #expect(lab.parameters[named: "lr_sgd"]?.value == .number(0.2))
        #expect(lab.parameters[named: "lr_adam"]?.value == .number(0.001))
        #expect(throws: HyperparameterError.self) { try lab.set("lr_rmsprop", to: .number(0.1)) }
        for id in lab.panelIDs {
            guard case .lineChart(let chart)? = lab.panel(id)?.content else { Issue.record("\(id) is not a line chart"); continue }
            #expect(chart.series.map(\.name) == ["sgd", "momentum", "adam", "adamw"])
        }
    }
}
