import Foundation
import Testing
@testable import MLEngine

/// Each update rule against numbers worked out from its formula by hand (in Double, here).
@Suite struct OptimizerTests {
    /// One parameter with a chosen gradient, wrapped as a layer so `step(&model)` can be used.
    struct Single: Layer {
        var p: Tensor
        init(_ values: [Float]) { p = Tensor(values).requiringGrad() }
        func forward(_ input: Tensor) -> Tensor { input * p }
        mutating func visitParameters(_ visit: (String, inout Tensor) throws -> Void) rethrows { try visit("p", &p) }
        func gradient(_ g: [Float]) { p.setGrad(Tensor(g)) }
    }

    @Test func plainSGD() {
        var model = Single([1, -2]), sgd = SGD(learningRate: 0.1)
        model.gradient([0.5, 1])
        sgd.step(&model)
        expectClose(model.p.copyScalars(), [1 - 0.1 * 0.5, -2 - 0.1 * 1])
        sgd.learningRate = 0.01  // live change: the next step uses it
        model.gradient([0.5, 1])
        sgd.step(&model)
        expectClose(model.p.copyScalars(), [0.95 - 0.01 * 0.5, -2.1 - 0.01 * 1])
        var decayed = Single([1]), wd = SGD(learningRate: 0.1, weightDecay: 0.1)
        decayed.gradient([0.5])
        wd.step(&decayed)
        expectClose(decayed.p.copyScalars(), [1 - 0.1 * (0.5 + 0.1 * 1)])
    }

    @Test func sgdWithMomentum() throws {
        var model = Single([1, -2]), sgd = SGD(learningRate: 0.1, momentum: 0.9)
        model.gradient([0.5, 1])
        sgd.step(&model)                    // v = g
        expectClose(model.p.copyScalars(), [0.95, -2.1])
        model.gradient([0.5, 1])
        sgd.step(&model)                    // v = 0.9 g + g = 1.9 g
        expectClose(model.p.copyScalars(), [0.95 - 0.1 * 0.95, -2.1 - 0.1 * 1.9])
        #expect(sgd.state["p.velocity"]?.copyScalars() == [0.95, 1.9])
        var restored = SGD(learningRate: 0.1, momentum: 0.9)
        try restored.restoreState(sgd.state)
        #expect(restored.state == sgd.state)
        #expect(throws: EngineError.self) { try restored.restoreState(["p.speed": Tensor([1])]) }
    }

    @Test func adamFirstTwoSteps() {
        // 11 equal scalars: 8 go through the vectorised loop, 3 through the scalar tail.
        var model = Single([Float](repeating: 1, count: 11)), adam = Adam(learningRate: 0.1)
        model.gradient([Float](repeating: 0.5, count: 11))
        adam.step(&model)
        // m = 0.1 * 0.5, v = 0.001 * 0.25; corrected: 0.5 and 0.25, so the step is lr * 0.5 / 0.5.
        let m1 = 0.1 * 0.5, v1 = 0.001 * 0.25
        let p1 = 1 - 0.1 * (m1 / 0.1) / ((v1 / 0.001).squareRoot() + 1e-8)
        expectClose(model.p.copyScalars(), [Float](repeating: Float(p1), count: 11))
        model.gradient([Float](repeating: -1, count: 11))
        adam.step(&model)
        let m2 = 0.9 * m1 + 0.1 * -1.0, v2 = 0.999 * v1 + 0.001 * 1.0
        let p2 = p1 - 0.1 * (m2 / (1 - 0.9 * 0.9)) / ((v2 / (1 - 0.999 * 0.999)).squareRoot() + 1e-8)
        expectClose(model.p.copyScalars(), [Float](repeating: Float(p2), count: 11))
        #expect(Set(model.p.copyScalars()).count == 1)  // vector lanes and scalar tail agree bit for bit
        #expect(Swift.abs(p2 - 0.93661) < 1e-4)  // the same number worked out on paper
        #expect(adam.state["p.step"]?.item == 2)
        expectClose(adam.state["p.m"]!.copyScalars(), [Float](repeating: Float(m2), count: 11))
        expectClose(adam.state["p.v"]!.copyScalars(), [Float](repeating: Float(v2), count: 11))
    }

    @Test func adamWDecaysWeightsOutsideTheAdaptiveStep() {
        var model = Single([1]), adamw = AdamW(learningRate: 0.1, weightDecay: 0.1)
        model.gradient([0.5])
        adamw.step(&model)
        expectClose(model.p.copyScalars(), [1 * (1 - 0.1 * 0.1) - 0.1 * 1])   // 0.89
        // Adam with the same decay folded into the gradient still moves by exactly lr on step 1.
        var coupled = Single([1]), adam = Adam(learningRate: 0.1, weightDecay: 0.1)
        coupled.gradient([0.5])
        adam.step(&coupled)
        expectClose(coupled.p.copyScalars(), [0.9])
    }

    @Test func restoredAdamStateContinuesIdentically() throws {
        var a = Single([1, 2]), adam = AdamW(learningRate: 0.05)
        for g in [[0.3, -0.2], [0.1, 0.4]] as [[Float]] { a.gradient(g); adam.step(&a) }
        var b = Single(a.p.copyScalars()), resumed = AdamW(learningRate: 0.05)
        try resumed.restoreState(adam.state)
        a.gradient([-0.5, 0.2]); adam.step(&a)
        b.gradient([-0.5, 0.2]); resumed.step(&b)
        #expect(a.p.copyScalars() == b.p.copyScalars())
        #expect(Set(adam.state.keys) == ["p.m", "p.v", "p.step"])
        var broken = adam.state
        broken["p.v"] = nil
        #expect(throws: EngineError.self) { try resumed.restoreState(broken) }
    }

    /// State read from a file is checked against the parameters it will update: the update
    /// runs on raw pointers, so a moment of the wrong shape would be read and written past its
    /// end, and a step count of 1e30 trapped converting to Int.
    @Test func restoredStateMustFitTheParameters() throws {
        var a = Single([1, 2]), adam = Adam(learningRate: 0.05), sgd = SGD(learningRate: 0.1, momentum: 0.9)
        a.gradient([0.3, -0.2]); adam.step(&a); sgd.step(&a)
        let shapes = ["p": [2]]
        var fresh = Adam(learningRate: 0.05)
        try fresh.restoreState(adam.state, parameterShapes: shapes)
        #expect(fresh.state == adam.state)
        var wide = adam.state
        wide["p.m"] = Tensor([1, 2, 3]); wide["p.v"] = Tensor([1, 2, 3])
        #expect(throws: EngineError.shapeMismatch("optimizer state 'p.m' has shape [3], but parameter 'p' has [2]")) {
            try fresh.restoreState(wide, parameterShapes: shapes)
        }
        #expect(throws: EngineError.self) { try fresh.restoreState(adam.state, parameterShapes: ["q": [2]]) }
        for count: Float in [1e30, .infinity, .nan, -1, 0.5] {
            var huge = adam.state
            huge["p.step"] = Tensor([count])
            #expect(throws: EngineError.self, "step \(count)") { try fresh.restoreState(huge, parameterShapes: shapes) }
        }
        var momentum = SGD(learningRate: 0.1, momentum: 0.9)
        try momentum.restoreState(sgd.state, parameterShapes: shapes)
        #expect(throws: EngineError.self) { try momentum.restoreState(["p.velocity": Tensor([1])], parameterShapes: shapes) }
    }

    @Test func stepUpdatesParametersInPlaceWithoutCopying() throws {
        var g = SeededGenerator(seed: 2)
        var model = Sequential(named: [("fc1", Linear(inputs: 4, outputs: 3, generator: &g))])
        var opt = Adam(learningRate: 0.01)
        let before = model.namedParameters["fc1.weight"]!.storage.pointer
        let loss = try crossEntropy(logits: model(Tensor.normal([2, 4], generator: &g)), labels: [0, 2])
        loss.backward()
        opt.step(&model)
        // The graph freed its saved copy of the weights during backward, so the update wrote
        // into the model's own buffer rather than copying a megabyte per step in big nets.
        #expect(model.namedParameters["fc1.weight"]!.storage.pointer == before)
        #expect(Set(opt.state.keys) == ["fc1.weight.m", "fc1.weight.v", "fc1.weight.step", "fc1.bias.m", "fc1.bias.v", "fc1.bias.step"])
    }

    @Test func parametersWithoutGradientAreLeftAlone() {
        var model = Single([3]), opt = AdamW(learningRate: 0.1)
        opt.step(&model)
        #expect(model.p.copyScalars() == [3])
        #expect(opt.state.isEmpty)
    }
}
