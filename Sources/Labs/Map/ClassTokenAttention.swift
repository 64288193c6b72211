import MLEngine
import TextPlot

/// Where the class token looks: for one beat, the last encoder layer's attention row of the
/// class token, one per head. Entry 0 is the class token looking at itself, entries 1...P the
/// patches in order along the beat; each row sums to 1 (a softmax).
///
/// The last layer is the one whose class-token output the head reads, so these weights say
/// which patches the answer was gathered from: on a beat moved 30 samples later, a head that
/// watches the QRS complex moves its bright patch along with it.
struct ClassTokenAttention: Sendable, Equatable {
    /// [head][1 + patches].
    var rows: [[Double]]
    /// Samples per patch, to place each patch on the beat.
    var patchSize: Int
    /// The step whose model drew them.
    var step: Int

    /// From each layer's weights `[1, heads, 1 + P, 1 + P]` for one beat (the last layer is read).
    init(weights: [Tensor], patchSize: Int, step: Int) {
        self.patchSize = patchSize
        self.step = step
        guard let last = weights.last else { rows = []; return }
        let heads = last.shape[1], tokens = last.shape[3]
        rows = last.withUnsafeScalars { w in
            (0..<heads).map { h in (0..<tokens).map { Double(w[h * tokens * tokens + $0]) } }
        }
    }

    var heads: Int { rows.count }
    var patches: Int { max((rows.first?.count ?? 1) - 1, 0) }

    /// Head `head`'s weights on the patches only (the class token's look at itself left out).
    func onPatches(head: Int) -> [Double] { Array(rows[head].dropFirst()) }

    /// The patch (0-based) head `head` weighs most.
    func brightestPatch(head: Int) -> Int {
        let weights = onPatches(head: head)
        return weights.indices.max { weights[$0] < weights[$1] } ?? 0
    }

    /// Heads as rows and the beat's samples as columns, each sample coloured by its patch's
    /// weight, on one shared scale: a column per sample (rather than per patch) makes the
    /// widget stretch the rows to the panel's full width, so they line up with the beat drawn
    /// above them.
    func heatmap() -> HeatmapSpec {
        let values = (0..<heads).flatMap { head in onPatches(head: head).flatMap { Array(repeating: $0, count: patchSize) } }
        let top = values.max() ?? 1
        return HeatmapSpec(rows: heads, columns: patches * patchSize, values: values, palette: .sequential,
                           range: 0...max(top, 1e-6), rowLabels: (1...max(heads, 1)).prefix(heads).map { "h\($0)" },
                           showColorBar: false)
    }
}
