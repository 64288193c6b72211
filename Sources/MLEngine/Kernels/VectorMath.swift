/// exp, sigmoid and tanh over arrays, eight lanes at a time.
///
/// A recurrent cell evaluates five of these per memory slot per step, and libm's scalar calls
/// (15-25 ns each here) would cost more than the step's matrix product. These follow Cephes
/// (range reduction by powers of two, then a short polynomial): within about 2 ulp of libm for
/// exp, and within 2e-7 absolute for sigmoid and tanh. Each lane is computed on its own, so the
/// result does not depend on where an array starts or how it is split.
enum VectorMath {
    typealias Vector = SIMD8<Float>

    /// e^x for each lane; inputs are clamped to about ±88 (results 0 ... 1.7e38, never NaN
    /// for finite input).
    @inline(__always)
    static func exp(_ x: Vector) -> Vector {
        // Compare-and-blend rather than `clamped(lowerBound:upperBound:)`, which compiles to two
        // out-of-line generic calls per vector here (an eighth of an LSTM training step).
        let low = Vector(repeating: -87.3), high = Vector(repeating: 88.3)
        var clamped = x.replacing(with: low, where: x .< low)
        clamped.replace(with: high, where: clamped .> high)
        // x = n ln 2 + r with |r| <= ln 2 / 2; ln 2 split in two so n ln 2 is exact enough.
        let n = (clamped * 1.442_695_04).rounded(.toNearestOrEven)
        var r = clamped - n * 0.693_359_375
        r = r - n * -2.121_944_4e-4
        var p = Vector(repeating: 1.987_569_15e-4)
        p = p * r + 1.398_199_95e-3
        p = p * r + 8.333_451_9e-3
        p = p * r + 4.166_579_59e-2
        p = p * r + 1.666_666_55e-1
        p = p * r + 5.000_000_12e-1
        let er = p * r * r + r + 1
        // 2^n built from its exponent bits. n is a whole number below 2^22 in size, so adding
        // 1.5 * 2^23 is exact and leaves n in the low bits: an integer subtraction reads it.
        // (SIMD8<Int32>(n, rounding:) converts lane by lane through a generic call, and was a
        // fifth of an LSTM training step.)
        let magic = Vector(repeating: 12_582_912)
        let whole = unsafeBitCast(n + magic, to: SIMD8<Int32>.self) &- unsafeBitCast(magic, to: SIMD8<Int32>.self)
        let bits = (whole &+ 127) &<< 23
        return er * unsafeBitCast(bits, to: Vector.self)
    }

    @inline(__always)
    static func sigmoid(_ x: Vector) -> Vector { 1 / (1 + exp(-x)) }

    @inline(__always)
    static func tanh(_ x: Vector) -> Vector {
        // Small |x|: an odd polynomial (1 - 2 / (e^2x + 1) would lose digits near 0).
        let z = x * x
        var p = Vector(repeating: -5.704_988_72e-3)
        p = p * z + 2.063_908_88e-2
        p = p * z - 5.373_971_55e-2
        p = p * z + 1.333_144_22e-1
        p = p * z - 3.333_328_19e-1
        let small = p * z * x + x
        let magnitude = x.replacing(with: -x, where: x .< 0)
        let large = 1 - 2 / (exp(2 * magnitude) + 1)
        let signed = large.replacing(with: -large, where: x .< 0)
        return signed.replacing(with: small, where: magnitude .< 0.625)
    }

    /// Applies `f` to `count` floats at `p` in place (a scalar tail goes through one padded vector).
    @inline(__always)
    static func apply(_ p: UnsafeMutablePointer<Float>, count: Int, _ f: (Vector) -> Vector) {
        var i = 0
        while i + 8 <= count {
            let v = UnsafeMutableRawPointer(p + i).loadUnaligned(as: Vector.self)
            UnsafeMutableRawPointer(p + i).storeBytes(of: f(v), as: Vector.self)
            i += 8
        }
        if i < count {
            var v = Vector()
            for k in 0..<(count - i) { v[k] = p[i + k] }
            let y = f(v)
            for k in 0..<(count - i) { p[i + k] = y[k] }
        }
    }

    static func sigmoid(_ p: UnsafeMutablePointer<Float>, count: Int) { apply(p, count: count, sigmoid) }
    static func tanh(_ p: UnsafeMutablePointer<Float>, count: Int) { apply(p, count: count, tanh) }
}
