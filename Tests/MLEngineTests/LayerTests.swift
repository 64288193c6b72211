import Foundation
import Testing
@testable import MLEngine

@Suite struct LayerTests {
    func mlp(seed: UInt64 = 1) -> Sequential {
        var g = SeededGenerator(seed: seed)
        return Sequential(named: [("fc1", Linear(inputs: 3, outputs: 4, generator: &g)), ("act", Tanh()),
                                  ("fc2", Linear(inputs: 4, outputs: 2, initializer: .xavierUniform, generator: &g))])
    }

    @Test func linearComputesXWTransposePlusB() {
        let layer = Linear(weight: Tensor(rows: [[1, 2], [0, -1], [3, 0]]), bias: Tensor([0.5, 0, -1]))
        let y = layer(Tensor(rows: [[1, 1], [2, 0]]))
        #expect(y.shape == [2, 3])
        #expect(y.copyScalars() == [3.5, -1, 2, 2.5, 0, 5])
        // Leading batch axes pass through.
        #expect(layer(Tensor(zeros: [2, 5, 2])).shape == [2, 5, 3])
    }

    @Test func parametersAreNamedInOrderAndWritable() throws {
        var model = mlp()
        #expect(model.parameters.map(\.name) == ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"])
        #expect(model.parameters.map(\.value.shape) == [[4, 3], [4], [2, 4], [2]])
        #expect(model.parameterCount == 12 + 4 + 8 + 2)
        var g = SeededGenerator(seed: 0)
        #expect(Sequential([ReLU(), Linear(inputs: 1, outputs: 1, generator: &g)]).parameters.map(\.name) == ["1.weight", "1.bias"])
        try model.setParameter("fc2.bias", to: Tensor([7, 8]))
        #expect(model.namedParameters["fc2.bias"]?.copyScalars() == [7, 8])
        #expect(model.namedParameters["fc2.bias"]?.requiresGrad == true)
        #expect(throws: EngineError.unknownParameter("fc3.bias")) { try model.setParameter("fc3.bias", to: Tensor([1])) }
        #expect(throws: EngineError.self) { try model.setParameter("fc2.bias", to: Tensor([1, 2, 3])) }
        // A checkpoint round trip: values from one model loaded into another.
        var other = mlp(seed: 99)
        #expect(other.namedParameters["fc1.weight"] != model.namedParameters["fc1.weight"])
        try other.loadParameters(model.namedParameters)
        #expect(other.namedParameters == model.namedParameters)
        var partial = model.namedParameters
        partial["fc1.bias"] = nil
        #expect(throws: EngineError.missingParameter("fc1.bias")) { try other.loadParameters(partial) }
        partial["fc1.bias"] = Tensor(zeros: [4]); partial["extra"] = Tensor(1)
        #expect(throws: EngineError.unknownParameter("extra")) { try other.loadParameters(partial) }
    }

    @Test func backwardFillsEveryParameterGradientAndZeroGradClearsThem() throws {
        var model = mlp()
        let loss = try meanSquaredError(model(Tensor(rows: [[1, 2, 3]])), Tensor(rows: [[0, 1]]))
        loss.backward()
        #expect(model.parameters.allSatisfy { $0.value.grad?.shape == $0.value.shape })
        model.zeroGrad()
        #expect(model.parameters.allSatisfy { $0.value.grad == nil })
    }

    @Test func layerGradientsMatchFiniteDifferences() {
        let model = mlp()
        let x = randomInput([5, 3], seed: 30)
        let names = model.parameters.map(\.name)
        let report = GradientChecker.check(model.parameters + [("input", x)]) { values in
            var m = model
            var i = 0
            m.visitParameters { _, p in p = values[i]; i += 1 }
            return m(values[names.count]).sigmoid()
        }
        #expect(report.passed, "\(report)")
        #expect(report.summaries.map(\.name) == names + ["input"])
    }

    @Test func activationLayersApplyTheirFunction() {
        let x = Tensor(rows: [[-1, 2]])
        #expect(ReLU()(x).copyScalars() == [0, 2])
        #expect(LeakyReLU(slope: 0.5)(x).copyScalars() == [-0.5, 2])
        #expect(Sigmoid()(x) == x.sigmoid() && Tanh()(x) == x.tanh() && Softplus()(x) == x.softplus())
        #expect(Softmax()(x) == x.softmax() && LogSoftmax()(x) == x.logSoftmax())
        #expect(Flatten()(Tensor(zeros: [2, 3, 4])).shape == [2, 12])
    }

    @Test func initializersHaveTheirDocumentedSpread() {
        var g = SeededGenerator(seed: 4)
        let xu = Initializer.xavierUniform.make([200, 100], fanIn: 100, fanOut: 200, generator: &g)
        let bound = Float((6.0 / 300).squareRoot())
        #expect(xu.copyScalars().allSatisfy { Swift.abs($0) <= bound })
        #expect(xu.abs().max(alongAxis: 0).max(alongAxis: 0).item > bound * 0.95)
        func std(_ t: Tensor) -> Float { t.flattened().variance(alongAxis: 0).item.squareRoot() }
        #expect(Swift.abs(std(Initializer.kaimingNormal.make([200, 100], fanIn: 100, fanOut: 200, generator: &g)) - Float((2.0 / 100).squareRoot())) < 0.005)
        #expect(Swift.abs(std(Initializer.xavierNormal.make([200, 100], fanIn: 100, fanOut: 200, generator: &g)) - Float((2.0 / 300).squareRoot())) < 0.005)
        let ku = Initializer.kaimingUniform.make([200, 100], fanIn: 100, fanOut: 200, generator: &g)
        #expect(Swift.abs(std(ku) - Float((6.0 / 100).squareRoot() / 3.0.squareRoot())) < 0.005)  // uniform std = bound/sqrt(3)
        #expect(Initializer.constant(0.5).make([2], fanIn: 1, fanOut: 1, generator: &g).copyScalars() == [0.5, 0.5])
        // Seeded: the same seed builds the same network.
        #expect(mlp(seed: 3).namedParameters == mlp(seed: 3).namedParameters)
    }

    /// A physics-informed loss: the residual of du/dx = cos(x) for a small tanh net u(x). The
    /// loss contains a derivative of the network's output with respect to its input, so training
    /// it needs second derivatives; its parameter gradients must still match finite differences.
    @Test func lossContainingInputDerivativeHasCorrectParameterGradients() {
        let model = mlp().layers.prefix(2).map(\.layer) + [Linear(weight: Tensor(rows: [[0.5, -0.3, 0.8, 0.1]]), bias: Tensor([0.2]))]
        let net = Sequential(model)
        let xs = Tensor(shape: [6, 3], scalars: (0..<18).map { Float($0) / 9 - 1 })
        let report = GradientChecker.check(net.parameters) { values in
            var m = net
            var i = 0
            m.visitParameters { _, p in p = values[i]; i += 1 }
            let x = xs.requiringGrad()
            let u = m(x)
            let dudx = gradients(of: u.sum(), wrt: [x], createGraph: true)[0]
            let residual = dudx.slice(alongAxis: 1, 0..<1) - xs.slice(alongAxis: 1, 0..<1).cos()
            return residual.squared().mean() + u.squared().mean()
        }
        #expect(report.passed, "\(report)")
    }
}
