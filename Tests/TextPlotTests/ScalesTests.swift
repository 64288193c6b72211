import Testing
@testable import TextPlot

@Suite struct ScalesTests {
    func close(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) < 1e-9 }
    }

    @Test func niceTicksForZeroToOne() {
        let ticks = Ticks.linear(lower: 0, upper: 1, count: 6)
        #expect(ticks.step == 0.2)
        #expect(close(ticks.values, [0, 0.2, 0.4, 0.6, 0.8, 1.0]))
        #expect(ticks.values.map { NumberFormat.tick($0, step: ticks.step) } == ["0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    }

    @Test func niceTicksWidenAwkwardRanges() {
        let ticks = Ticks.linear(lower: 0.13, upper: 97.2, count: 6)
        #expect(ticks.step == 20)
        #expect(close(ticks.values, [0, 20, 40, 60, 80, 100]))
        let negative = Ticks.linear(lower: -0.73, upper: 0.41, count: 5)
        // 1.14 / 4 = 0.285 rounds to the nice step 0.2; the ends widen to -0.8 and 0.6.
        #expect(negative.step == 0.2)
        #expect(close(negative.values, [-0.8, -0.6, -0.4, -0.2, 0, 0.2, 0.4, 0.6]))
    }

    @Test func degenerateRangesStillGiveTicks() {
        let flat = Ticks.linear(lower: 3, upper: 3, count: 5)
        #expect(flat.lower < 3 && flat.upper > 3)
        let broken = Ticks.linear(lower: .nan, upper: 1, count: 5)
        #expect(broken.values.allSatisfy { $0.isFinite })
    }

    @Test func logTicksArePowersOfTen() {
        let ticks = Ticks.logarithmic(lower: 0.0023, upper: 1.7, maxCount: 6)
        #expect(abs(ticks.lower - 0.001) < 1e-15 && abs(ticks.upper - 10) < 1e-12)
        #expect(close(ticks.values, [0.001, 0.01, 0.1, 1, 10]))
        #expect(ticks.values.map(NumberFormat.logTick) == ["0.001", "0.01", "0.1", "1", "10"])
    }

    @Test func narrowLogRangesGetTwoAndFiveMarks() {
        let ticks = Ticks.logarithmic(lower: 0.15, upper: 0.8, maxCount: 10)
        #expect(close(ticks.values, [0.1, 0.2, 0.5, 1]))
    }

    @Test func numberFormats() {
        #expect(NumberFormat.compact(0.95312) == "0.953")
        #expect(NumberFormat.compact(12.43) == "12.4")
        #expect(NumberFormat.compact(45) == "45")
        #expect(NumberFormat.compact(0.00001234) == "1e-5")
        #expect(NumberFormat.tick(2000, step: 1000) == "2000")
        #expect(NumberFormat.logTick(1e-6) == "1e-6")
    }

    @Test func emaIsBiasCorrected() {
        // A constant signal stays constant: without the correction it would start at 0.1, 0.19.
        let constant = exponentialMovingAverage([1, 1, 1], beta: 0.9)
        #expect(close(constant, [1, 1, 1]))
        // By hand, beta 0.5: m1 = 0.5*2 = 1, corrected 1/(1-0.5) = 2;
        // m2 = 0.5*1 + 0.5*4 = 2.5, corrected 2.5/(1-0.25) = 3.3333.
        let values = exponentialMovingAverage([2, 4], beta: 0.5)
        #expect(close(values, [2, 2.5 / 0.75]))
        // NaN passes through and does not poison later values.
        let gap = exponentialMovingAverage([1, .nan, 1], beta: 0.9)
        #expect(gap[1].isNaN && abs(gap[2] - 1) < 1e-12)
    }
}
