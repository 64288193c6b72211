import Testing
@testable import MLEngine

/// A training run's result depends only on its seed: not on the thread it runs on or on timing.
@Suite struct DeterminismTests {
    static func train(seed: UInt64, steps: Int) -> [String: Tensor] {
        var g = SeededGenerator(seed: seed)
        var model = Sequential(named: [("fc1", Linear(inputs: 20, outputs: 16, generator: &g)), ("relu", ReLU()),
                                       ("fc2", Linear(inputs: 16, outputs: 3, generator: &g))])
        var opt = AdamW(learningRate: 0.01)
        let x = Tensor.normal([12, 20], generator: &g)
        let labels = (0..<12).map { _ in g.int(below: 3) }
        for _ in 0..<steps {
            model.zeroGrad()
            try! crossEntropy(logits: model(x), labels: labels).backward()
            opt.step(&model)
        }
        return model.namedParameters
    }

    @Test func sameSeedGivesBitIdenticalParametersOnAnyThread() async {
        let here = Self.train(seed: 9, steps: 5)
        let elsewhere = await Task.detached { Self.train(seed: 9, steps: 5) }.value
        #expect(here == elsewhere)
        #expect(here != Self.train(seed: 10, steps: 5))
        #expect(here != Self.train(seed: 9, steps: 4))
    }

    @Test func gradModeIsPerTask() async {
        // While this task records nothing, a task running at the same time still records:
        // the mode is task-local, not a global switch.
        let w = Tensor([1]).requiringGrad()
        await GradMode.$isEnabled.withValue(false) {
            #expect(!(w * 2).requiresGrad)
            let other = await Task.detached { (w * 2).requiresGrad }.value
            #expect(other)
            #expect(!(w * 2).requiresGrad)
        }
        #expect((w * 2).requiresGrad)
    }
}
