/// Losses for continuous targets. Both average over every scalar.

/// Mean squared error: mean((prediction - target)^2). Big misses cost quadratically more.
public func meanSquaredError(_ predictions: Tensor, _ targets: Tensor) throws -> Tensor {
    try requireSameShape(predictions, targets, "meanSquaredError")
    return (predictions - targets).squared().mean()
}

/// Mean absolute error: mean(|prediction - target|). Every unit of miss costs the same,
/// so outliers pull less than under MSE.
public func meanAbsoluteError(_ predictions: Tensor, _ targets: Tensor) throws -> Tensor {
    try requireSameShape(predictions, targets, "meanAbsoluteError")
    return (predictions - targets).abs().mean()
}

func requireSameShape(_ a: Tensor, _ b: Tensor, _ what: String) throws {
    guard a.shape == b.shape else {
        throw EngineError.shapeMismatch("\(what): predictions \(a.shape) vs targets \(b.shape)")
    }
}
