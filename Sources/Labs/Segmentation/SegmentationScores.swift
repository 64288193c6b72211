/// How well a labelling of ECG samples matches the truth, pooled over a whole test set.
///
/// Classes are WaveLabel raw values: 0 background, 1 P, 2 QRS, 3 T.
///
/// - Dice per wave: 2 x overlap / (predicted size + true size), each a sum over *all* test
///   recordings, so a recording without a P wave (atrial fibrillation) adds to the sizes but
///   never divides by zero on its own.
/// - Boundary error: for every true onset and offset of a wave, how far (ms) the nearest
///   predicted onset (or offset) of the same wave is, capped at 100 ms; a wave with no prediction
///   near counts 100 ms. Spurious waves: predicted waves that overlap no true wave of their class.
struct SegmentationScores: Equatable {
    static let waves = [1, 2, 3]
    static let capMilliseconds = 100.0

    var overlap = [Int](repeating: 0, count: 4)
    var predictedSize = [Int](repeating: 0, count: 4)
    var trueSize = [Int](repeating: 0, count: 4)
    var correct = 0
    var samples = 0
    var boundaryErrorSum = 0.0
    var boundaries = 0
    var spuriousWaves = 0

    /// Dice of class k (1 when the class is absent from both, nothing to miss).
    func dice(_ k: Int) -> Double {
        let total = predictedSize[k] + trueSize[k]
        return total == 0 ? 1 : 2 * Double(overlap[k]) / Double(total)
    }

    var meanDice: Double { Self.waves.map(dice).reduce(0, +) / Double(Self.waves.count) }
    var accuracy: Double { samples == 0 ? 0 : Double(correct) / Double(samples) }
    var boundaryErrorMilliseconds: Double { boundaries == 0 ? 0 : boundaryErrorSum / Double(boundaries) }

    /// Adds one recording's predicted and true labels (same length) at `samplingRate` Hz.
    mutating func add(predicted: [Int], truth: [Int], samplingRate: Double) {
        precondition(predicted.count == truth.count)
        for (p, t) in zip(predicted, truth) {
            predictedSize[p] += 1
            trueSize[t] += 1
            if p == t { overlap[p] += 1; correct += 1 }
        }
        samples += truth.count
        let msPerSample = 1000 / samplingRate
        let trueRuns = Self.waveRuns(truth), predictedRuns = Self.waveRuns(predicted)
        for k in Self.waves {
            let mine = trueRuns.filter { $0.label == k }, theirs = predictedRuns.filter { $0.label == k }
            let onsets = theirs.map(\.start), offsets = theirs.map(\.end)
            for run in mine {
                for (edge, candidates) in [(run.start, onsets), (run.end, offsets)] {
                    let nearest = candidates.map { Swift.abs($0 - edge) }.min().map { Double($0) * msPerSample }
                    boundaryErrorSum += Swift.min(nearest ?? Self.capMilliseconds, Self.capMilliseconds)
                    boundaries += 1
                }
            }
            spuriousWaves += theirs.count { p in !mine.contains { $0.start <= p.end && p.start <= $0.end } }
        }
    }

    /// Runs of equal labels other than background: (label, first sample, last sample).
    static func waveRuns(_ labels: [Int]) -> [(label: Int, start: Int, end: Int)] {
        var runs: [(label: Int, start: Int, end: Int)] = []
        var i = 0
        while i < labels.count {
            var j = i
            while j + 1 < labels.count && labels[j + 1] == labels[i] { j += 1 }
            if labels[i] != 0 { runs.append((labels[i], i, j)) }
            i = j + 1
        }
        return runs
    }
}
