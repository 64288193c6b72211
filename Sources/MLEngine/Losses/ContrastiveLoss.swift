/// NT-Xent, SimCLR's contrastive loss (normalised temperature-scaled cross-entropy).
///
/// `embeddings` is [2N, d]: rows i and i + N are the two augmented views of input i. Each row
/// is scaled to unit length, so a dot product is a cosine similarity in [-1, 1]; each row's
/// similarities to the 2N - 1 other rows, divided by `temperature`, are the logits of a
/// classification whose right answer is its partner view. The loss is that cross-entropy,
/// averaged over all 2N rows. A row is never compared with itself (its logit is pushed to a
/// very large negative number, so its softmax weight is 0).
///
/// A small temperature (0.1-0.5) sharpens the softmax, so the nearest wrong views dominate
/// the push apart.
public func ntXentLoss(_ embeddings: Tensor, temperature: Float) throws -> Tensor {
    guard embeddings.rank == 2, embeddings.shape[0] >= 2, embeddings.shape[0] % 2 == 0 else {
        throw EngineError.shapeMismatch("ntXentLoss wants [2N, features] with N >= 1, got \(embeddings.shape)")
    }
    guard temperature > 0, temperature.isFinite else {
        throw EngineError.invalidArgument("ntXentLoss temperature must be positive, got \(temperature)")
    }
    let rows = embeddings.shape[0], half = rows / 2
    let lengths = (embeddings.squared().sum(alongAxis: 1, keepDims: true) + 1e-12).sqrt()
    let unit = embeddings / lengths
    let similarities = matmul(unit, unit, transposeB: true) / temperature
    let selfMask = Tensor(shape: [rows, rows], scalars: (0..<(rows * rows)).map { $0 / rows == $0 % rows ? -1e9 : 0 })
    let partners = (0..<rows).map { ($0 + half) % rows }
    return try crossEntropy(logits: similarities + selfMask, labels: partners)
}
