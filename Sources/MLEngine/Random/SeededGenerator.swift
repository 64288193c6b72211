/// A seeded pseudo-random generator: xoshiro256** (Blackman and Vigna, 2018), seeded through
/// SplitMix64.
///
/// Every random number in training comes from here, never from the system source, so a lab's
/// state after N steps depends only on its seed and its event log. The algorithms below are
/// written out by hand (rather than using the standard library's `shuffled(using:)` or
/// `Int.random(in:using:)`) because those may change between Swift versions, and a checkpoint
/// replayed on another machine must draw exactly the same numbers.
public struct SeededGenerator: Sendable, Equatable {
    /// The four 64-bit words of xoshiro256** state. Saved in checkpoints and restored as is.
    public private(set) var state: (UInt64, UInt64, UInt64, UInt64)

    /// Creates a generator whose whole stream is determined by `seed`.
    public init(seed: UInt64) {
        var mix = seed
        func splitMix() -> UInt64 {
            mix &+= 0x9E37_79B9_7F4A_7C15
            var z = mix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    /// Restores a generator from words previously read from `stateWords`.
    /// - Throws: if the words are all zero (a state xoshiro can never leave).
    public init(stateWords words: [UInt64]) throws {
        guard words.count == 4 else { throw RandomStateError.wrongWordCount(words.count) }
        guard words.contains(where: { $0 != 0 }) else { throw RandomStateError.allZero }
        state = (words[0], words[1], words[2], words[3])
    }

    /// The state as four words, for checkpoints.
    public var stateWords: [UInt64] { [state.0, state.1, state.2, state.3] }

    public static func == (lhs: SeededGenerator, rhs: SeededGenerator) -> Bool {
        lhs.stateWords == rhs.stateWords
    }

    /// The next 64 random bits.
    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = rotateLeft(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotateLeft(state.3, 45)
        return result
    }

    @inline(__always)
    private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// Uniform in [0, 1), with 24 random bits (every Float in that grid is equally likely).
    @inline(__always)
    public mutating func nextFloat() -> Float { Float(next() >> 40) * (1.0 / 16_777_216.0) }

    /// Uniform in [0, 1), with 53 random bits.
    @inline(__always)
    public mutating func nextDouble() -> Double { Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0) }

    /// Uniform in [low, high).
    public mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * nextDouble() }

    /// Uniform in [low, high).
    public mutating func uniform(_ low: Float, _ high: Float) -> Float { low + (high - low) * nextFloat() }

    /// A standard normal sample (Marsaglia's polar method). It keeps no cached second value, so
    /// the four state words are the generator's entire state, and it uses only `portableLog`
    /// and square roots, which give the same bits on every platform (a libm `log` or `cos` may not).
    public mutating func normal() -> Double {
        while true {
            let u = 2.0 * nextDouble() - 1.0
            let v = 2.0 * nextDouble() - 1.0
            let s = u * u + v * v
            if s > 0 && s < 1 {
                return u * (-2.0 * SeededGenerator.portableLog(s) / s).squareRoot()
            }
        }
    }

    /// Natural logarithm for x > 0 from plain arithmetic, so that every platform computes the
    /// same bits: x = m * 2^e with m in [sqrt(1/2), sqrt(2)), then
    /// log m = 2 atanh(s) = 2 (s + s^3/3 + s^5/5 + ...), s = (m - 1)/(m + 1), |s| < 0.172.
    static func portableLog(_ x: Double) -> Double {
        var m = x.significand            // in [1, 2)
        var e = Double(x.exponent)
        if m > 1.4142135623730951 { m *= 0.5; e += 1 }
        let s = (m - 1) / (m + 1)
        let s2 = s * s
        var term = s
        var sum = 0.0
        var k = 1.0
        while k < 40 {                   // s^2 < 0.0295, so 20 terms are far below 1 ulp
            sum += term / k
            term *= s2
            k += 2
        }
        return 2 * sum + e * 0.6931471805599453
    }

    /// A normal sample with the given mean and standard deviation.
    public mutating func normal(mean: Double, std: Double) -> Double { mean + std * normal() }

    /// A uniform integer in 0..<bound, without modulo bias (Lemire's multiply-and-reject method).
    public mutating func int(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold { product = next().multipliedFullWidth(by: range) }
        }
        return Int(product.high)
    }

    /// A uniform integer in the closed range.
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + int(below: range.upperBound - range.lowerBound + 1)
    }

    /// True with probability `p`.
    public mutating func bernoulli(_ p: Double) -> Bool { nextDouble() < p }

    /// Shuffles in place (Fisher-Yates, from the end).
    public mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            array.swapAt(i, int(below: i + 1))
        }
    }

    /// A random permutation of 0..<count.
    public mutating func permutation(_ count: Int) -> [Int] {
        var indices = Array(0..<count)
        shuffle(&indices)
        return indices
    }

    /// An independent generator derived from this one (for a sub-task such as data generation),
    /// advancing this generator by one draw.
    public mutating func split() -> SeededGenerator { SeededGenerator(seed: next()) }
}

public enum RandomStateError: Error, CustomStringConvertible, Equatable {
    case wrongWordCount(Int)
    case allZero

    public var description: String {
        switch self {
        case .wrongWordCount(let n): return "random state needs 4 words, found \(n)"
        case .allZero: return "random state is all zeros, which xoshiro256** can never reach"
        }
    }
}
