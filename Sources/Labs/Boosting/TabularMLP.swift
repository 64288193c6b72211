import MLEngine

/// The comparison the boosting lesson makes: an MLP on the same patients table, two hidden
/// layers of 64 ReLU units, AdamW at lr 0.001, batches of 64, inputs standardised, 2,000 steps.
///
/// Regression targets are standardised too (risk in percent spans 0-60), and its predictions
/// turned back into percent, so its squared error is in the same units as the trees'.
struct TabularMLP {
    static let steps = 2000
    static let batch = 64
    static let learningRate = 0.001

    var model: Sequential
    var optimizer: any Optimizer
    var sampler: BatchSampler
    let task: BoostingTask
    /// Standardised inputs [rows, 12] of both splits.
    let train: Tensor, test: Tensor
    /// The targets as the network fits them (standardised risk, or 0/1 events).
    let trainTargets: [Float]
    let targetScale: InputScaling

    init(data: PatientData, task: BoostingTask, generator: inout SeededGenerator) {
        self.task = task
        let width = data.trainFeatures.shape[1]
        let columns = data.trainFeatures.copyScalars()
        let scalings = (0..<width).map { f in
            InputScaling.standardizing(stride(from: f, to: columns.count, by: width).map { Double(columns[$0]) })
        }
        func standardised(_ x: Tensor) -> Tensor {
            let values = x.copyScalars()
            return Tensor(shape: x.shape, scalars: values.indices.map { Float(scalings[$0 % width].apply(Double(values[$0]))) })
        }
        train = standardised(data.trainFeatures)
        test = standardised(data.testFeatures)
        let labels = data.labels(task, test: false)
        let scale = task == .regress ? InputScaling.standardizing(labels) : InputScaling(centre: 0, unit: 1)
        targetScale = scale
        trainTargets = labels.map { Float(scale.apply($0)) }
        sampler = BatchSampler(generator: generator.split())
        model = MLPBuilder.make(inputs: width, hidden: 64, layers: 2, outputs: 1, activation: .relu, generator: &generator)
        optimizer = OptimizerKind.adamw.make(learningRate: Self.learningRate)
    }

    /// One minibatch step; returns its loss in the task's units (log-loss, or squared error in %^2).
    mutating func step() throws -> Double {
        let rows = sampler.indices(size: Self.batch, from: trainTargets.count)
        let x = train.gathering(rows, alongAxis: 0)
        let y = Tensor(shape: [rows.count, 1], scalars: rows.map { trainTargets[$0] })
        model.zeroGrad()
        let out = model(x)
        let loss = task == .classify ? try binaryCrossEntropy(logits: out, targets: y) : try meanSquaredError(out, y)
        loss.backward()
        optimizer.step(&model)
        let value = Double(loss.item)
        return task == .classify ? value : value * targetScale.unit * targetScale.unit
    }

    /// Raw scores of every row of `inputs`: log-odds, or risk in percent (as boosting's scores).
    func scores(_ inputs: Tensor) -> [Double] {
        let out = withNoGrad { model(inputs) }.copyScalars()
        return out.map { task == .regress ? Double($0) * targetScale.unit + targetScale.centre : Double($0) }
    }
}
