import Course
import MLEngine

/// A tree in a checkpoint's metadata: its learning rate and one array of numbers per node.
/// JSON numbers are doubles, so weights, sums and gains come back bit for bit.
enum TreeCoding {
    static func json(_ tree: DecisionTree) -> JSONValue {
        .object([
            "lr": StateCoding.json(tree.learningRate),
            "nodes": .array(tree.nodes.map { n in
                .array([Double(n.feature), Double(n.bin), Double(n.threshold), Double(n.left), Double(n.right), n.gain, n.weight,
                        n.gradient, n.hessian, Double(n.rows), Double(n.depth)].map(StateCoding.json))
            }),
        ])
    }

    static func tree(from value: JSONValue, lab: String) throws -> DecisionTree {
        let bad = LabStateError.badMetadata(lab: lab, key: "trees", problem: "each tree must be {lr, nodes: [[11 numbers]]}")
        guard let lr = value["lr"].flatMap(StateCoding.double(from:)), let list = value["nodes"]?.array, !list.isEmpty else { throw bad }
        let nodes = try list.map { item -> DecisionTree.Node in
            guard let f = item.array?.compactMap(StateCoding.double(from:)), f.count == 11 else { throw bad }
            func whole(_ x: Double) throws -> Int {
                guard let n = StateCoding.int(x, in: -1...1_000_000) else { throw bad }
                return n
            }
            return DecisionTree.Node(feature: try whole(f[0]), bin: try whole(f[1]), threshold: Float(f[2]), left: try whole(f[3]),
                                     right: try whole(f[4]), gain: f[5], weight: f[6], gradient: f[7], hessian: f[8],
                                     rows: try whole(f[9]), depth: try whole(f[10]))
        }
        // Children must point forward inside the list, so walking the tree always ends at a leaf.
        for (i, n) in nodes.enumerated() where !n.isLeaf {
            guard n.left > i, n.right > i, n.left < nodes.count, n.right < nodes.count else { throw bad }
        }
        return DecisionTree(nodes: nodes, learningRate: lr)
    }

    /// Whether every split of `tree` names a feature and bin that `bins` has.
    static func fits(_ tree: DecisionTree, bins: FeatureBins) -> Bool {
        tree.nodes.allSatisfy { $0.isLeaf || ($0.feature < bins.featureCount && $0.bin < bins.binCount($0.feature) - 1) }
    }
}
