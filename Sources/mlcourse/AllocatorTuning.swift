#if canImport(Glibc)
import Glibc
#endif

/// Keeps freed memory in the process instead of handing it back to the kernel at once.
///
/// A training step allocates the same large buffers every time (an LSTM unroll's states, gates
/// and gradients are several MB each at batch 64, 100 steps). With glibc's defaults they are
/// mapped fresh and returned on free, so every step pays a page fault and a zeroed page for each
/// 4 KB it touches: perf put 39% of a memory-task LSTM step in page faults, and this halves the
/// step (about 90 to 47 ms on a loaded 2-core machine). Results do not change; only where the
/// bytes come from. The heap then stays near its peak size, which a training process reaches
/// again at the next step anyway.
enum AllocatorTuning {
    static func apply() {
        #if canImport(Glibc)
        // mallopt is declared in <malloc.h>, which the Glibc module does not bring in; its
        // parameter numbers are glibc's (M_TRIM_THRESHOLD -1, M_TOP_PAD -2, M_MMAP_THRESHOLD -3).
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(nil, "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        _ = mallopt(-3, 32 << 20)   // M_MMAP_THRESHOLD, glibc's largest: blocks below 32 MB come from the heap
        _ = mallopt(-1, 1 << 30)    // M_TRIM_THRESHOLD: the heap's top is not trimmed after each step
        _ = mallopt(-2, 32 << 20)   // M_TOP_PAD: it grows in 32 MB strides
        #endif
    }
}
