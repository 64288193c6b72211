import Testing
@testable import MLEngine

@Suite struct UtilityTests {
    @Test func gradientCheckOfAWholeModelNamesItsParameters() {
        var g = SeededGenerator(seed: 8)
        let model = Sequential(named: [("fc1", Linear(inputs: 2, outputs: 3, generator: &g)), ("act", Sigmoid()),
                                       ("fc2", Linear(inputs: 3, outputs: 2, generator: &g))])
        let x = Tensor.normal([4, 2], generator: &g)
        let report = GradientChecker.check(model) { m in try! crossEntropy(logits: m(x), labels: [0, 1, 1, 0]) }
        #expect(report.passed, "\(report)")
        #expect(report.summaries.map(\.name) == ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"])
        #expect(report.entries.count == model.parameterCount)
    }

    @Test func clippingScalesAllGradientsTogether() {
        var model = Linear(weight: Tensor(rows: [[1, 1]]), bias: Tensor([0]))
        model.weight.setGrad(Tensor(rows: [[3, 0]]))
        model.bias!.setGrad(Tensor([4]))
        #expect(model.gradientNorm == 5)
        #expect(model.clipGradientNorm(maxNorm: 1) == 5)
        expectClose(model.weight.grad!.copyScalars(), [0.6, 0])
        expectClose(model.bias!.grad!.copyScalars(), [0.8])
        #expect(Swift.abs(model.clipGradientNorm(maxNorm: 10) - 1) < 1e-6)   // under the limit: unchanged
        expectClose(model.bias!.grad!.copyScalars(), [0.8])
    }

    @Test func ranges() {
        #expect(Tensor.linspace(from: -1, to: 1, count: 5).copyScalars() == [-1, -0.5, 0, 0.5, 1])
        #expect(Tensor.arange(3).copyScalars() == [0, 1, 2])
    }
}
