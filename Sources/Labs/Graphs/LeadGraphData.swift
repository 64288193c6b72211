import CardioSim
import MLEngine

/// The "twelve-lead" recipe as `gnn-leads` reads it: beats [N, 12 leads, samples] labelled by the
/// region of ST elevation, the lead graph, and the fixed renumbering `relabel=on` applies.
struct LeadGraphData: Sendable {
    let train: Tensor, test: Tensor
    let trainLabels: [Int], testLabels: [Int]
    let classNames: [String]
    let graph: GraphNeighbours
    let samples: Int

    static let leadNames = Lead.allCases.map(\.name)

    /// Lead i becomes node `relabelling[i]`: i -> (5 i + 3) mod 12, a renumbering with no
    /// lead left in place that scatters each region's leads (II, III, aVF become nodes 8, 1, 4).
    static let relabelling = (0..<12).map { ($0 * 5 + 3) % 12 }

    static let shared: LeadGraphData = {
        let data = (try? TwelveLeadDataset.load(named: "twelve-lead"))
            ?? BuiltInRecipes.all.first { $0.name == "twelve-lead" }.flatMap { recipe -> TwelveLeadDataset? in
                guard case .twelveLead(let config) = recipe.parameters else { return nil }
                return try? TwelveLeadDataset.generate(config, seed: recipe.seed)
            }
        // The built-in recipe's settings always validate, so the defaults here cannot fail either.
        // swiftlint:disable:next force_try
        return LeadGraphData(data ?? (try! TwelveLeadDataset.generate(TwelveLeadConfig(), seed: 45)))
    }()

    init(_ data: TwelveLeadDataset) {
        train = data.trainSignals
        test = data.testSignals
        trainLabels = data.trainLabels
        testLabels = data.testLabels
        classNames = data.regions.map(\.rawValue)
        graph = GraphNeighbours(nodes: 12, edges: data.graph.edges)
        samples = data.trainSignals.shape[2]
    }

    /// Beats with lead i moved to node `relabelling[i]`.
    static func relabelled(_ beats: Tensor) -> Tensor {
        var inverse = [Int](repeating: 0, count: 12)
        for (i, p) in relabelling.enumerated() { inverse[p] = i }
        return beats.gathering(inverse, alongAxis: 1)
    }
}
