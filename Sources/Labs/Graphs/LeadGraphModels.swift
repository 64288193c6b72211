import MLEngine

/// The two models `gnn-leads` compares.
///
/// GNN: each lead's beat (250 samples) is encoded into a state by one Linear + ReLU shared by
/// all leads; `rounds` rounds of message passing over the lead graph follow; the mean of the
/// nodes' states (the readout) goes through one Linear to the four region scores. No weight
/// belongs to a particular lead, so renumbering the leads (and the graph with them) changes
/// nothing but the order of the sums.
///
/// MLP: the 12 beats concatenated in node order (3,000 numbers), one hidden layer, the scores.
/// Its first layer's weights do belong to positions: renumber the leads and it reads nonsense.
struct LeadGraphNetwork: Layer {
    var encoder: Linear?
    var rounds: [MessagePassing]
    var mlp: Sequential?
    var head: Linear

    static let hidden = 32

    init(gnnRounds: Int, aggregation: NeighbourAggregation, samples: Int, classes: Int, graph: GraphNeighbours,
         generator: inout SeededGenerator) {
        encoder = Linear(inputs: samples, outputs: Self.hidden, generator: &generator)
        rounds = (0..<gnnRounds).map { _ in
            MessagePassing(features: Self.hidden, outputs: Self.hidden, graph: graph, aggregation: aggregation, generator: &generator)
        }
        mlp = nil
        head = Linear(inputs: Self.hidden, outputs: classes, initializer: .xavierUniform, generator: &generator)
    }

    init(mlpInputs: Int, classes: Int, generator: inout SeededGenerator) {
        encoder = nil
        rounds = []
        mlp = MLPBuilder.make(inputs: mlpInputs, hidden: 64, layers: 1, outputs: 64, activation: .relu, generator: &generator)
        head = Linear(inputs: 64, outputs: classes, initializer: .xavierUniform, generator: &generator)
    }

    var isGNN: Bool { encoder != nil }

    /// The same network on a renumbered graph (the GNN's messages follow the new numbering).
    func on(_ graph: GraphNeighbours) -> LeadGraphNetwork {
        var copy = self
        for i in copy.rounds.indices { copy.rounds[i].graph = graph }
        return copy
    }

    /// Node states after the encoder (round 0) and after each round: [batch, 12, hidden] each.
    func nodeStates(_ beats: Tensor) -> [Tensor] {
        guard let encoder else { return [] }
        var states = [encoder(beats).relu()]
        for round in rounds { states.append(round(states.last!)) }
        return states
    }

    /// [batch, 12, samples] -> [batch, classes].
    func forward(_ beats: Tensor) -> Tensor {
        if let mlp { return head(mlp(beats.reshaped([beats.shape[0], beats.shape[1] * beats.shape[2]])).relu()) }
        return head(GraphReadout(.mean)(nodeStates(beats).last!))
    }

    mutating func visitParameters(_ visit: (String, inout Tensor) throws -> Void) rethrows {
        if encoder != nil { try encoder!.visitParameters { name, p in try visit("encoder.\(name)", &p) } }
        for i in rounds.indices { try rounds[i].visitParameters { name, p in try visit("round\(i + 1).\(name)", &p) } }
        if mlp != nil { try mlp!.visitParameters { name, p in try visit("mlp.\(name)", &p) } }
        try head.visitParameters { name, p in try visit("head.\(name)", &p) }
    }
}
