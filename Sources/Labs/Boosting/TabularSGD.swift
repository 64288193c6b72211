import MLEngine

/// The map's regression row "linear regression (SGD)": the same line as `TabularLinear` (every
/// feature of the patients table, standardised with the training rows' mean and SD), found the
/// way a network is trained instead of solved: minibatch SGD on the mean squared error.
///
/// It starts where the trees start, at the mean risk with every weight 0, so the two models'
/// curves share their first point. Each step draws `batch` training rows with replacement and
/// moves every weight by `-lr x` the batch's gradient of `(prediction - y)^2 / 2`. With
/// standardised inputs one learning rate suits every weight; a constant rate leaves the line
/// jittering a little around the least-squares answer, which is what the lesson shows.
/// All arithmetic is in Double in one fixed order, so a run is the same on every machine.
struct TabularSGD {
    /// Minibatch steps per lab step, and rows per minibatch.
    static let minibatchesPerStep = 4
    static let batch = 32
    /// Lab steps in a run: 300 x 4 x 32 = 38,400 rows drawn, about 19 passes over the 2,000 training rows.
    static let steps = 300

    let scalings: [InputScaling]
    /// Standardised training rows [rows x width], row-major, and their targets (risk in %).
    private let train: [Double]
    private let targets: [Double]
    var weights: [Double]
    var intercept: Double
    var sampler: BatchSampler

    var width: Int { scalings.count }

    init(data: PatientData, generator: inout SeededGenerator) {
        let width = data.trainFeatures.shape[1], columns = data.trainFeatures.copyScalars()
        scalings = (0..<width).map { f in
            InputScaling.standardizing(stride(from: f, to: columns.count, by: width).map { Double(columns[$0]) })
        }
        train = Self.standardised(columns, scalings)
        targets = data.labels(.regress, test: false)
        weights = [Double](repeating: 0, count: width)
        intercept = targets.reduce(0, +) / Double(max(targets.count, 1))
        sampler = BatchSampler(generator: generator.split())
    }

    private static func standardised(_ values: [Float], _ scalings: [InputScaling]) -> [Double] {
        let width = scalings.count
        return values.indices.map { scalings[$0 % width].apply(Double(values[$0])) }
    }

    /// One minibatch step; returns the batch's mean squared error before the step (in %^2).
    mutating func step(learningRate: Double) -> Double {
        let rows = sampler.indices(size: Self.batch, from: targets.count)
        let width = self.width
        var gradient = [Double](repeating: 0, count: width)
        var interceptGradient = 0.0, squared = 0.0
        train.withUnsafeBufferPointer { x in
            weights.withUnsafeBufferPointer { w in
                gradient.withUnsafeMutableBufferPointer { g in
                    for r in rows {
                        let base = r * width
                        var prediction = intercept
                        for c in 0..<width { prediction += w[c] * x[base + c] }
                        let error = prediction - targets[r]
                        squared += error * error
                        interceptGradient += error
                        for c in 0..<width { g[c] += error * x[base + c] }
                    }
                }
            }
        }
        let scale = learningRate / Double(rows.count)
        for c in 0..<width { weights[c] -= scale * gradient[c] }
        intercept -= scale * interceptGradient
        return squared / Double(rows.count)
    }

    /// Predicted risk in % of every row of raw `features` [rows, width].
    func scores(_ features: Tensor) -> [Double] {
        let x = Self.standardised(features.copyScalars(), scalings), width = self.width
        return (0..<features.shape[0]).map { r in
            var s = intercept
            for c in 0..<width { s += weights[c] * x[r * width + c] }
            return s
        }
    }
}
