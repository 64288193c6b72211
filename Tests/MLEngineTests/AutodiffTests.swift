import Foundation
import Testing
@testable import MLEngine

@Suite struct AutodiffTests {
    @Test func backwardGivesHandDerivedGradients() {
        // y = sum(w * x + b); dy/dw = x, dy/db = number of elements.
        let w = Tensor([2, -1]).requiringGrad(), b = Tensor(0.5).requiringGrad()
        let x = Tensor([3, 4])
        (w * x + b).sum().backward()
        #expect(w.grad?.copyScalars() == [3, 4])
        #expect(b.grad?.copyScalars() == [2])
        #expect(x.grad == nil)  // inputs that do not require grad get none computed
    }

    @Test func gradientsAccumulateUntilZeroed() {
        let w = Tensor([1, 2]).requiringGrad()
        (w * w).sum().backward()
        (w * 3).sum().backward()
        #expect(w.grad?.copyScalars() == [2 + 3, 4 + 3])
        w.zeroGrad()
        #expect(w.grad == nil)
        (w * 3).sum().backward()
        #expect(w.grad?.copyScalars() == [3, 3])
    }

    @Test func noGradScopeRecordsNothing() {
        let w = Tensor([1, 2]).requiringGrad()
        let y = withNoGrad { (w * 2).sum() }
        #expect(!y.requiresGrad)
        #expect(GradMode.isEnabled)
        #expect((w * 2).requiresGrad)
    }

    @Test func secondBackwardThroughFreedGraphIsRefusedButRetainedGraphWorks() {
        let w = Tensor([1, 2]).requiringGrad()
        let loss = (w * w).sum()
        loss.backward(retainGraph: true)
        loss.backward()
        #expect(w.grad?.copyScalars() == [4, 8])
    }

    @Test func checkerRejectsADeliberatelyWrongGradient() {
        // x^2 whose backward claims 3x instead of 2x.
        func wrongSquare(_ x: Tensor) -> Tensor {
            Tensor.differentiable(x.detached() * x.detached(), op: "wrong-square", inputs: [x]) { g in [g * x * 3] }
        }
        let x = randomInput([4], seed: 3, gap: 0.2)
        let bad = GradientChecker.check([("x", x)]) { wrongSquare($0[0]) }
        #expect(!bad.passed)
        #expect(bad.failures.count == 4)
        #expect(bad.summaries.first?.maxRelativeError ?? 0 > 0.3)  // 3x vs 2x: relative error 1/3
        #expect(bad.description.contains("NO"))
        let good = GradientChecker.check([("x", x)]) { $0[0] * $0[0] }
        #expect(good.passed)
        #expect(good.description.contains("yes"))
    }

    @Test func secondDerivativeOfSineIsMinusSine() {
        let values: [Float] = [-2, -0.5, 0.3, 1.2, 2.5]
        let x = Tensor(values).requiringGrad()
        let dy = gradients(of: x.sin().sum(), wrt: [x], createGraph: true)[0]
        expectClose(dy.copyScalars(), values.map { Foundation.cos($0) })
        #expect(dy.requiresGrad)
        let d2y = gradients(of: dy.sum(), wrt: [x])[0]
        expectClose(d2y.copyScalars(), values.map { -Foundation.sin($0) })
    }

    @Test func secondDerivativesOfExpTanhSigmoidSoftmax() {
        // d/dx of a gradient: checked against finite differences of the first derivative.
        let x = randomInput([2, 3], seed: 40)
        for f in [{ (t: Tensor) in t.exp() }, { $0.tanh() }, { $0.sigmoid() }, { $0.softmax() }, { $0.logSoftmax() },
                  { $0.sqrt() }, { $0.pow(3) }] as [(Tensor) -> Tensor] {
            let positive = x.abs() + 0.5
            expectGradientsMatch([positive]) { args in
                // In the backprop pass args[0] already requires grad; in the finite-difference
                // passes it is plain, and the inner derivative needs a leaf to differentiate.
                let leaf = args[0].requiresGrad ? args[0] : args[0].requiringGrad()
                let w = Tensor(shape: [2, 3], scalars: [0.3, -1, 0.7, 1.1, 0.2, -0.4])
                return gradients(of: (f(leaf) * w).sum(), wrt: [leaf], createGraph: true)[0]
            }
        }
    }

    @Test func deepGraphDoesNotOverflowTheStack() {
        var y = Tensor([1]).requiringGrad()
        let x = y
        for _ in 0..<20_000 { y = y * 1.0001 }
        y.sum().backward()
        #expect(Swift.abs(x.grad!.item - Foundation.pow(1.0001, 20_000)) < 0.01)
    }
}
