import Foundation
import Testing
@testable import MLEngine

@Suite struct TensorTests {
    @Test func creation() {
        #expect(Tensor(zeros: [2, 3]).copyScalars() == [Float](repeating: 0, count: 6))
        #expect(Tensor(ones: [2]).copyScalars() == [1, 1])
        #expect(Tensor(filled: 7, shape: [1, 2]).copyScalars() == [7, 7])
        #expect(Tensor(3).shape == [] && Tensor(3).item == 3)
        #expect(Tensor(shape: [0, 4], scalars: []).count == 0 && Tensor([]).shape == [0])
        #expect(Tensor(zeros: [0, 3]).sum(alongAxis: 0).copyScalars() == [0, 0, 0])
        let m = Tensor(rows: [[1, 2, 3], [4, 5, 6]])
        #expect(m.shape == [2, 3] && m.rank == 2 && m.count == 6 && m[1, 2] == 6)
        var g1 = SeededGenerator(seed: 5), g2 = SeededGenerator(seed: 5)
        let u = Tensor.uniform([100], low: -2, high: 3, generator: &g1)
        #expect(u == Tensor.uniform([100], low: -2, high: 3, generator: &g2))
        #expect(u.copyScalars().allSatisfy { $0 >= -2 && $0 < 3 })
        let n = Tensor.normal([4000], mean: 1, std: 2, generator: &g1)
        let mean = n.mean().item, std = n.variance(alongAxis: 0).item.squareRoot()
        #expect(Swift.abs(mean - 1) < 0.1 && Swift.abs(std - 2) < 0.1)
    }

    @Test func copyOnWriteKeepsValueSemantics() {
        let a = Tensor([1, 2, 3])
        var b = a
        #expect(a.storage === b.storage)       // shared until written
        b.withUnsafeMutableScalars { $0[0] = 10 }
        #expect(a.copyScalars() == [1, 2, 3])
        #expect(b.copyScalars() == [10, 2, 3])
        var c = Tensor([4, 5])
        let before = c.storage.pointer  // an address, not a second reference
        c.withUnsafeMutableScalars { $0[1] = 6 } // unique: written in place, no copy
        #expect(c.storage.pointer == before && c.copyScalars() == [4, 6])
    }

    @Test func broadcastingArithmetic() {
        let m = Tensor(rows: [[1, 2, 3], [4, 5, 6]])
        #expect((m + Tensor([10, 20, 30])).copyScalars() == [11, 22, 33, 14, 25, 36])
        #expect((m * Tensor(shape: [2, 1], scalars: [2, -1])).copyScalars() == [2, 4, 6, -4, -5, -6])
        #expect((Tensor(shape: [2, 1], scalars: [1, 2]) - Tensor([1, 2, 3])).shape == [2, 3])
        #expect((Tensor(shape: [2, 1], scalars: [1, 2]) - Tensor([1, 2, 3])).copyScalars() == [0, -1, -2, 1, 0, -1])
        #expect((m / 2).copyScalars() == [0.5, 1, 1.5, 2, 2.5, 3])
        #expect((1 - Tensor([0.25])).copyScalars() == [0.75])
        #expect((-m).copyScalars().first == -1)
        // A middle axis broadcast takes the general strided path.
        let a = Tensor(shape: [2, 1, 2], scalars: [1, 2, 3, 4]), b = Tensor(shape: [2, 2, 1], scalars: [10, 20, 30, 40])
        #expect((a + b).copyScalars() == [11, 12, 21, 22, 33, 34, 43, 44])
        #expect(maximum(Tensor([1, 5]), Tensor([3, 2])).copyScalars() == [3, 5])
        #expect(minimum(Tensor([1, 5]), Tensor(2)).copyScalars() == [1, 2])
    }

    @Test func unaryMathValues() {
        let x = Tensor([-2, 0.5, 4])
        #expect(x.abs().copyScalars() == [2, 0.5, 4])
        #expect(x.clamped(min: -1, max: 1).copyScalars() == [-1, 0.5, 1])
        #expect(Tensor([4, 9]).sqrt().copyScalars() == [2, 3])
        #expect(Tensor([2, 3]).pow(3).copyScalars() == [8, 27])
        #expect(pow(Tensor(rows: [[2, 3], [4, 5]]), Tensor([2, 0.5])).copyScalars() == [4, 3.0.squareRoot(), 16, 5.0.squareRoot()].map(Float.init))
        expectClose(Tensor([0, 1]).exp().copyScalars(), [1, Float(M_E)])
        expectClose(Tensor([1, Float(M_E)]).log().copyScalars(), [0, 1])
        #expect(x.relu().copyScalars() == [0, 0.5, 4])
        #expect(x.leakyReLU(slope: 0.1).copyScalars() == [-0.2, 0.5, 4])
    }

    @Test func activationsAreStableAtExtremes() {
        let big = Tensor([-1000, 0, 1000])
        #expect(big.sigmoid().copyScalars() == [0, 0.5, 1])
        #expect(big.softplus().copyScalars() == [0, Float(Foundation.log(2.0)), 1000])
        let row = Tensor(rows: [[1000, 1000, 0]])
        expectClose(row.softmax().copyScalars(), [0.5, 0.5, 0])
        let logs = row.logSoftmax().copyScalars()
        expectClose(Array(logs.prefix(2)), [-Float(Foundation.log(2.0)), -Float(Foundation.log(2.0))])
        #expect(logs[2].isFinite && logs[2] < -999)
        expectClose(Tensor([0, Float(Foundation.log(3.0))]).softmax().copyScalars(), [0.25, 0.75])
        expectClose(Tensor([0.5]).tanh().copyScalars(), [Float(Foundation.tanh(0.5))])
    }

    @Test func reductionsAlongAxes() {
        let m = Tensor(rows: [[1, 5, 3], [4, 2, 6]])
        #expect(m.sum().item == 21)
        #expect(m.mean().item == 3.5)
        #expect(m.sum(alongAxis: 0).copyScalars() == [5, 7, 9])
        #expect(m.sum(alongAxis: 1, keepDims: true).shape == [2, 1])
        #expect(m.mean(alongAxis: -1).copyScalars() == [3, 4])
        #expect(m.max(alongAxis: 1).copyScalars() == [5, 6])
        #expect(m.min(alongAxis: 0).copyScalars() == [1, 2, 3])
        #expect(m.argmax(alongAxis: 1).copyScalars() == [1, 2])
        #expect(m.argmax() == 5)
        expectClose(m.variance(alongAxis: 1).copyScalars(), [8.0 / 3, 8.0 / 3])
        #expect(m.sum(toShape: [1, 3]).copyScalars() == [5, 7, 9])
        #expect(Tensor([1, 2]).broadcast(to: [2, 2]).copyScalars() == [1, 2, 1, 2])
    }

    @Test func matmulValues() {
        let a = Tensor(rows: [[1, 2], [3, 4], [5, 6]]), b = Tensor(rows: [[1, 0, 2], [0, 1, 3]])
        #expect(matmul(a, b).copyScalars() == [1, 2, 8, 3, 4, 18, 5, 6, 28])
        #expect(matmul(a, a, transposeA: true).copyScalars() == [35, 44, 44, 56])
        #expect(matmul(a, a, transposeB: true).shape == [3, 3])
        #expect(matmul(b, a, transposeA: true, transposeB: true) == matmul(b.transposed(), a.transposed()))
        let batch = Tensor.stack([a, a * 2])
        #expect(matmul(batch, b).copyScalars() == matmul(a, b).copyScalars() + matmul(a * 2, b).copyScalars())
        #expect(matmul(batch, Tensor.stack([b, b])) == matmul(batch, b))
    }

    @Test func shapeOpsMoveScalarsWhereExpected() {
        let t = Tensor(shape: [2, 3], scalars: [0, 1, 2, 3, 4, 5])
        #expect(t.reshaped([3, -1]).shape == [3, 2])
        #expect(t.transposed().copyScalars() == [0, 3, 1, 4, 2, 5])
        let cube = Tensor(shape: [2, 3, 4], scalars: (0..<24).map(Float.init))
        let p = cube.permuted([2, 0, 1])
        #expect(p.shape == [4, 2, 3] && p[3, 1, 2] == cube[1, 2, 3])
        #expect(t.slice(alongAxis: 1, 1..<3).copyScalars() == [1, 2, 4, 5])
        #expect(t.padded(alongAxis: 0, before: 1, after: 0).copyScalars() == [0, 0, 0, 0, 1, 2, 3, 4, 5])
        #expect(Tensor.concatenate([t, t * 10], alongAxis: 1).copyScalars() == [0, 1, 2, 0, 10, 20, 3, 4, 5, 30, 40, 50])
        #expect(Tensor.stack([Tensor([1, 2]), Tensor([3, 4])], alongAxis: 1).copyScalars() == [1, 3, 2, 4])
        #expect(t.gathering([1, 1, 0]).copyScalars() == [3, 4, 5, 3, 4, 5, 0, 1, 2])
        #expect(Tensor([1, 2, 3]).scatterAdding([2, 0, 2], alongAxis: 0, size: 4).copyScalars() == [2, 0, 4, 0])
        #expect(Tensor.oneHot([2, 0], classes: 3).copyScalars() == [0, 0, 1, 1, 0, 0])
        #expect(t.unsqueezed(at: 0).shape == [1, 2, 3])
    }
}
