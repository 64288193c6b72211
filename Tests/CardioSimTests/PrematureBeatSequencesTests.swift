import Testing
import MLEngine
@testable import CardioSim

/// The memory task's RR sequences: seeded, balanced, and the only clue is the first beat.
@Suite struct PrematureBeatSequencesTests {
    @Test func theSameSeedGivesTheSameSequences() throws {
        let task = try PrematureBeatSequences(length: 50)
        var a = SeededGenerator(seed: 1), b = SeededGenerator(seed: 1), c = SeededGenerator(seed: 2)
        let (x, y) = task.generate(count: 40, generator: &a)
        let (x2, y2) = task.generate(count: 40, generator: &b)
        let (x3, _) = task.generate(count: 40, generator: &c)
        #expect(x.map(\.bitPattern) == x2.map(\.bitPattern) && y == y2)
        #expect(x != x3)
        #expect(x.count == 40 * 50 && y.count == 40)
    }

    @Test func theFirstBeatAloneSeparatesTheClassesAndTheRestDoesNot() throws {
        let task = try PrematureBeatSequences(length: 30)
        var g = SeededGenerator(seed: 7)
        let (x, y) = task.generate(count: 2000, generator: &g)
        let ones = y.filter { $0 == 1 }.count
        #expect((900...1100).contains(ones))
        let first = (0..<2000).map { x[$0 * 30] }
        // Premature first beats are all shorter than every ordinary one: a threshold answers it.
        let prematureMax = zip(first, y).filter { $0.1 == 1 }.map(\.0).max()!
        let normalMin = zip(first, y).filter { $0.1 == 0 }.map(\.0).min()!
        #expect(prematureMax < normalMin)
        #expect(prematureMax < 0.61 && normalMin > 0.6)
        // Beats 2... look alike in both classes: their mean differs by far less than their spread.
        func mean(_ label: Int) -> Double {
            let rows = (0..<2000).filter { y[$0] == label }
            let values = rows.flatMap { r in (1..<30).map { Double(x[r * 30 + $0]) } }
            return values.reduce(0, +) / Double(values.count)
        }
        #expect(abs(mean(1) - mean(0)) < 0.01)
        // Physiological: every interval of an ordinary beat between 0.6 s and 1.15 s.
        let later = (0..<2000).flatMap { r in (1..<30).map { x[r * 30 + $0] } }
        #expect(later.allSatisfy { $0 > 0.6 && $0 < 1.15 })
    }

    @Test func aLengthBelowOneIsRefused() {
        #expect(throws: CardioSimError.self) { try PrematureBeatSequences(length: 0) }
    }
}
