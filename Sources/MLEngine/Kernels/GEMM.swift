import Dispatch
import Foundation
import Synchronization

/// General matrix multiply: C = alpha * op(A) * op(B) + beta * C, row-major.
///
/// `op(X)` is X or its transpose as the flag says. When `beta == 0` the old contents of C are
/// never read (NaN or garbage there does not leak into the result); when `alpha == 0` or
/// `k == 0`, A and B are not read.
///
/// The kernel follows the GotoBLAS/BLIS plan: pack panels of op(A) and op(B) (the packing absorbs
/// the transposes), then sweep tiles of C with a register-blocked SIMD FMA micro-kernel: 6 x 16
/// with SIMD8 on AVX2, 8 x 32 with SIMD16 where the processor has AVX-512 (same bits either way).
/// Large products are split across the cores by blocks of C. Each element of C is computed by
/// exactly one thread with the same summation order, so the result is bit-identical whatever the
/// thread count.
///
/// - Parameters:
///   - m, n, k: C is m x n, op(A) is m x k, op(B) is k x n.
///   - lda, ldb, ldc: row strides (in elements) of A, B and C as stored.
public func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                 alpha: Float, a: UnsafePointer<Float>, lda: Int,
                 b: UnsafePointer<Float>, ldb: Int,
                 beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
    gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
         b: b, ldb: ldb, beta: beta, c: c, ldc: ldc, threads: GEMMPlan.defaultThreadCount)
}

/// The same GEMM with an explicit upper bound on the threads used (1 runs on the caller's
/// thread only). Results do not depend on `threads`; tests use this to prove it.
public func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                 alpha: Float, a: UnsafePointer<Float>, lda: Int,
                 b: UnsafePointer<Float>, ldb: Int,
                 beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int) {
    gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
         b: b, ldb: ldb, beta: beta, c: c, ldc: ldc, threads: threads, kernel: .preferred)
}

/// The same GEMM with the micro-kernel chosen explicitly (tests compare the kernels).
func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
          alpha: Float, a: UnsafePointer<Float>, lda: Int,
          b: UnsafePointer<Float>, ldb: Int,
          beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int, kernel: MicroKernel) {
    precondition(m >= 0 && n >= 0 && k >= 0, "gemm: negative size m=\(m) n=\(n) k=\(k)")
    precondition(lda >= max(1, transA ? m : k), "gemm: lda=\(lda) too small for op(A) \(m)x\(k)")
    precondition(ldb >= max(1, transB ? k : n), "gemm: ldb=\(ldb) too small for op(B) \(k)x\(n)")
    precondition(ldc >= max(1, n), "gemm: ldc=\(ldc) too small for C \(m)x\(n)")
    if m == 0 || n == 0 { return }
    if k == 0 || alpha == 0 {
        scale(c: c, m: m, n: n, ldc: ldc, by: beta)
        return
    }
    let operands = GEMMOperands(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                                a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    if m * n * k <= GEMMPlan.naiveLimit {
        operands.multiplyNaively()
    } else if operands.isThin {
        operands.multiplyThin()
    } else {
        let useThreads = m * n * k >= GEMMPlan.threadingLimit ? max(1, threads) : 1
        #if arch(x86_64)
        if operands.servesInPlace(kernel: kernel) { return operands.multiplyInPlace(threads: useThreads) }
        #endif
        operands.multiplyPacked(threads: useThreads, kernel: kernel)
    }
}

/// Block sizes and thresholds, chosen for a Haswell-class core or newer (32 KB+ L1, 512 KB+ L2).
enum GEMMPlan {
    /// Depth of one packed chunk: a B panel of this depth (16 KB at 16 wide, 32 KB at 32) stays in L1.
    static let depthChunk = 256
    /// Rows of C per task at most: a 72 x 256 packed A block (72 KB) stays in L2.
    static let rowsPerBlock = 72
    /// Columns of C per task at most.
    static let columnsPerBlock = 256
    /// Columns of B packed at a time, bounding the packed-B buffer for very wide products.
    static let columnSlab = 4096
    /// Tasks a product is cut into when it is big enough, so two cores stay balanced.
    static let targetTasks = 8
    /// Up to this many multiply-adds a plain triple loop beats packing.
    static let naiveLimit = 2048
    /// From this many multiply-adds on, waking a second thread pays for itself. Measured here:
    /// up to 160³ (4.1 M) one AVX-512 core at ~210 GFLOPS beats two threads; from 192³ two win.
    static let threadingLimit = 1 << 22
    static let defaultThreadCount = max(1, ProcessInfo.processInfo.activeProcessorCount)
}

/// `C = beta * C`, with beta == 0 writing zeros without reading C.
private func scale(c: UnsafeMutablePointer<Float>, m: Int, n: Int, ldc: Int, by beta: Float) {
    for i in 0..<m {
        let row = c + i * ldc
        if beta == 0 {
            row.update(repeating: 0, count: n)
        } else if beta != 1 {
            for j in 0..<n { row[j] *= beta }
        }
    }
}

/// One GEMM call's arguments, so the threaded parts can share them.
/// `@unchecked Sendable`: threads only read A and B and write disjoint tiles of C.
struct GEMMOperands: @unchecked Sendable {
    let transA: Bool, transB: Bool
    let m: Int, n: Int, k: Int
    let alpha: Float
    let a: UnsafePointer<Float>, lda: Int
    let b: UnsafePointer<Float>, ldb: Int
    let beta: Float
    let c: UnsafeMutablePointer<Float>, ldc: Int

    /// The textbook triple loop, for products too small to repay packing.
    func multiplyNaively() {
        for i in 0..<m {
            for j in 0..<n {
                var sum: Float = 0
                for p in 0..<k {
                    let x = transA ? a[p * lda + i] : a[i * lda + p]
                    let y = transB ? b[j * ldb + p] : b[p * ldb + j]
                    sum = sum.addingProduct(x, y)
                }
                let old = beta == 0 ? 0 : beta * c[i * ldc + j]
                c[i * ldc + j] = old.addingProduct(alpha, sum)
            }
        }
    }

    /// Packs op(A) whole and op(B) slab by slab, then runs the micro-kernel over tiles of C.
    func multiplyPacked(threads: Int, kernel: MicroKernel) {
        let kc = GEMMPlan.depthChunk
        let rowPanels = (m + kernel.rows - 1) / kernel.rows
        let paddedM = rowPanels * kernel.rows
        let slabWidth = min(n, GEMMPlan.columnSlab)
        let slabPanels = (slabWidth + kernel.columns - 1) / kernel.columns
        let packedA = PackingBufferCache.shared.take(count: paddedM * k)
        let packedB = PackingBufferCache.shared.take(count: slabPanels * kernel.columns * k)
        defer {
            PackingBufferCache.shared.give(back: packedA)
            PackingBufferCache.shared.give(back: packedB)
        }
        let buffers = PackedBuffers(a: packedA.address, b: packedB.address)

        let packRowPanel: @Sendable (Int) -> Void = { r in
            self.packRowPanel(r, kernel: kernel, paddedM: paddedM, into: buffers.a)
        }

        for slab0 in stride(from: 0, to: n, by: GEMMPlan.columnSlab) {
            let width = min(GEMMPlan.columnSlab, n - slab0)
            let columnPanels = (width + kernel.columns - 1) / kernel.columns
            let paddedN = columnPanels * kernel.columns
            // A is packed once, in the same parallel pass as the first slab of B (one wake-up fewer).
            let rowPanelsToPack = slab0 == 0 ? rowPanels : 0
            run(count: rowPanelsToPack + columnPanels, threads: threads) { job in
                guard job >= rowPanelsToPack else { return packRowPanel(job) }
                let jp = job - rowPanelsToPack
                let col0 = slab0 + jp * kernel.columns
                for p0 in stride(from: 0, to: k, by: kc) {
                    let depth = min(kc, k - p0)
                    Packing.packB(width: kernel.columns, transposed: transB, b: b, ldb: ldb, col0: col0,
                                  cols: min(kernel.columns, slab0 + width - col0), p0: p0, kc: depth,
                                  into: buffers.b + p0 * paddedN + jp * kernel.columns * depth)
                }
            }

            // Cut C into blocks; shrink them until there are enough tasks to keep both cores busy.
            let (rowsPerBlock, colsPerBlock) = blockShape(rowPanels: rowPanels, columnPanels: columnPanels, kernel: kernel)
            let rowBlocks = (rowPanels + rowsPerBlock - 1) / rowsPerBlock
            let columnBlocks = (columnPanels + colsPerBlock - 1) / colsPerBlock

            run(count: rowBlocks * columnBlocks, threads: threads) { task in
                let firstRowPanel = (task % rowBlocks) * rowsPerBlock
                let firstColumnPanel = (task / rowBlocks) * colsPerBlock
                computeBlock(rowPanels: firstRowPanel..<min(rowPanels, firstRowPanel + rowsPerBlock),
                             columnPanels: firstColumnPanel..<min(columnPanels, firstColumnPanel + colsPerBlock),
                             slab0: slab0, slabEnd: slab0 + width, paddedM: paddedM, paddedN: paddedN,
                             buffers: buffers, kernel: kernel)
            }
        }
    }

    /// Packs row panel r of op(A), every depth chunk. Packed layout: chunk q (depth
    /// p0 ..< p0 + kcq) of panel r sits at p0 * paddedM + r * height * kcq.
    private func packRowPanel(_ r: Int, kernel: MicroKernel, paddedM: Int, into packedA: UnsafeMutablePointer<Float>) {
        let row0 = r * kernel.rows
        for p0 in stride(from: 0, to: k, by: GEMMPlan.depthChunk) {
            let depth = min(GEMMPlan.depthChunk, k - p0)
            Packing.packA(height: kernel.rows, transposed: transA, a: a, lda: lda, row0: row0,
                          rows: min(kernel.rows, m - row0), p0: p0, kc: depth,
                          into: packedA + p0 * paddedM + r * kernel.rows * depth)
        }
    }

    /// The product with op(B) packed beforehand: packs A, then sweeps every tile as
    /// `multiplyPacked` does, on the caller's thread (the products this serves are small).
    func multiply(packedB: PackedRightOperand) {
        let kernel = packedB.kernel
        let rowPanels = (m + kernel.rows - 1) / kernel.rows
        let paddedM = rowPanels * kernel.rows
        let packedA = PackingBufferCache.shared.take(count: paddedM * k)
        defer { PackingBufferCache.shared.give(back: packedA) }
        for r in 0..<rowPanels { packRowPanel(r, kernel: kernel, paddedM: paddedM, into: packedA.address) }
        computeBlock(rowPanels: 0..<rowPanels, columnPanels: 0..<(packedB.paddedN / kernel.columns),
                     slab0: 0, slabEnd: n, paddedM: paddedM, paddedN: packedB.paddedN,
                     buffers: PackedBuffers(a: packedA.address, b: packedB.panels), kernel: kernel)
    }

    /// Panels per block: the cache-sized default, halved (columns first) until the product is cut
    /// into enough tasks. Depends only on the shape, never on the thread count.
    private func blockShape(rowPanels: Int, columnPanels: Int, kernel: MicroKernel) -> (rows: Int, columns: Int) {
        var rows = max(1, GEMMPlan.rowsPerBlock / kernel.rows)
        var columns = max(1, GEMMPlan.columnsPerBlock / kernel.columns)
        func tasks() -> Int { ((rowPanels + rows - 1) / rows) * ((columnPanels + columns - 1) / columns) }
        while tasks() < GEMMPlan.targetTasks && columns > 1 { columns /= 2 }
        while tasks() < GEMMPlan.targetTasks && rows > 1 { rows /= 2 }
        return (rows, columns)
    }

    /// One task: every kernel-sized tile of C in the given panel ranges, over the whole depth k.
    private func computeBlock(rowPanels: Range<Int>, columnPanels: Range<Int>, slab0: Int, slabEnd: Int,
                              paddedM: Int, paddedN: Int, buffers: PackedBuffers, kernel: MicroKernel) {
        let height = kernel.rows, width = kernel.columns
        withUnsafeTemporaryAllocation(of: Float.self, capacity: height * width) { edgeTile in
            let edge = edgeTile.baseAddress!
            for p0 in stride(from: 0, to: k, by: GEMMPlan.depthChunk) {
                let depth = min(GEMMPlan.depthChunk, k - p0)
                let first = p0 == 0
                // Later depth chunks add onto what the earlier ones wrote.
                let overwrite = first && beta == 0
                let keep: Float = first ? beta : 1
                for jp in columnPanels {
                    let bPanel = UnsafePointer(buffers.b + p0 * paddedN + jp * width * depth)
                    let col0 = slab0 + jp * width
                    let cols = min(width, slabEnd - col0)
                    for r in rowPanels {
                        let aPanel = UnsafePointer(buffers.a + p0 * paddedM + r * height * depth)
                        let row0 = r * height
                        let rows = min(height, m - row0)
                        let target = c + row0 * ldc + col0
                        if rows == height && cols == width {
                            kernel.run(depth, aPanel, bPanel, target, ldc, alpha, keep, overwrite)
                        } else {
                            // Edge tile: run the same kernel on a full-size scratch copy.
                            edge.initialize(repeating: 0, count: height * width)
                            if !overwrite {
                                for i in 0..<rows { (edge + i * width).update(from: target + i * ldc, count: cols) }
                            }
                            kernel.run(depth, aPanel, bPanel, edge, width, alpha, keep, overwrite)
                            for i in 0..<rows { (target + i * ldc).update(from: edge + i * width, count: cols) }
                        }
                    }
                }
            }
        }
    }
}

/// The packed copies of A and B for one call, shared read-only by the compute tasks.
private struct PackedBuffers: @unchecked Sendable {
    let a: UnsafeMutablePointer<Float>
    let b: UnsafeMutablePointer<Float>
}

/// Runs `body(0 ..< count)` on at most `threads` threads (the caller's among them), each taking
/// the next index when it is free; with one thread, in order on the caller's.
private func run(count: Int, threads: Int, _ body: @Sendable (Int) -> Void) {
    if threads <= 1 || count <= 1 {
        for index in 0..<count { body(index) }
        return
    }
    let next = Atomic<Int>(0)
    DispatchQueue.concurrentPerform(iterations: min(threads, count)) { _ in
        while true {
            let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
            if index >= count { return }
            body(index)
        }
    }
}

extension UnsafeMutablePointer where Pointee == Float {
    /// Cache-line aligned storage, so packed B rows load as aligned SIMD8 vectors.
    static func allocateAligned(count: Int) -> UnsafeMutablePointer<Float> {
        UnsafeMutableRawPointer.allocate(byteCount: max(1, count) * MemoryLayout<Float>.stride, alignment: 64)
            .bindMemory(to: Float.self, capacity: max(1, count))
    }
}
