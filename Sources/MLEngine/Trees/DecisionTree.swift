/// One regression tree of a boosted model: a flowchart of "feature < threshold?" questions whose
/// leaves hold Newton-step weights.
///
/// Nodes are stored in the order they were made (node 0 the root). Every node keeps the sums
/// it was built from (G, H, row count), so a lesson can show the arithmetic behind any split
/// or leaf: the weight `-G/(H+lambda)` and, for a split, the gain.
public struct DecisionTree: Sendable, Equatable {
    public struct Node: Sendable, Equatable {
        /// The feature asked about, or -1 for a leaf.
        public var feature: Int
        /// Rows with `feature` in bins `0...bin`, that is `value < threshold`, go to `left`.
        public var bin: Int
        public var threshold: Float
        public var left: Int
        public var right: Int
        /// The gain of this node's split (0 for a leaf).
        public var gain: Double
        /// Newton weight `-G/(H+lambda)`: the leaf's output (before the learning rate), or what
        /// the node would output had it stayed a leaf.
        public var weight: Double
        public var gradient: Double
        public var hessian: Double
        public var rows: Int
        public var depth: Int

        public var isLeaf: Bool { feature < 0 }

        public init(feature: Int, bin: Int, threshold: Float, left: Int, right: Int, gain: Double, weight: Double,
                    gradient: Double, hessian: Double, rows: Int, depth: Int) {
            (self.feature, self.bin, self.threshold, self.left, self.right) = (feature, bin, threshold, left, right)
            (self.gain, self.weight, self.gradient, self.hessian, self.rows, self.depth) = (gain, weight, gradient, hessian, rows, depth)
        }
    }

    public var nodes: [Node]
    /// The learning rate the tree was added with: the model adds `learningRate * weight`.
    public var learningRate: Double

    public init(nodes: [Node], learningRate: Double) {
        self.nodes = nodes
        self.learningRate = learningRate
    }

    /// The leaf a row of raw feature values (`row[f]` for feature f) falls in.
    public func leaf(_ value: (Int) -> Float) -> Int {
        var i = 0
        while !nodes[i].isLeaf { i = value(nodes[i].feature) < nodes[i].threshold ? nodes[i].left : nodes[i].right }
        return i
    }

    /// The leaf a binned row falls in.
    @inline(__always)
    func leaf(binnedRow bins: UnsafeBufferPointer<UInt8>, at base: Int) -> Int {
        var i = 0
        while !nodes[i].isLeaf { i = Int(bins[base + nodes[i].feature]) <= nodes[i].bin ? nodes[i].left : nodes[i].right }
        return i
    }

    /// What the tree adds to the score of a row that lands in `leaf`.
    @inline(__always)
    public func output(leaf: Int) -> Double { learningRate * nodes[leaf].weight }

    public var leafCount: Int { nodes.filter(\.isLeaf).count }
    public var depth: Int { nodes.map(\.depth).max() ?? 0 }

    /// Grows a tree level by level, as deep as `maxDepth`, on the rows' gradients and hessians.
    ///
    /// Each node takes the best split of its histogram (`SplitRules`) and hands its rows to two
    /// children, keeping their order; a node with no useful split, or at `maxDepth`, becomes a
    /// leaf with the Newton weight. Of two children, only the smaller sums its histogram row by
    /// row; the other is the parent's minus it (`GradientHistogram.sibling`). Everything runs
    /// in one fixed order, so the same inputs grow the same tree bit for bit.
    public static func grow(binned: BinnedMatrix, bins: FeatureBins, gradient: [Double], hessian: [Double],
                            rules: SplitRules, maxDepth: Int, learningRate: Double) -> DecisionTree {
        growWithLeaves(binned: binned, bins: bins, gradient: gradient, hessian: hessian, rules: rules,
                       maxDepth: maxDepth, learningRate: learningRate).tree
    }

    /// `grow`, also returning the leaf each training row ended in (what boosting adds to the
    /// training scores, without walking the tree again for every row).
    static func growWithLeaves(binned: BinnedMatrix, bins: FeatureBins, gradient: [Double], hessian: [Double],
                               rules: SplitRules, maxDepth: Int, learningRate: Double) -> (tree: DecisionTree, leafOfRow: [Int]) {
        var rows = Array(0..<binned.rows)
        var nodes: [Node] = []
        // Nodes waiting to be split, each with its slice of `rows` and, once known, its histogram.
        var pending: [(node: Int, range: Range<Int>, histogram: GradientHistogram?)] = []
        let widest = (0..<bins.featureCount).map(bins.binCount).max() ?? 1

        func makeNode(_ range: Range<Int>, g: Double, h: Double, depth: Int) -> Int {
            nodes.append(Node(feature: -1, bin: 0, threshold: 0, left: -1, right: -1, gain: 0,
                              weight: rules.leafWeight(gradient: g, hessian: h), gradient: g, hessian: h,
                              rows: range.count, depth: depth))
            pending.append((nodes.count - 1, range, nil))
            return nodes.count - 1
        }
        func histogram(of range: Range<Int>) -> GradientHistogram {
            GradientHistogram(binned: binned, rows: rows[range], gradient: gradient, hessian: hessian, binsPerFeature: widest)
        }
        /// A node that will look for a split: at least two rows, above the depth limit.
        func willSplit(_ node: Int) -> Bool { nodes[node].depth < maxDepth && nodes[node].rows >= 2 }

        var (rootG, rootH) = (0.0, 0.0)
        for r in rows { rootG += gradient[r]; rootH += hessian[r] }
        _ = makeNode(0..<rows.count, g: rootG, h: rootH, depth: 0)

        var next = 0
        while next < pending.count {
            let (index, range, known) = pending[next]
            pending[next].histogram = nil
            next += 1
            guard willSplit(index) else { continue }
            let parentHistogram = known ?? histogram(of: range)
            guard let split = rules.bestSplit(parentHistogram, bins: bins) else { continue }
            // Stable partition: left rows first, each side in its old order.
            let width = binned.features
            var left: [Int] = [], right: [Int] = []
            for r in rows[range] {
                if Int(binned.bins[r * width + split.feature]) <= split.bin { left.append(r) } else { right.append(r) }
            }
            rows.replaceSubrange(range, with: left + right)
            let middle = range.lowerBound + left.count
            let depth = nodes[index].depth + 1
            let l = makeNode(range.lowerBound..<middle, g: split.leftGradient, h: split.leftHessian, depth: depth)
            let r = makeNode(middle..<range.upperBound, g: split.rightGradient, h: split.rightHessian, depth: depth)
            if willSplit(l) || willSplit(r) {
                let (small, large) = left.count <= right.count ? (l, r) : (r, l)
                let smallHistogram = histogram(of: pending[pending.count - (small == l ? 2 : 1)].range)
                pending[pending.count - (small == l ? 2 : 1)].histogram = smallHistogram
                pending[pending.count - (large == l ? 2 : 1)].histogram = smallHistogram.sibling(inParent: parentHistogram)
            }
            nodes[index].feature = split.feature
            nodes[index].bin = split.bin
            nodes[index].threshold = bins.edges[split.feature][split.bin]
            nodes[index].left = l
            nodes[index].right = r
            nodes[index].gain = split.gain
        }
        // Every node's rows are a contiguous slice of `rows`, children inside their parent's; a
        // leaf's slice is never split again, so it names exactly the rows that end there.
        var leafOfRow = [Int](repeating: 0, count: binned.rows)
        for (node, range, _) in pending where nodes[node].isLeaf {
            for position in range { leafOfRow[rows[position]] = node }
        }
        return (DecisionTree(nodes: nodes, learningRate: learningRate), leafOfRow)
    }
}
