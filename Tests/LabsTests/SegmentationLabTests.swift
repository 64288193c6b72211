import CardioSim
import Course
import MLEngine
import Testing
@testable import Labs

/// `unet-ecg`, `window-cnn` and `swin-unet` on a few short recordings (debug builds are slow); the default
/// runs' promises (Dice >= 0.85, skips off blurring the boundaries, ...) are checked in release by
/// `.ci/promises/ch7-unet-pinn.sh`.
@Suite struct SegmentationLabTests {
    /// 8 training and 12 test recordings of 1 s (250 samples), the recipe's other settings.
    static let small: SegmentationData = {
        var config = SegmentationConfig()
        (config.trainCount, config.testCount, config.durationSeconds) = (8, 12, 1)
        return SegmentationData(dataset: try! SegmentationDataset.generate(config, seed: 44))
    }()

    func lab(_ kind: ECGSegmentationLab.Kind = .unet, seed: UInt64 = 3, width: Int = 4) -> ECGSegmentationLab {
        ECGSegmentationLab(kind, seed: seed, data: Self.small, width: width)
    }

    @Test func scoresArePooledAndBoundariesMeasuredInMilliseconds() {
        var s = SegmentationScores()
        // Truth: a P wave on samples 2-4; the net puts it on 3-5 and invents a T on 8-9.
        s.add(predicted: [0, 0, 0, 1, 1, 1, 0, 0, 3, 3], truth: [0, 0, 1, 1, 1, 0, 0, 0, 0, 0], samplingRate: 250)
        #expect(s.dice(1) == 2.0 * 2 / (3 + 3))
        #expect(s.dice(3) == 0)                                    // predicted but absent: overlap 0
        #expect(s.dice(2) == 1)                                    // absent from both
        #expect(s.accuracy == 0.6)
        #expect(s.boundaryErrorMilliseconds == 4)                  // onset and offset each 1 sample (4 ms) late
        #expect(s.spuriousWaves == 1)
        // A recording without P adds to the sizes only: the pooled P Dice stays defined.
        s.add(predicted: [0, 0, 0, 0], truth: [0, 0, 0, 0], samplingRate: 250)
        #expect(s.dice(1) == 2.0 * 2 / (3 + 3))
        // A missed wave costs the cap, 100 ms per boundary.
        var missed = SegmentationScores()
        missed.add(predicted: [0, 0, 0, 0], truth: [0, 2, 2, 0], samplingRate: 250)
        #expect(missed.boundaryErrorMilliseconds == 100)
    }

    @Test func allBackgroundScoresDiceZeroWithAccuracyEqualToTheBackgroundShare() throws {
        let data = Self.small
        var s = SegmentationScores()
        for row in 0..<data.testCount {
            s.add(predicted: Array(repeating: 0, count: data.length), truth: data.testLabels(row), samplingRate: data.samplingRate)
        }
        #expect(s.meanDice == 0 && s.dice(1) == 0 && s.dice(2) == 0 && s.dice(3) == 0)
        #expect(s.accuracy == data.backgroundShare)
        #expect(data.backgroundShare > 0.5 && data.backgroundShare < 0.8, "background share \(data.backgroundShare)")
    }

    @Test func theUNetKeepsTheLengthAndNamesItsParts() {
        var g = SeededGenerator(seed: 1)
        for skips in [true, false] {
            let net = UNet(depth: 3, width: 4, classes: 4, length: 1000, skips: skips, generator: &g)
            let (logits, bottleneck) = net.run(Tensor(zeros: [2, 1, 1000]))
            #expect(logits.shape == [2, 4, 1000])
            #expect(bottleneck.shape == [2, 16, 125])
            #expect(net.parameters.first?.name == "enc0.conv1.weight")
            // With skips the decoder's first convolution reads twice the channels.
            #expect(net.namedParameters["dec2.conv1.weight"]?.shape == [4, skips ? 8 : 4, 5])
        }
        // Odd lengths come back whole through the output padding: 500 -> 250 -> 125 -> 62 -> 31 -> ... -> 500.
        let odd = UNet(depth: 4, width: 2, classes: 4, length: 500, skips: true, generator: &g)
        #expect(odd.run(Tensor(zeros: [1, 1, 500])).logits.shape == [1, 4, 500])
        let window = WindowCNN(window: 64, width: 3, classes: 4, generator: &g)
        #expect(window.run(Tensor(zeros: [1, 1, 500])).logits.shape == [1, 4, 500])
        #expect(window.first.kernelSize + window.second.kernelSize - 1 == 64)
    }

    @Test func bothLabsLearnAndMeasureTheTestSet() throws {
        for (kind, settings) in [(ECGSegmentationLab.Kind.unet, ["depth": HyperValue.number(2)]), (.window, ["window": .number(32)]),
                                 (.swin, ["depth": .number(1), "width": .number(8), "attention_window": .number(4), "lr": .number(0.004)])] {
            var lab = lab(kind)
            try lab.applyAndReset(settings, seed: 3)
            try lab.stepMany(20)
            let losses = lab.metrics.values("train_loss")
            let early = losses.prefix(3).reduce(0, +) / 3, late = losses.suffix(3).reduce(0, +) / 3
            #expect(late < early * 0.9, "\(kind): loss \(early) -> \(late)")
            #expect(lab.metrics.values("test_step") == [1])      // 12 test recordings: 2 steps of 10
            #expect(lab.metrics.latest("test_dice").map { (0...1).contains($0) } == true)
            #expect(lab.panelIDs.allSatisfy { lab.panel($0) != nil })
        }
    }

    @Test func aRestoredCheckpointContinuesBitForBitMidEvaluation() throws {
        func fresh() throws -> ECGSegmentationLab {
            var lab = lab(seed: 11)
            try lab.applyAndReset(["skips": .choice("off"), "loss": .choice("dice"), "depth": .number(2), "lr": .number(0.002)], seed: 11)
            return lab
        }
        var straight = try fresh()
        try straight.stepMany(4)
        var first = try fresh()
        try first.stepMany(1)                          // the first evaluation is 10 of 12 recordings done
        let saved = first.snapshot()
        var resumed = lab(seed: 99, width: 8)          // other seed and size: everything comes from the state
        try resumed.restore(saved)
        #expect(resumed.parameters[named: "skips"]?.value == .choice("off"))
        try resumed.stepMany(3)
        #expect(statesAgree(resumed.snapshot(), straight.snapshot()))
        #expect(resumed.metrics == straight.metrics)
        #expect(resumed.metrics.values("test_step") == [1])
    }

    @Test func theSwinUNetKeepsTheLengthWhateverThePaddingAndNamesItsParts() {
        var g = SeededGenerator(seed: 2)
        let net = SwinUNet(depth: 2, width: 8, window: 4, classes: 4, shifted: true, generator: &g)
        // 1,000 samples are padded to 1,024 (whole windows of 4 tokens of 4 samples at 64 tokens)
        // and cut back: 256 tokens, 128, then 64 at the bottleneck with 32 features.
        let (logits, bottleneck) = net.run(Tensor(zeros: [2, 1, 1000]))
        #expect(logits.shape == [2, 4, 1000])
        #expect(bottleneck.shape == [2, 32, 64])
        #expect(net.namedParameters["dec1.block1.attention.bias"]?.shape == [1, 7])
        #expect(net.encoders[0][1].attention.shifted && !net.encoders[0][0].attention.shifted)
        let plain = SwinUNet(depth: 1, width: 8, window: 4, classes: 4, shifted: false, generator: &g)
        #expect(plain.encoders.allSatisfy { $0.allSatisfy { !$0.attention.shifted } })
        #expect(plain.run(Tensor(zeros: [1, 1, 250])).logits.shape == [1, 4, 250])
    }

    @Test func theSwinUNetsCheckpointContinuesBitForBitWithShiftOff() throws {
        func fresh() throws -> ECGSegmentationLab {
            var lab = lab(.swin, seed: 5)
            try lab.applyAndReset(["shift": .choice("off"), "depth": .number(1), "attention_window": .number(4)], seed: 5)
            return lab
        }
        var straight = try fresh()
        try straight.stepMany(3)
        var first = try fresh()
        try first.stepMany(1)
        var resumed = lab(.swin, seed: 8, width: 8)
        try resumed.restore(first.snapshot())
        #expect(resumed.parameters[named: "shift"]?.value == .choice("off"))
        #expect(resumed.currentRunName == "shift off, window 4 width 4 depth 1")
        try resumed.stepMany(2)
        #expect(statesAgree(resumed.snapshot(), straight.snapshot()))
        #expect(resumed.metrics == straight.metrics)
    }

    @Test func settingsOutOfRangeAreRefused() throws {
        var lab = lab()
        for (name, value) in [("depth", 0.0), ("depth", 5), ("width", 2), ("width", 64), ("lr", 0), ("lr", 1)] {
            #expect(throws: HyperparameterError.self, "\(name)=\(value)") { try lab.set(name, to: .number(value)) }
        }
        #expect(throws: HyperparameterError.self) { try lab.set("loss", to: .choice("mse")) }
        #expect(throws: HyperparameterError.self) { try lab.set("skips", to: .choice("sometimes")) }
        #expect(throws: HyperparameterError.self) { try lab.set("window", to: .number(64)) }   // window-cnn's, not the U-Net's
        #expect(throws: LabStateError.self) { try lab.restore(LabState(labID: "window-cnn")) }
        var swin = self.lab(.swin)
        for (name, value) in [("depth", 0.0), ("depth", 4), ("attention_window", 2), ("attention_window", 32), ("width", 64)] {
            #expect(throws: HyperparameterError.self, "\(name)=\(value)") { try swin.set(name, to: .number(value)) }
        }
        #expect(throws: HyperparameterError.self) { try swin.set("shift", to: .choice("half")) }
        #expect(throws: HyperparameterError.self) { try swin.set("skips", to: .choice("off")) }      // the U-Net's, not the Swin-UNet's
    }
}
