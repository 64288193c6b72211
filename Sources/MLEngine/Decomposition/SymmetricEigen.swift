import Dispatch
import Foundation

/// The eigenvalues and eigenvectors of a real symmetric matrix, in Double precision.
///
/// Done the way LAPACK's `syev` family does it, in two stages:
/// 1. Householder reflections turn the matrix into a tridiagonal one with the same eigenvalues
///    (n - 2 reflections, each zeroing one row below the subdiagonal), accumulating the
///    reflections so the eigenvectors can be recovered;
/// 2. implicit QL iterations with Wilkinson-style shifts drive the subdiagonal to zero; each
///    sweep is a chain of plane rotations, applied to the accumulated vectors too.
/// Cost is about 9 n^3 flops, so a 250 x 250 covariance takes milliseconds (Jacobi rotation
/// sweeps would need many times more).
public struct SymmetricEigen: Sendable, Equatable {
    /// The matrix size.
    public let size: Int
    /// Eigenvalues, largest first.
    public let values: [Double]
    /// Unit eigenvectors as rows, in the order of `values`: row k is
    /// `vectors[(k * size)..<((k + 1) * size)]`. Each has its largest-magnitude entry positive,
    /// so the signs are reproducible.
    public let vectors: [Double]

    /// Decomposes the symmetric `matrix` (row-major, `size` x `size`; only symmetric input makes
    /// sense, and the upper and lower triangles are both read).
    /// - Throws: when the shape is wrong, an entry is not finite, or QL fails to converge.
    public init(symmetric matrix: [Double], size n: Int) throws {
        guard n > 0, matrix.count == n * n else {
            throw EngineError.shapeMismatch("a symmetric eigenproblem needs \(n) x \(n) = \(n * n) entries, got \(matrix.count)")
        }
        guard matrix.allSatisfy(\.isFinite) else { throw EngineError.invalidArgument("the matrix has a NaN or infinite entry") }
        var v = matrix                       // becomes the eigenvectors, as columns
        var d = [Double](repeating: 0, count: n), e = [Double](repeating: 0, count: n)
        Self.tridiagonalise(&v, n: n, diagonal: &d, offDiagonal: &e)
        try Self.diagonalise(&v, n: n, diagonal: &d, offDiagonal: &e)

        // Largest first, vectors as rows with a fixed sign (row k of `v` is eigenvector k).
        let order = d.indices.sorted { d[$0] > d[$1] || (d[$0] == d[$1] && $0 < $1) }
        var rows = [Double](repeating: 0, count: n * n)
        for (k, column) in order.enumerated() {
            var largest = 0.0
            for r in 0..<n where Swift.abs(v[column * n + r]) > Swift.abs(largest) { largest = v[column * n + r] }
            let sign = largest < 0 ? -1.0 : 1.0
            for r in 0..<n { rows[k * n + r] = sign * v[column * n + r] }
        }
        size = n
        values = order.map { d[$0] }
        vectors = rows
    }

    /// Eigenvector `k` (a row of `vectors`).
    public func vector(_ k: Int) -> [Double] { Array(vectors[(k * size)..<((k + 1) * size)]) }

    /// Householder reduction to tridiagonal form. On return `d` holds the diagonal, `e[1...]` the
    /// subdiagonal (e[0] = 0), and `v` the transpose of the orthogonal matrix Q with A = Q T Q^T
    /// (row r of `v` is column r of Q).
    ///
    /// Row i (from the last up) is reflected so that only its subdiagonal entry survives; the
    /// row is scaled by the sum of its magnitudes first, so squaring cannot overflow or underflow.
    ///
    /// This is the classic `tred2` with every a[r][c] read as a[c][r]: the matrix is symmetric,
    /// so it works on the upper triangle instead of the lower, and every inner loop (A u, the
    /// rank-2 update, the product of the reflections) then walks a contiguous row, through
    /// SIMD dot products and raw pointers, instead of striding down a column.
    private static func tridiagonalise(_ v: inout [Double], n: Int, diagonal dArray: inout [Double], offDiagonal eArray: inout [Double]) {
        v.withUnsafeMutableBufferPointer { ab in
        dArray.withUnsafeMutableBufferPointer { db in
        eArray.withUnsafeMutableBufferPointer { eb in
            let a = ab.baseAddress!, d = db.baseAddress!, e = eb.baseAddress!
            for j in 0..<n { d[j] = a[j * n + n - 1] }
            for i in stride(from: n - 1, to: 0, by: -1) {
                var scale = 0.0, h = 0.0
                for k in 0..<i { scale += Swift.abs(d[k]) }
                if scale == 0 {
                    // Nothing to reflect: the row is already zero left of the subdiagonal.
                    e[i] = d[i - 1]
                    for j in 0..<i {
                        d[j] = a[j * n + i - 1]
                        a[j * n + i] = 0
                        a[i * n + j] = 0
                    }
                } else {
                    // The Householder vector u = x - |x| e, kept in d[0..<i].
                    for k in 0..<i { d[k] /= scale; h += d[k] * d[k] }
                    var f = d[i - 1]
                    var g = f > 0 ? -h.squareRoot() : h.squareRoot()
                    e[i] = scale * g
                    h -= f * g
                    d[i - 1] = f - g
                    for j in 0..<i { e[j] = 0 }
                    // p = A u / h, into e (row j of the upper triangle gives one dot and one axpy).
                    for j in 0..<i {
                        f = d[j]
                        a[i * n + j] = f
                        let row = a + j * n, tail = i - j - 1
                        g = e[j] + row[j] * f + DoubleKernels.dot(row + j + 1, d + j + 1, count: tail)
                        DoubleKernels.addScaled(f, row + j + 1, to: e + j + 1, count: tail)
                        e[j] = g
                    }
                    f = 0
                    for j in 0..<i { e[j] /= h; f += e[j] * d[j] }
                    // q = p - (u.p / 2h) u; then A <- A - q u^T - u q^T on the upper triangle.
                    let hh = f / (h + h)
                    for j in 0..<i { e[j] -= hh * d[j] }
                    for j in 0..<i {
                        f = d[j]
                        g = e[j]
                        let row = a + j * n
                        for k in j..<i { row[k] -= f * e[k] + g * d[k] }
                        d[j] = row[i - 1]
                        row[i] = 0
                    }
                }
                d[i] = h
            }
            // Multiply the stored reflections together into Q (kept transposed).
            for i in 0..<(n - 1) {
                a[i * n + n - 1] = a[i * n + i]
                a[i * n + i] = 1
                let h = d[i + 1]
                let u = a + (i + 1) * n
                if h != 0 {
                    for k in 0...i { d[k] = u[k] / h }
                    for j in 0...i {
                        let row = a + j * n
                        let g = DoubleKernels.dot(u, row, count: i + 1)
                        DoubleKernels.addScaled(-g, d, to: row, count: i + 1)
                    }
                }
                for k in 0...i { u[k] = 0 }
            }
            for j in 0..<n { d[j] = a[j * n + n - 1]; a[j * n + n - 1] = 0 }
            a[(n - 1) * n + n - 1] = 1
            e[0] = 0
        }
        }
        }
    }

    /// Implicit QL on the tridiagonal (d, e), rotating the columns of `v` along.
    ///
    /// For each l, the subdiagonal entry e[l] is chased to zero: shift by the eigenvalue of the
    /// leading 2 x 2 block nearest d[l], then sweep plane rotations up from the first negligible
    /// subdiagonal m back to l. Converges cubically; 30 sweeps per eigenvalue is a generous cap.
    private static func diagonalise(_ v: inout [Double], n: Int, diagonal d: inout [Double], offDiagonal e: inout [Double]) throws {
        for i in 1..<max(n, 1) { e[i - 1] = e[i] }
        e[n - 1] = 0
        let epsilon = Double.ulpOfOne
        var shiftTotal = 0.0, magnitude = 0.0
        // The vectors are not read by the iteration, so its rotations are only recorded here
        // (which pair, cosine, sine) and applied to `v` afterwards, in order, by `rotate`.
        var pairs: [Int32] = [], cosines: [Double] = [], sines: [Double] = []
        pairs.reserveCapacity(n * n)
        cosines.reserveCapacity(n * n)
        sines.reserveCapacity(n * n)
        do {
            for l in 0..<n {
                magnitude = Swift.max(magnitude, Swift.abs(d[l]) + Swift.abs(e[l]))
                var m = l
                while m < n - 1 && Swift.abs(e[m]) > epsilon * magnitude { m += 1 }
                if m > l {
                    var sweeps = 0
                    repeat {
                        sweeps += 1
                        guard sweeps <= 30 else {
                            throw EngineError.invalidArgument("the symmetric eigensolver did not converge for eigenvalue \(l)")
                        }
                        // The shift: eigenvalue of the 2 x 2 block at l closest to d[l].
                        var g = d[l]
                        var p = (d[l + 1] - g) / (2 * e[l])
                        var r = (p * p + 1).squareRoot()
                        if p < 0 { r = -r }
                        d[l] = e[l] / (p + r)
                        d[l + 1] = e[l] * (p + r)
                        let next = d[l + 1]
                        var h = g - d[l]
                        for i in (l + 2)..<Swift.max(n, l + 2) { d[i] -= h }
                        shiftTotal += h
                        // The rotation chain from m up to l.
                        p = d[m]
                        var c = 1.0, c2 = 1.0, c3 = 1.0, s = 0.0, s2 = 0.0
                        let firstSub = e[l + 1]
                        for i in stride(from: m - 1, through: l, by: -1) {
                            c3 = c2
                            c2 = c
                            s2 = s
                            g = c * e[i]
                            h = c * p
                            r = (p * p + e[i] * e[i]).squareRoot()
                            e[i + 1] = s * r
                            s = e[i] / r
                            c = p / r
                            p = c * d[i] - s * g
                            d[i + 1] = h + s * (c * g + s * d[i])
                            pairs.append(Int32(i))
                            cosines.append(c)
                            sines.append(s)
                        }
                        p = -s * s2 * c3 * firstSub * e[l] / next
                        e[l] = s * p
                        d[l] = c * p
                    } while Swift.abs(e[l]) > epsilon * magnitude
                }
                d[l] += shiftTotal
                e[l] = 0
            }
        }
        rotate(&v, n: n, pairs: pairs, cosines: cosines, sines: sines)
    }

    /// Applies the recorded plane rotations, in order, to the rows of `v` (the columns of Q):
    /// rotation (i, c, s) maps rows i and i + 1 to c row_i - s row_i+1 and s row_i + c row_i+1.
    ///
    /// Every column of `v` undergoes the same sequence independently, so the columns are taken
    /// eight at a time (a 250-row strip of eight Doubles is 16 KB and stays in L1 through all the
    /// rotations) instead of sweeping whole 250-wide rows once per rotation through L2.
    private static func rotate(_ v: inout [Double], n: Int, pairs: [Int32], cosines: [Double], sines: [Double]) {
        let count = pairs.count
        // Two column ranges (cut at a strip boundary) on two threads when the work is worth it;
        // each column sees the same sequence either way, so the bits do not depend on threads.
        let strips = n / 8
        let parts = count * n >= rotationThreadingLimit && strips >= 2 ? Swift.min(rotationThreads, strips) : 1
        let cuts = (0...parts).map { $0 == parts ? n : $0 * strips / parts * 8 }
        v.withUnsafeMutableBufferPointer { vb in
        pairs.withUnsafeBufferPointer { pb in
        cosines.withUnsafeBufferPointer { cb in
        sines.withUnsafeBufferPointer { sb in
            let addresses = (v: UInt(bitPattern: vb.baseAddress), p: UInt(bitPattern: pb.baseAddress),
                             c: UInt(bitPattern: cb.baseAddress), s: UInt(bitPattern: sb.baseAddress))
            let body: @Sendable (Int) -> Void = { part in
                guard count > 0 else { return }
                rotateColumns(UnsafeMutablePointer(bitPattern: addresses.v)!, n: n, columns: cuts[part]..<cuts[part + 1],
                              pairs: UnsafePointer(bitPattern: addresses.p)!, cosines: UnsafePointer(bitPattern: addresses.c)!,
                              sines: UnsafePointer(bitPattern: addresses.s)!, count: count)
            }
            if parts == 1 { body(0) } else { DispatchQueue.concurrentPerform(iterations: parts, execute: body) }
        }
        }
        }
        }
    }

    /// Threads `rotate` uses.
    static let rotationThreads = Swift.max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// From this many rotated entries (rotations × n) on, a second thread pays for waking it.
    static let rotationThreadingLimit = 1 << 20

    private static func rotateColumns(_ a: UnsafeMutablePointer<Double>, n: Int, columns: Range<Int>,
                                      pairs p: UnsafePointer<Int32>, cosines cs: UnsafePointer<Double>,
                                      sines ss: UnsafePointer<Double>, count: Int) {
        typealias Strip = SIMD8<Double>
        var column = columns.lowerBound
        let rowBytes = n * MemoryLayout<Double>.stride
        while column + 8 <= columns.upperBound {
            let strip = UnsafeMutableRawPointer(a + column)
            for t in 0..<count {
                let left = strip + Int(p[t]) * rowBytes, right = left + rowBytes
                let l = left.loadUnaligned(as: Strip.self), r = right.loadUnaligned(as: Strip.self)
                let c = Strip(repeating: cs[t]), s = Strip(repeating: ss[t])
                right.storeBytes(of: s * l + c * r, as: Strip.self)
                left.storeBytes(of: c * l - s * r, as: Strip.self)
            }
            column += 8
        }
        while column < columns.upperBound {
            for t in 0..<count {
                let left = a + Int(p[t]) * n + column, right = left + n
                let (l, r, c, s) = (left.pointee, right.pointee, cs[t], ss[t])
                right.pointee = s * l + c * r
                left.pointee = c * l - s * r
            }
            column += 1
        }
    }
}
