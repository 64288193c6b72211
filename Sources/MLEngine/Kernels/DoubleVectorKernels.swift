import Dispatch
import Foundation

/// Double-precision reductions over contiguous runs, written with explicit SIMD4 lanes.
///
/// A plain `sum += a[i] * b[i]` loop is not vectorised: strict IEEE order forbids reassociating
/// the sum. These keep two SIMD4 accumulators (eight partial sums, combined at the end), so the
/// summation order differs from the scalar loop's but is fixed for a given `count`: the same input
/// always gives the same bits. K-means distances and the eigensolver's inner products use them.
enum DoubleKernels {
    typealias Lane = SIMD4<Double>

    @inline(__always)
    static func load(_ p: UnsafePointer<Double>) -> Lane {
        UnsafeRawPointer(p).loadUnaligned(as: Lane.self)
    }

    @inline(__always)
    static func store(_ v: Lane, _ p: UnsafeMutablePointer<Double>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: Lane.self)
    }

    /// Σ (a[i] - b[i])² over `count` entries.
    @inline(__always)
    static func squaredDistance(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, count: Int) -> Double {
        var s0 = Lane(), s1 = Lane()
        var i = 0
        while i + 8 <= count {
            let d0 = load(a + i) - load(b + i), d1 = load(a + i + 4) - load(b + i + 4)
            s0.addProduct(d0, d0)
            s1.addProduct(d1, d1)
            i += 8
        }
        if i + 4 <= count {
            let d0 = load(a + i) - load(b + i)
            s0.addProduct(d0, d0)
            i += 4
        }
        var total = (s0 + s1).sum()
        while i < count { let d = a[i] - b[i]; total += d * d; i += 1 }
        return total
    }

    /// Σ a[i] b[i] over `count` entries.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, count: Int) -> Double {
        var s0 = Lane(), s1 = Lane()
        var i = 0
        while i + 8 <= count {
            s0.addProduct(load(a + i), load(b + i))
            s1.addProduct(load(a + i + 4), load(b + i + 4))
            i += 8
        }
        if i + 4 <= count {
            s0.addProduct(load(a + i), load(b + i))
            i += 4
        }
        var total = (s0 + s1).sum()
        while i < count { total += a[i] * b[i]; i += 1 }
        return total
    }

    /// y[i] += alpha x[i] over `count` entries (each entry rounded once, as the scalar loop).
    @inline(__always)
    static func addScaled(_ alpha: Double, _ x: UnsafePointer<Double>, to y: UnsafeMutablePointer<Double>, count: Int) {
        let a = Lane(repeating: alpha)
        var i = 0
        while i + 4 <= count {
            store(load(y + i) + a * load(x + i), y + i)
            i += 4
        }
        while i < count { y[i] += alpha * x[i]; i += 1 }
    }
}

extension DoubleKernels {
    /// Rows per chunk of `addUpperGram`: a chunk of 64 padded rows of 256 Doubles is 128 KB,
    /// which stays in L2 while every block of the product sweeps it.
    static let gramChunkRows = 64

    /// Adds the upper triangle (i <= j) of Σ_r (x_r - m)(x_r - m)^T over the `count` rows of `x`
    /// ([count, dimension], row-major) into `out` ([dimension, dimension], row-major); with no
    /// `mean`, m = 0. The lower triangle of `out` is not touched.
    ///
    /// Each entry is a sequential sum over the rows in order (one FMA a row), the same order as
    /// the rank-1 update `out[i][j] += x_i x_j` a row at a time, but computed by a register-blocked
    /// 4 x 8 micro-kernel on chunks of rows padded to a multiple of 8 columns: each block of
    /// the product stays in eight SIMD4 registers while a chunk streams through, instead of the
    /// whole d x d matrix streaming through the cache once per row.
    static func addUpperGram(_ x: UnsafePointer<Double>, count n: Int, dimension d: Int,
                             mean: UnsafePointer<Double>?, into out: UnsafeMutablePointer<Double>,
                             threads: Int = gramThreads) {
        guard n > 0, d > 0 else { return }
        let padded = (d + 7) / 8 * 8
        let product = UnsafeMutablePointer<Double>.allocate(capacity: padded * padded)
        defer { product.deallocate() }
        product.initialize(repeating: 0, count: padded * padded)
        // Row blocks of 4 split between the threads so each gets about the same number of
        // 4 x 8 blocks (a row block at i0 has about (d - i0) / 8 of them); every entry is summed
        // by one thread in the same order, so the result does not depend on `threads`.
        let rowBlocks = (d + 3) / 4
        let parts = n * d * d >= gramThreadingLimit ? Swift.max(1, Swift.min(threads, rowBlocks)) : 1
        var bounds = [0]
        if parts > 1 {
            let work = (0..<rowBlocks).map { (d - $0 * 4 / 8 * 8 + 7) / 8 }
            let total = work.reduce(0, +)
            var running = 0
            for (b, w) in work.enumerated() {
                running += w
                if bounds.count < parts && running * parts >= total * bounds.count { bounds.append(b + 1) }
            }
        }
        if bounds.last != rowBlocks { bounds.append(rowBlocks) }
        let cuts = bounds
        let sendable = (x: UInt(bitPattern: x), mean: UInt(bitPattern: mean), product: UInt(bitPattern: product))
        let body: @Sendable (Int) -> Void = { part in
            gramRows(UnsafePointer(bitPattern: sendable.x)!, count: n, dimension: d, padded: padded,
                     mean: UnsafePointer(bitPattern: sendable.mean),
                     rowBlocks: cuts[part]..<cuts[part + 1],
                     into: UnsafeMutablePointer(bitPattern: sendable.product)!)
        }
        let tasks = bounds.count - 1
        if tasks == 1 { body(0) } else { DispatchQueue.concurrentPerform(iterations: tasks, execute: body) }
        for i in 0..<d {
            let from = product + i * padded, to = out + i * d
            for j in i..<d { to[j] += from[j] }
        }
    }

    /// Threads `addUpperGram` uses by default.
    static let gramThreads = Swift.max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// From this many multiply-adds (rows × d²) on, a second thread pays for waking it.
    static let gramThreadingLimit = 1 << 22

    /// The part of `addUpperGram` for row blocks `rowBlocks` (4 rows each) of the product: every
    /// chunk of rows is centred into this task's own buffer, then swept by the 4 x 8 blocks.
    private static func gramRows(_ x: UnsafePointer<Double>, count n: Int, dimension d: Int, padded: Int,
                                 mean: UnsafePointer<Double>?, rowBlocks: Range<Int>,
                                 into product: UnsafeMutablePointer<Double>) {
        guard !rowBlocks.isEmpty else { return }
        let chunk = Swift.min(gramChunkRows, n)
        // Rows of the chunk sit 8 Doubles more than `padded` apart: at a power-of-two stride
        // (256 Doubles, 2 KB) all 64 rows' first entries fall in the same two L1 sets and
        // evict each other; the odd stride spreads them over the cache.
        let stride = padded + 8
        let rowsBuffer = UnsafeMutablePointer<Double>.allocate(capacity: chunk * stride)
        defer { rowsBuffer.deallocate() }
        rowsBuffer.initialize(repeating: 0, count: chunk * stride)      // the padding stays 0
        // Only the columns this task reads: from its first block's diagonal to the end.
        let firstColumn = rowBlocks.lowerBound * 4 / 8 * 8
        var start = 0
        while start < n {
            let rows = Swift.min(chunk, n - start)
            for r in 0..<rows {
                let from = x + (start + r) * d, to = rowsBuffer + r * stride
                if let m = mean {
                    for j in firstColumn..<d { to[j] = from[j] - m[j] }
                } else {
                    (to + firstColumn).update(from: from + firstColumn, count: d - firstColumn)
                }
            }
            // Blocks on or above the diagonal only: rows i0..<i0+4, columns j0..<j0+8 with
            // j0 + 8 > i0.
            for block in rowBlocks {
                let i0 = block * 4
                var j0 = i0 / 8 * 8
                while j0 < d {
                    gramBlock(rowsBuffer + i0, rowsBuffer + j0, rows: rows, stride: stride,
                              into: product + i0 * padded + j0, ldc: padded)
                    j0 += 8
                }
            }
            start += rows
        }
    }

    /// c[a][0..<8] += Σ_r a_r[a] b_r[0..<8] for a in 0..<4, rows `stride` apart.
    @inline(__always)
    private static func gramBlock(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, rows: Int, stride: Int,
                                  into c: UnsafeMutablePointer<Double>, ldc: Int) {
        var c0l = load(c), c0h = load(c + 4)
        var c1l = load(c + ldc), c1h = load(c + ldc + 4)
        var c2l = load(c + 2 * ldc), c2h = load(c + 2 * ldc + 4)
        var c3l = load(c + 3 * ldc), c3h = load(c + 3 * ldc + 4)
        var pa = a, pb = b
        for _ in 0..<rows {
            let bl = load(pb), bh = load(pb + 4)
            let a0 = Lane(repeating: pa[0]), a1 = Lane(repeating: pa[1])
            let a2 = Lane(repeating: pa[2]), a3 = Lane(repeating: pa[3])
            c0l.addProduct(a0, bl); c0h.addProduct(a0, bh)
            c1l.addProduct(a1, bl); c1h.addProduct(a1, bh)
            c2l.addProduct(a2, bl); c2h.addProduct(a2, bh)
            c3l.addProduct(a3, bl); c3h.addProduct(a3, bh)
            pa += stride
            pb += stride
        }
        store(c0l, c); store(c0h, c + 4)
        store(c1l, c + ldc); store(c1h, c + ldc + 4)
        store(c2l, c + 2 * ldc); store(c2h, c + 2 * ldc + 4)
        store(c3l, c + 3 * ldc); store(c3h, c + 3 * ldc + 4)
    }
}
