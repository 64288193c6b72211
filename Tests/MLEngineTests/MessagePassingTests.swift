import Testing
@testable import MLEngine

/// Message passing: aggregation by hand on a small graph, gradients against central
/// differences, and the same answer under any numbering of the nodes.
@Suite struct MessagePassingTests {
    /// A path 0 - 1 - 2 plus a leaf 3 on node 1: node 1 has three neighbours, the others one.
    let graph = GraphNeighbours(nodes: 4, edges: [(0, 1), (1, 2), (1, 3)])

    @Test func aggregationsMatchTheHandComputation() {
        // One graph, one feature per node: states 1, 2, 6, -3.
        let states = Tensor(shape: [1, 4, 1], scalars: [1, 2, 6, -3])
        // Node 1's neighbours are 0, 2, 3 (1 + 6 - 3 = 4); the others see node 1 (2).
        #expect(graph.aggregate(states, .sum).copyScalars() == [2, 4, 2, 2])
        #expect(graph.aggregate(states, .mean).copyScalars() == [2, 4.0 / 3, 2, 2])
        #expect(graph.aggregate(states, .max).copyScalars() == [2, 6, 2, 2])
        #expect(graph.width == 3)
    }

    @Test func gradientsMatchCentralDifferences() {
        // States kept apart by 0.1 so no max is tied inside the finite-difference step.
        let states = Tensor(shape: [2, 4, 3], scalars: (0..<24).map { Float(($0 * 7) % 24) * 0.1 - 1.2 })
        for how in NeighbourAggregation.allCases {
            expectGradientsMatch([states]) { (graph.aggregate($0[0], how) * graph.aggregate($0[0], how)).sum() }
        }
        var g = SeededGenerator(seed: 5)
        let layer = MessagePassing(features: 3, outputs: 2, graph: graph, aggregation: .mean, generator: &g)
        let input = randomInput([2, 4, 3], seed: 6)
        expectGradientsMatch([input, layer.update.weight, layer.message.weight]) { x in
            var l = layer
            l.update.weight = x[1]
            l.message.weight = x[2]
            return (GraphReadout(.sum)(l(x[0])) * Tensor([1, -2])).sum()
        }
    }

    @Test func renumberingNodesAndGraphTogetherRenumbersTheOutput() {
        var g = SeededGenerator(seed: 8)
        let permutation = [2, 0, 3, 1]
        let input = randomInput([2, 4, 3], seed: 9)
        // Node i's features moved to row permutation[i].
        var inverse = [Int](repeating: 0, count: 4)
        for (i, p) in permutation.enumerated() { inverse[p] = i }
        let moved = input.gathering(inverse, alongAxis: 1)
        for how in NeighbourAggregation.allCases {
            let layer = MessagePassing(features: 3, outputs: 5, graph: graph, aggregation: how, generator: &g)
            var relabelled = layer
            relabelled.graph = graph.relabelled(permutation)
            let out = layer(input), outMoved = relabelled(moved)
            expectClose(outMoved.copyScalars(), out.gathering(inverse, alongAxis: 1).copyScalars(), tolerance: 1e-6)
            expectClose(GraphReadout()(outMoved).copyScalars(), GraphReadout()(out).copyScalars(), tolerance: 1e-6)
        }
    }
}
