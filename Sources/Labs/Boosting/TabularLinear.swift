import MLEngine

/// The map's conceptual regression row: ordinary least squares of the 10-year risk (in %) on
/// every feature of the patients table, standardised with the training rows' mean and SD.
///
/// Solved in closed form by the engine's `LeastSquares` (normal equations, Cholesky in Double):
/// with 12 standardised features the 12 x 12 Gram matrix is small and well conditioned, so the
/// normal equations lose nothing that QR would keep, and the answer is the same on every machine
/// and every run: a checkpoint need not store it, a restore fits it again. Standardising does not
/// change OLS's predictions (the intercept absorbs the shift, each weight the scale); it makes
/// the weights comparable: each is the change in risk, in %, for one SD of its feature.
struct TabularLinear: Equatable {
    /// Per feature: the training mean and SD it is standardised with.
    let scalings: [InputScaling]
    /// Weights per SD of each feature, and the intercept (the mean risk, since inputs are centred).
    let fit: LeastSquares

    init(features: Tensor, targets: [Double]) throws {
        let width = features.shape[1], columns = features.copyScalars()
        scalings = (0..<width).map { f in
            InputScaling.standardizing(stride(from: f, to: columns.count, by: width).map { Double(columns[$0]) })
        }
        fit = try LeastSquares.fit(features: Self.standardised(features, scalings), targets: Tensor(targets.map(Float.init)))
    }

    init(data: PatientData) throws {
        try self.init(features: data.trainFeatures, targets: data.labels(.regress, test: false))
    }

    private static func standardised(_ x: Tensor, _ scalings: [InputScaling]) -> Tensor {
        let values = x.copyScalars(), width = scalings.count
        return Tensor(shape: x.shape, scalars: values.indices.map { Float(scalings[$0 % width].apply(Double(values[$0]))) })
    }

    /// Predicted risk in % of every row of raw `features` [rows, 12], summed in Double.
    func scores(_ features: Tensor) -> [Double] {
        let values = features.copyScalars(), width = scalings.count
        return (0..<features.shape[0]).map { r in
            var s = fit.intercept
            for c in 0..<width { s += fit.weights[c] * scalings[c].apply(Double(values[r * width + c])) }
            return s
        }
    }
}
