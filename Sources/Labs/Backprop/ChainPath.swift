import Foundation
import MLEngine

/// One path of the chain rule walked by hand, with numbers: from the loss back to the first
/// hidden weight w1 = hidden.weight[0, 0] (input 1 -> hidden unit 1).
///
///     z = w1 x1 + w2 x2 + b      h = tanh(z)      y = v . h + c      L = mean over n of (y - t)^2
///
///     dL/dw1 = sum over examples of  dL/dy x dy/dh x dh/dz x dz/dw1
///
/// Computed here in Double, straight from the weights, without autodiff: an independent walk
/// whose sum must equal the backprop row of the check table. When the network is miswired the
/// walk uses the same wrong dh/dz as its backward pass (and says so), so it still reproduces
/// the backprop row, and the numeric column shows what the true gradient is.
public struct ChainPath: Sendable, Equatable {
    /// The four factors for one example.
    public struct Link: Sendable, Equatable {
        /// dL/dy = 2 (y - t) / n.
        public var lossToOutput: Double
        /// dy/dh = the output weight of hidden unit 1.
        public var outputToHidden: Double
        /// dh/dz = 1 - h^2 for tanh (or what a miswired backward uses instead).
        public var hiddenToSum: Double
        /// dz/dw1 = x1.
        public var sumToWeight: Double
        /// The product of the four.
        public var product: Double { lossToOutput * outputToHidden * hiddenToSum * sumToWeight }
    }

    /// One per example.
    public var links: [Link]
    /// Whether dh/dz is the miswired slope h^2 - 1 rather than the true 1 - h^2.
    public var miswired: Bool

    /// The gradient along this path: the sum of the per-example products.
    public var total: Double { links.reduce(0) { $0 + $1.product } }

    /// Walks the path for `network` on `inputs` ([n, 2]) and `targets` ([n, 1]). With
    /// `followBackward` the dh/dz factor is the one the network's backward pass really uses
    /// (the wrong one when it is miswired), so the total matches the backprop column.
    public init(network: GradcheckNetwork, inputs: Tensor, targets: Tensor, followBackward: Bool = true) {
        let w = network.hidden.weight.copyScalars().map(Double.init)          // [3, 2] row-major
        let b = network.hidden.bias.map { $0.copyScalars().map(Double.init) } ?? [0, 0, 0]
        let v = network.output.weight.copyScalars().map(Double.init)          // [1, 3]
        let c = network.output.bias.map { Double($0.scalar(at: 0)) } ?? 0
        let x = inputs.copyScalars().map(Double.init), t = targets.copyScalars().map(Double.init)
        let n = t.count, inputs = GradcheckNetwork.inputCount, units = GradcheckNetwork.hiddenCount
        miswired = followBackward && network.miswired
        var links: [Link] = []
        for e in 0..<n {
            var h = [Double](repeating: 0, count: units)
            for j in 0..<units {
                var z = b[j]
                for i in 0..<inputs { z += w[j * inputs + i] * x[e * inputs + i] }
                h[j] = Foundation.tanh(z)
            }
            var y = c
            for j in 0..<units { y += v[j] * h[j] }
            let slope = miswired ? MiswiredTanh.backwardSlope(outputValue: h[0]) : 1 - h[0] * h[0]
            links.append(Link(lossToOutput: 2 * (y - t[e]) / Double(n), outputToHidden: v[0],
                              hiddenToSum: slope, sumToWeight: x[e * inputs]))
        }
        self.links = links
    }
}
