import MLEngine
import TextPlot

/// What the attention-map panels of `attention-ends` draw: for one recording, each head's
/// weights (query x key, every row summing to 1), gathered by beat so that a terminal panel
/// shows all of them: row r is beat r asking (the mean of the rows of its patches, so it still
/// sums to 1), column c is beat c being looked at (the weights of its patches added up).
///
/// A head that has learned the task shows bright columns under the first and the last beat:
/// whichever beat is asking, it looks at the two ends.
struct AttentionMaps: Sendable {
    /// [layer][head] -> beats x beats, row-major.
    var maps: [[[Double]]]
    var beats: Int
    var tokensPerBeat: Int
    /// The step whose model drew them.
    var step: Int

    /// From every layer's weights `[1, heads, T, T]` for one recording of `beats` beats.
    init(weights: [Tensor], beats: Int, step: Int) {
        let tokens = weights.first?.shape.last ?? beats
        let perBeat = max(1, tokens / beats)
        self.beats = beats
        tokensPerBeat = perBeat
        self.step = step
        maps = weights.map { layer in
            let heads = layer.shape[1]
            return layer.withUnsafeScalars { w in
                (0..<heads).map { h in
                    var out = [Double](repeating: 0, count: beats * beats)
                    let base = h * tokens * tokens
                    for q in 0..<min(tokens, beats * perBeat) {
                        let row = (q / perBeat) * beats
                        for k in 0..<min(tokens, beats * perBeat) { out[row + k / perBeat] += Double(w[base + q * tokens + k]) }
                    }
                    return out.map { $0 / Double(perBeat) }
                }
            }
        }
    }

    var layers: Int { maps.count }
    func heads(inLayer layer: Int) -> Int { maps[layer].count }

    /// The share of a row's weight that lands on the first and the last beat, averaged over the
    /// rows: 2/8 = 0.25 for attention spread evenly, towards 1 for a head that watches the ends.
    func endsShare(layer: Int, head: Int) -> Double {
        let map = maps[layer][head]
        return (0..<beats).map { map[$0 * beats] + map[$0 * beats + beats - 1] }.reduce(0, +) / Double(beats)
    }

    /// The heatmap of one head, on a colour scale shared by all heads of its layer.
    func heatmap(layer: Int, head: Int) -> HeatmapSpec {
        let top = maps[layer].flatMap { $0 }.max() ?? 1
        let labels = (1...beats).map { String($0) }
        return HeatmapSpec(rows: beats, columns: beats, values: maps[layer][head], palette: .sequential,
                           range: 0...max(top, 1e-6), rowLabels: labels, columnLabels: labels)
    }
}
