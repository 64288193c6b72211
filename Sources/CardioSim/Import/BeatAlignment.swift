import MLEngine

/// Places each detected beat's R peak where CardioSim would put it, so a cut window looks like
/// the beats the course's models were trained on.
///
/// CardioSim's "R peak" is a moment of the cardiac cycle (phase 0), not necessarily the highest
/// sample: in a bundle-branch-block beat the tallest wave comes before it or after it, in a PVC
/// the wide complex is lopsided. An MLP has one weight per position, so a beat cut 8 samples off
/// looks like a different beat to it. So the QRS found by the detector is slid, a sample at a
/// time, against textbook beats of each class from the simulator, and placed where it matches
/// one best (highest correlation over the QRS region).
public enum BeatAlignment {
    /// The matched stretch: this many samples before and after the R peak (at 250 Hz).
    static let before = 30, after = 45
    /// How far (samples) the detector's estimate may be moved.
    /// (The tallest wave of a bundle-branch-block beat lies up to 80 ms from its phase 0.)
    public static let reach = 25
    /// Heart rates of the templates: a beat's waves move closer together as the rate rises.
    static let templateRates: [Double] = [55, 70, 85, 100, 120, 145]

    /// Clean textbook beats at 250 Hz, one per class and template rate, the matched stretch
    /// only, each centred and scaled to unit length.
    static let templates: [[Double]] = BeatClass.allCases.flatMap { kind in templateRates.map { (kind, $0) } }.map { kind, rate in
        var options = BeatOptions()
        (options.noiseRange, options.wanderMaximum, options.jitterSamples, options.shapeVariation, options.rrStd) = ([0, 0], 0, 0, 0, 0)
        options.heartRateRange = [rate, rate]
        var rng = SeededGenerator(seed: 1)
        let beat = BeatGenerator.beat(kind, options: options, rng: &rng)
        let r = beat.rPeakIndex
        return unit(beat.samples[(r - before)..<(r + after)].map(Double.init))
    }

    /// `estimates` (sample indices in `ecg`, 250 Hz) moved to the best-matching position within
    /// `reach` samples; an estimate too near either end to match stays where it is.
    public static func align(_ estimates: [Int], in ecg: [Double]) -> [Int] {
        let length = before + after
        return estimates.map { estimate in
            var best = (score: -Double.infinity, position: estimate)
            for shift in -reach...reach {
                let r = estimate + shift
                guard r - before >= 0, r + after <= ecg.count else { continue }
                let stretch = unit(Array(ecg[(r - before)..<(r + after)]))
                for template in templates {
                    var score = 0.0
                    for i in 0..<length { score += stretch[i] * template[i] }
                    if score > best.score { best = (score, r) }
                }
            }
            return best.position
        }
    }

    /// `x` minus its mean, divided by its length (all zeros stay zeros).
    static func unit(_ x: [Double]) -> [Double] {
        let mean = x.reduce(0, +) / Double(max(x.count, 1))
        let centred = x.map { $0 - mean }
        let norm = centred.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return norm > 1e-12 ? centred.map { $0 / norm } : centred
    }
}
