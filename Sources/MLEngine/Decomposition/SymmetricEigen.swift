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

        // Largest first, vectors as rows with a fixed sign.
        let order = d.indices.sorted { d[$0] > d[$1] || (d[$0] == d[$1] && $0 < $1) }
        var rows = [Double](repeating: 0, count: n * n)
        for (k, column) in order.enumerated() {
            var largest = 0.0
            for r in 0..<n where Swift.abs(v[r * n + column]) > Swift.abs(largest) { largest = v[r * n + column] }
            let sign = largest < 0 ? -1.0 : 1.0
            for r in 0..<n { rows[k * n + r] = sign * v[r * n + column] }
        }
        size = n
        values = order.map { d[$0] }
        vectors = rows
    }

    /// Eigenvector `k` (a row of `vectors`).
    public func vector(_ k: Int) -> [Double] { Array(vectors[(k * size)..<((k + 1) * size)]) }

    private static func transpose(_ v: inout [Double], n: Int) {
        v.withUnsafeMutableBufferPointer { a in
            for i in 0..<n {
                for j in (i + 1)..<Swift.max(n, i + 1) { a.swapAt(i * n + j, j * n + i) }
            }
        }
    }

    /// Householder reduction to tridiagonal form. On return `d` holds the diagonal, `e[1...]` the
    /// subdiagonal (e[0] = 0), and `v` the orthogonal matrix Q with A = Q T Q^T.
    ///
    /// Row i (from the last up) is reflected so that only its subdiagonal entry survives; the
    /// row is scaled by the sum of its magnitudes first, so squaring cannot overflow or underflow.
    private static func tridiagonalise(_ v: inout [Double], n: Int, diagonal d: inout [Double], offDiagonal e: inout [Double]) {
        v.withUnsafeMutableBufferPointer { a in
            for j in 0..<n { d[j] = a[(n - 1) * n + j] }
            for i in stride(from: n - 1, to: 0, by: -1) {
                var scale = 0.0, h = 0.0
                for k in 0..<i { scale += Swift.abs(d[k]) }
                if scale == 0 {
                    // Nothing to reflect: the row is already zero left of the subdiagonal.
                    e[i] = d[i - 1]
                    for j in 0..<i {
                        d[j] = a[(i - 1) * n + j]
                        a[i * n + j] = 0
                        a[j * n + i] = 0
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
                    // p = A u / h, into e.
                    for j in 0..<i {
                        f = d[j]
                        a[j * n + i] = f
                        g = e[j] + a[j * n + j] * f
                        var k = j + 1
                        while k < i {
                            g += a[k * n + j] * d[k]
                            e[k] += a[k * n + j] * f
                            k += 1
                        }
                        e[j] = g
                    }
                    f = 0
                    for j in 0..<i { e[j] /= h; f += e[j] * d[j] }
                    // q = p - (u.p / 2h) u; then A <- A - q u^T - u q^T on the lower triangle.
                    let hh = f / (h + h)
                    for j in 0..<i { e[j] -= hh * d[j] }
                    for j in 0..<i {
                        f = d[j]
                        g = e[j]
                        for k in j..<i { a[k * n + j] -= f * e[k] + g * d[k] }
                        d[j] = a[(i - 1) * n + j]
                        a[i * n + j] = 0
                    }
                }
                d[i] = h
            }
            // Multiply the stored reflections together into Q.
            for i in 0..<(n - 1) {
                a[(n - 1) * n + i] = a[i * n + i]
                a[i * n + i] = 1
                let h = d[i + 1]
                if h != 0 {
                    for k in 0...i { d[k] = a[k * n + i + 1] / h }
                    for j in 0...i {
                        var g = 0.0
                        for k in 0...i { g += a[k * n + i + 1] * a[k * n + j] }
                        for k in 0...i { a[k * n + j] -= g * d[k] }
                    }
                }
                for k in 0...i { a[k * n + i + 1] = 0 }
            }
            for j in 0..<n { d[j] = a[(n - 1) * n + j]; a[(n - 1) * n + j] = 0 }
            a[(n - 1) * n + n - 1] = 1
            e[0] = 0
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
        // The rotations act on pairs of columns of Q; on the transpose they act on pairs of
        // contiguous rows, which the loop below vectorises (the column walk was most of the time).
        transpose(&v, n: n)
        defer { transpose(&v, n: n) }
        try v.withUnsafeMutableBufferPointer { a in
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
                            let (left, right) = (i * n, (i + 1) * n)
                            for k in 0..<n {
                                let r = a[right + k], l = a[left + k]
                                a[right + k] = s * l + c * r
                                a[left + k] = c * l - s * r
                            }
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
    }
}
