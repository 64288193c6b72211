import CardioSim
import Foundation

/// How fast the simulator makes beats: generates `count` beats of the default 'beats' recipe
/// (five classes, 250 samples each) and returns beats per second. Target: 10,000 beats in under
/// one second in a release build.
public func measureBeatsPerSecond(count: Int = 10_000) throws -> Double {
    let config = BeatDatasetConfig(trainCount: count, testCount: 0)
    let start = DispatchTime.now().uptimeNanoseconds
    let data = try BeatDataset.generate(config, seed: 1)
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    precondition(data.train.count == count)
    return Double(count) / seconds
}
