import Synchronization

/// Keeps the packing buffers of finished GEMM calls for the next call.
///
/// Packed panels of a 256 x 256 product take 256 KB each; fresh allocations that large come
/// from mmap, and touching their pages for the first time costs as much as the arithmetic of a
/// small product. Training calls the same shapes over and over, so reusing buffers removes
/// that cost. Holding a few buffers is the only state; it never affects results.
final class PackingBufferCache: Sendable {
    static let shared = PackingBufferCache()

    /// At most this many idle buffers are kept (two per call, a couple of concurrent callers).
    private let capacity = 4
    private let idle = Mutex<[PackingBuffer]>([])

    /// A 64-byte aligned buffer of at least `count` floats (contents undefined).
    func take(count: Int) -> PackingBuffer {
        let reused = idle.withLock { buffers -> PackingBuffer? in
            guard let index = buffers.indices.filter({ buffers[$0].count >= count })
                .min(by: { buffers[$0].count < buffers[$1].count }) else { return nil }
            return buffers.remove(at: index)
        }
        return reused ?? PackingBuffer(address: .allocateAligned(count: count), count: max(1, count))
    }

    /// Buffers above this many floats (16 MB) are freed at once rather than kept idle.
    private let largestKept = 4 << 20

    /// Returns a buffer from `take`; the smallest idle one is freed if the cache is full.
    func give(back buffer: PackingBuffer) {
        guard buffer.count <= largestKept else { return buffer.address.deallocate() }
        let evicted = idle.withLock { buffers -> PackingBuffer? in
            buffers.append(buffer)
            guard buffers.count > capacity else { return nil }
            let smallest = buffers.indices.min { buffers[$0].count < buffers[$1].count }!
            return buffers.remove(at: smallest)
        }
        evicted?.address.deallocate()
    }
}

/// Storage for packed panels, owned by one GEMM call at a time (handed over through the cache).
struct PackingBuffer: @unchecked Sendable {
    let address: UnsafeMutablePointer<Float>
    /// Capacity in floats.
    let count: Int
}
