/// The recipes compiled into the program, so every lab works even where the Datasets folder is
/// missing. Datasets/NAME.json documents each one and, when present, overrides it; a test checks
/// that the files and these agree.
public enum BuiltInRecipes {
    public static let all: [Recipe] = [
        Recipe(name: "beats", description: "Single-lead beats in five balanced classes, 1 s windows at 250 Hz with the R peak at sample 90 (+-2 samples of jitter).",
               seed: 42, parameters: .beats(BeatDatasetConfig())),
        Recipe(name: "beats-imbalanced", description: "The beats of 'beats', 98% normal in training: the focal-loss lesson's data. The test set holds 150 beats of each rare class, so their recall is measured, not guessed from a handful.",
               seed: 43, parameters: .beats(BeatDatasetConfig(classFractions: [0.98, 0.005, 0.005, 0.005, 0.005],
                                                              trainCount: 5000, testCount: 1200,
                                                              testClassFractions: [0.5, 0.125, 0.125, 0.125, 0.125]))),
        Recipe(name: "beats-shifted", description: "The test beats of 'beats' moved 30 samples later: the MLP's time-shift failure.",
               seed: 42, parameters: .beats(BeatDatasetConfig(testShiftSamples: 30))),
        Recipe(name: "beats-hard", description: "The five classes with every beat moved by up to 40 samples either way (random, training and test alike), stronger noise (0.03-0.1 mV) and baseline wander up to 0.3 mV; 1,000 training and 1,000 test beats. Chapter 10's shared classification task: an MLP on raw samples has to learn each class at every position, patches and attention need not.",
               seed: 53, parameters: .beats(BeatDatasetConfig(trainCount: 1000, testCount: 1000,
                                                              beat: BeatOptions(jitterSamples: 40, noiseRange: [0.03, 0.1], wanderMaximum: 0.3)))),
        Recipe(name: "segmentation", description: "4 s single-lead recordings with a P/QRS/T/background label per sample, for U-Net.",
               seed: 44, parameters: .segmentation(SegmentationConfig())),
        Recipe(name: "segmentation-noisy", description: "The segmentation recordings with more noise (0.04-0.15 mV), baseline wander up to 0.3 mV and wave shapes varying by 30%: boundaries are harder to place. The U-Net lessons' data.",
               seed: 44, parameters: .segmentation(SegmentationConfig(noiseRange: [0.04, 0.15], wanderMaximum: 0.3, shapeVariation: 0.3))),
        Recipe(name: "twelve-lead", description: "Twelve-lead beats labelled by the region of ST elevation (none, inferior, anterior, lateral), and the lead graph.",
               seed: 45, parameters: .twelveLead(TwelveLeadConfig())),
        Recipe(name: "patients", description: "Tabular patients with a 10-year risk flat until about 55 and steep after, and an event outcome.",
               seed: 46, parameters: .patients(PatientTableConfig())),
        Recipe(name: "risk-line", description: "Risk linear in age plus noise: the first regression lab.",
               seed: 47, parameters: .riskCurve(RiskCurveConfig(shape: "line"))),
        Recipe(name: "risk-bend", description: "Risk flat until 55, then rising steeply: the curve a straight line misses.",
               seed: 48, parameters: .riskCurve(RiskCurveConfig(shape: "bend", intercept: 2, slope: 0.05, slopeAfterBend: 1.5))),
        Recipe(name: "windkessel", description: "Aortic pressure from the two-element Windkessel over 3 beats (2.4 s), with 12 noisy measurements taken in the first 1.2 s only, for the physics-informed lesson.",
               seed: 49, parameters: .windkessel(WindkesselConfig(beats: 3, measurementWindow: 0...1.2))),
        Recipe(name: "windkessel-3", description: "The same with the three-element Windkessel (characteristic impedance 0.05 mmHg s/mL).",
               seed: 50, parameters: .windkessel(WindkesselConfig(elements: 3))),
        Recipe(name: "dosing-trajectories", description: "Recorded expert and random courses of the dosing environment, for the Decision Transformer.",
               seed: 51, parameters: .dosingTrajectories(DosingTrajectoryConfig())),
        Recipe(name: "long-range", description: "8-beat recordings (2,000 samples at 250 Hz) labelled by whether the first and the last beat have the same class; half each, middle beats independent of the label. The CNN's window limit (chapter 4) and the transformer's fix (chapter 6).",
               seed: 52, parameters: .longRange(LongRangeConfig())),
    ]

    public static func recipe(named name: String) -> Recipe? { all.first { $0.name == name } }
}
