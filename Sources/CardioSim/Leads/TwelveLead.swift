import Foundation
import MLEngine

/// A twelve-lead ECG: one heart vector seen from twelve directions.
public struct TwelveLeadECG: Sendable, Equatable {
    public var samplingRate: Double
    /// leads[lead.rawValue][sample], mV.
    public var leads: [[Float]]
    /// Wave labels (the timing is shared by all leads).
    public var labels: [WaveLabel]
    public var region: InjuryRegion
    public var heartRate: Double

    /// Simulates `count` samples with the R peak of the middle of three beats at `rPeakIndex`.
    public static func simulate(region: InjuryRegion, heartRate: Double, count: Int = 250, rPeakIndex: Int = 90,
                                samplingRate: Double = 250, noise: Double = 0, shapeVariation: Double = 0,
                                rng: inout SeededGenerator) -> TwelveLeadECG {
        let timing = RhythmGenerator.schedule(kinds: [.normal, .normal, .normal], indexBeat: 1, heartRate: heartRate,
                                              rrStd: 0.03, variationAmount: 0, rng: &rng)
        let model = ECGModel(samplingRate: samplingRate)
        let start = -Double(rPeakIndex) / samplingRate
        var traces: [ECGTrace] = []
        for axisWaves in HeartVector.axes(injury: region, strength: rng.uniform(0.8, 1.3)) {
            let varied = MorphologyVariation.random(waveCount: axisWaves.count, amount: shapeVariation, rng: &rng).apply(to: axisWaves)
            // ScheduledBeat scales waves given at 60 bpm; rebuild each beat with this axis's waves.
            let beats = timing.map { ScheduledBeat(rTime: $0.rTime, rr: $0.rr, waves: varied) }
            traces.append(model.synthesize(beats: beats, start: start, count: count))
        }
        // Noise enters with the heart vector (before projection), as a source inside the body
        // would, so Einthoven's and Goldberger's identities still hold exactly.
        var axes = traces.map(\.millivolts)
        if noise > 0 {
            for a in axes.indices { for i in axes[a].indices { axes[a][i] += rng.normal(mean: 0, std: noise) } }
        }
        let leads = DowerMatrix.project(x: axes[0], y: axes[1], z: axes[2]).map { $0.map(Float.init) }
        return TwelveLeadECG(samplingRate: samplingRate, leads: leads, labels: traces[0].labels, region: region, heartRate: heartRate)
    }
}

/// Settings of the twelve-lead data set: which ST-elevation regions, how many, cut how.
public struct TwelveLeadConfig: Codable, Sendable, Equatable {
    public var regions: [InjuryRegion]
    public var trainCount: Int
    public var testCount: Int
    public var windowLength: Int
    public var rPeakIndex: Int
    public var samplingRate: Double
    public var heartRateRange: [Double]
    /// mV.
    public var noise: Double
    public var shapeVariation: Double
    /// Edges join leads whose Dower rows have at least this cosine similarity.
    public var graphThreshold: Double

    public init(regions: [InjuryRegion] = InjuryRegion.allCases, trainCount: Int = 800, testCount: Int = 200,
                windowLength: Int = 250, rPeakIndex: Int = 90, samplingRate: Double = 250,
                heartRateRange: [Double] = [60, 90], noise: Double = 0.02, shapeVariation: Double = 0.15,
                graphThreshold: Double = 0.5) {
        self.regions = regions
        self.trainCount = trainCount
        self.testCount = testCount
        self.windowLength = windowLength
        self.rPeakIndex = rPeakIndex
        self.samplingRate = samplingRate
        self.heartRateRange = heartRateRange
        self.noise = noise
        self.shapeVariation = shapeVariation
        self.graphThreshold = graphThreshold
    }
}

/// Twelve-lead beats labelled by the region of ST elevation, with the lead graph: the data of
/// the graph-network lesson.
public struct TwelveLeadDataset: Sendable {
    /// [count, 12, windowLength] mV.
    public var trainSignals: Tensor
    public var trainLabels: [Int]
    public var testSignals: Tensor
    public var testLabels: [Int]
    public var regions: [InjuryRegion]
    public var graph: LeadGraph

    public static func generate(_ config: TwelveLeadConfig, seed: UInt64) throws -> TwelveLeadDataset {
        guard !config.regions.isEmpty, config.heartRateRange.count == 2,
              config.heartRateRange[0] <= config.heartRateRange[1], config.windowLength > 0 else {
            throw CardioSimError.invalidParameter("twelve-lead: regions non-empty, heartRateRange [low, high], windowLength > 0")
        }
        func make(_ count: Int, _ stream: UInt64) -> (Tensor, [Int]) {
            var scalars: [Float] = []
            scalars.reserveCapacity(count * 12 * config.windowLength)
            var labels: [Int] = []
            for i in 0..<count {
                var rng = SeededGenerator(seed: SeedMixing.derive(seed, stream, UInt64(i)))
                let label = i % config.regions.count
                let ecg = TwelveLeadECG.simulate(region: config.regions[label],
                                                 heartRate: rng.uniform(config.heartRateRange[0], config.heartRateRange[1] + 1e-12),
                                                 count: config.windowLength, rPeakIndex: config.rPeakIndex,
                                                 samplingRate: config.samplingRate, noise: config.noise,
                                                 shapeVariation: config.shapeVariation, rng: &rng)
                scalars += ecg.leads.flatMap { $0 }
                labels.append(label)
            }
            return (Tensor(shape: [count, 12, config.windowLength], scalars: scalars), labels)
        }
        let (trainSignals, trainLabels) = make(config.trainCount, 1)
        let (testSignals, testLabels) = make(config.testCount, 2)
        return TwelveLeadDataset(trainSignals: trainSignals, trainLabels: trainLabels, testSignals: testSignals,
                                 testLabels: testLabels, regions: config.regions,
                                 graph: LeadGraph.fromGeometry(threshold: config.graphThreshold))
    }
}
