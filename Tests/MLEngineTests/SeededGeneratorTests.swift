import Testing
@testable import MLEngine

@Suite struct SeededGeneratorTests {
    @Test func sameSeedSameStreamDifferentSeedDifferentStream() {
        var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42), c = SeededGenerator(seed: 43)
        let sa = (0..<8).map { _ in a.next() }, sb = (0..<8).map { _ in b.next() }
        let sc = (0..<8).map { _ in c.next() }
        #expect(sa == sb)
        #expect(sa != sc)
    }

    @Test func knownFirstValuesPinTheAlgorithm() {
        // SplitMix64(0) gives the state, xoshiro256** the outputs; if either algorithm changes,
        // every checkpoint's replay would break, so the first outputs are pinned here.
        var g = SeededGenerator(seed: 0)
        #expect(g.stateWords == [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4,
                                 0x06C4_5D18_8009_454F, 0xF88B_B8A8_724C_81EC])
        #expect(g.next() == 0x99EC_5F36_CB75_F2B4) // computed independently in Python
    }

    @Test func stateRoundTripsThroughWords() throws {
        var g = SeededGenerator(seed: 7)
        _ = g.next()
        var restored = try SeededGenerator(stateWords: g.stateWords)
        #expect((0..<5).map { _ in g.next() } == (0..<5).map { _ in restored.next() })
        #expect(throws: RandomStateError.allZero) { try SeededGenerator(stateWords: [0, 0, 0, 0]) }
        #expect(throws: RandomStateError.wrongWordCount(3)) { try SeededGenerator(stateWords: [1, 2, 3]) }
    }

    @Test func uniformAndNormalHaveTheRightMoments() {
        var g = SeededGenerator(seed: 1)
        let n = 200_000
        var sum = 0.0, sumSq = 0.0, uSum = 0.0
        for _ in 0..<n {
            let z = g.normal(); sum += z; sumSq += z * z
            let u = g.nextDouble(); uSum += u
            #expect(u >= 0 && u < 1)
        }
        #expect(abs(sum / Double(n)) < 0.01)
        #expect(abs(sumSq / Double(n) - 1) < 0.02)
        #expect(abs(uSum / Double(n) - 0.5) < 0.005)
    }

    @Test func portableLogMatchesLibm() {
        for x in [1e-300, 1e-9, 0.001, 0.3, 0.5, 0.7071, 1.0, 1.5, 2.0, 10.0, 12345.678] {
            #expect(abs(SeededGenerator.portableLog(x) - Foundation.log(x)) <= 4e-16 * max(1, abs(Foundation.log(x))))
        }
    }

    @Test func intBelowIsUniformAndInRange() {
        var g = SeededGenerator(seed: 3)
        var counts = [Int](repeating: 0, count: 6)
        for _ in 0..<60_000 { counts[g.int(below: 6)] += 1 }
        #expect(counts.allSatisfy { abs($0 - 10_000) < 400 })
        var p = g.permutation(50)
        p.sort()
        #expect(p == Array(0..<50))
    }
}

import Foundation
