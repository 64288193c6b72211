import MLEngine

/// One training step of `unet-ecg`'s network on a fixed batch of random signals and labels, for
/// `mlcourse bench` (`unet_step_ms`): forward, Dice + cross-entropy, backward and an Adam update,
/// exactly as the lab's `step()` does them.
public struct UNetTrainingStep {
    private var model: UNet
    private var optimizer = Adam(learningRate: 0.003)
    private let inputs: Tensor
    private let labels: [Int]

    /// A U-Net with `depth` levels, `width` channels at the first (doubling each level down),
    /// kernel 5, skips on, 4 classes, and a batch of seeded random signals of `length` samples.
    public init(depth: Int, width: Int, batch: Int, length: Int, generator: inout SeededGenerator) {
        model = UNet(depth: depth, width: width, classes: 4, length: length, skips: true, generator: &generator)
        inputs = Tensor.normal([batch, 1, length], generator: &generator)
        labels = (0..<(batch * length)).map { _ in generator.int(below: 4) }
    }

    public mutating func run() {
        model.zeroGrad()
        // Labels are in range by construction, so the loss cannot throw here.
        let loss = try! diceCrossEntropy(logits: model(inputs), labels: labels)
        loss.backward()
        optimizer.step(&model)
    }
}
