/// How a node combines its neighbours' states. All three ignore the order of the neighbours,
/// which is what makes a graph network's answer independent of how the nodes are numbered.
public enum NeighbourAggregation: String, CaseIterable, Sendable {
    case sum
    case mean
    case max
}

/// Who is next to whom, in the form message passing reads: each node's neighbour list padded to
/// the largest degree, with a mask that is 1 on real neighbours and 0 on padding.
public struct GraphNeighbours: Sendable, Equatable {
    public let nodes: Int
    public let neighbours: [[Int]]
    /// Largest number of neighbours of any node.
    public let width: Int
    /// [nodes * width] neighbour indices; padding repeats the node's first neighbour (harmless
    /// under max, and zeroed by the mask under sum and mean).
    let paddedIndices: [Int]
    /// [nodes, width, 1]: 1 for a real neighbour, 0 for padding.
    let mask: Tensor
    /// [nodes, 1]: 1 / degree, for the mean.
    let inverseDegree: Tensor

    /// - Precondition: every node has at least one neighbour, all indices are in 0..<nodes.
    public init(neighbours: [[Int]]) {
        nodes = neighbours.count
        precondition(neighbours.allSatisfy { !$0.isEmpty && $0.allSatisfy { (0..<neighbours.count).contains($0) } },
                     "every node needs at least one neighbour inside the graph")
        self.neighbours = neighbours
        width = neighbours.map(\.count).max() ?? 1
        let width = self.width
        paddedIndices = neighbours.flatMap { list in list + Array(repeating: list[0], count: width - list.count) }
        mask = Tensor(shape: [nodes, width, 1], scalars: neighbours.flatMap { list in
            (0..<width).map { $0 < list.count ? Float(1) : 0 }
        })
        inverseDegree = Tensor(shape: [nodes, 1], scalars: neighbours.map { 1 / Float($0.count) })
    }

    /// Undirected edges (a, b) between `nodes` nodes.
    public init(nodes: Int, edges: [(Int, Int)]) {
        var lists = [[Int]](repeating: [], count: nodes)
        for (a, b) in edges { lists[a].append(b); lists[b].append(a) }
        self.init(neighbours: lists.map { $0.sorted() })
    }

    /// The same graph with node `i` renamed `permutation[i]`.
    public func relabelled(_ permutation: [Int]) -> GraphNeighbours {
        var lists = [[Int]](repeating: [], count: nodes)
        for (i, list) in neighbours.enumerated() { lists[permutation[i]] = list.map { permutation[$0] }.sorted() }
        return GraphNeighbours(neighbours: lists)
    }

    /// Every node's neighbours' states combined: [batch, nodes, features] in, the same shape
    /// out. Built from differentiable ops (gather, mask, reduce), so gradients flow back to
    /// every neighbour that contributed.
    public func aggregate(_ states: Tensor, _ how: NeighbourAggregation) -> Tensor {
        precondition(states.rank == 3 && states.shape[1] == nodes, "aggregate expects [batch, \(nodes), features], got \(states.shape)")
        let (batch, features) = (states.shape[0], states.shape[2])
        let gathered = states.gathering(paddedIndices, alongAxis: 1).reshaped([batch, nodes, width, features])
        switch how {
        case .max: return gathered.max(alongAxis: 2)
        case .sum: return (gathered * mask).sum(alongAxis: 2)
        case .mean: return (gathered * mask).sum(alongAxis: 2) * inverseDegree
        }
    }
}

/// One round of message passing: every node gathers its neighbours' states, aggregates them
/// (sum, mean or max) and updates its own state with a small learned function of both,
///
///     h_i' = ReLU(W_self h_i + W_neighbours aggregate_{j next to i}(h_j) + b).
///
/// The same weights serve every node, so the layer works on any numbering of the nodes: renumber
/// the input's nodes and the graph alike, and the output is renumbered the same way.
public struct MessagePassing: Layer {
    public var update: Linear
    public var message: Linear
    public var graph: GraphNeighbours
    public var aggregation: NeighbourAggregation

    public init(features: Int, outputs: Int, graph: GraphNeighbours, aggregation: NeighbourAggregation,
                generator: inout SeededGenerator) {
        update = Linear(inputs: features, outputs: outputs, generator: &generator)
        message = Linear(inputs: features, outputs: outputs, bias: false, generator: &generator)
        self.graph = graph
        self.aggregation = aggregation
    }

    /// [batch, nodes, features] -> [batch, nodes, outputs].
    public func forward(_ input: Tensor) -> Tensor {
        (update(input) + message(graph.aggregate(input, aggregation))).relu()
    }

    public mutating func visitParameters(_ visit: (String, inout Tensor) throws -> Void) rethrows {
        try update.visitParameters { name, p in try visit("update.\(name)", &p) }
        try message.visitParameters { name, p in try visit("message.\(name)", &p) }
    }
}

/// A whole graph summarised as one vector: the mean (or sum) of its nodes' states, an
/// order-free readout like the aggregation itself. [batch, nodes, features] -> [batch, features].
public struct GraphReadout: Layer {
    public enum Kind: String, Sendable { case mean, sum }
    public var kind: Kind

    public init(_ kind: Kind = .mean) { self.kind = kind }

    public func forward(_ input: Tensor) -> Tensor {
        kind == .mean ? input.mean(alongAxis: 1) : input.sum(alongAxis: 1)
    }
}
