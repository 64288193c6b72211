import Testing
import Foundation
import MLEngine
@testable import CardioSim

@Suite struct ProbeTests {
    @Test func probe() throws {
        var rng = SeededGenerator(seed: 1)
        for cls in BeatClass.allCases {
            var o = BeatOptions(); o.noiseRange = [0, 0]; o.wanderMaximum = 0; o.jitterSamples = 0; o.shapeVariation = 0
            o.heartRateRange = [60, 60]
            let b = BeatGenerator.beat(cls, options: o, rng: &rng)
            print(cls, b.samples.enumerated().filter { $0.offset % 5 == 0 }.map { String(format: "%.2f", $0.element) }.joined(separator: " "))
            print(WaveLabeller.runs(b.waveLabels).map { "\($0.label.name):\($0.length*4)" }.joined(separator: " "))
        }
    }
}
