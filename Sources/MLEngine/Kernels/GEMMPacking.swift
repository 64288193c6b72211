/// Packing: copying a block of op(A) or op(B) into the order the micro-kernel reads it.
///
/// The kernel then walks memory strictly forwards, one cache line after the next, and the
/// transposes disappear here: whatever the layout of A and B, the packed panels look the same.
/// Panels are zero-padded to full width, so edge tiles need no special case in the kernel.
enum Packing {
    /// Packs rows `row0 ..< row0 + rows` (rows <= height) and columns `p0 ..< p0 + kc` of op(A)
    /// into `kc` groups of `height` floats: `dest[p * height + i] = op(A)[row0 + i, p0 + p]`.
    static func packA(height: Int, transposed: Bool, a: UnsafePointer<Float>, lda: Int,
                      row0: Int, rows: Int, p0: Int, kc: Int, into dest: UnsafeMutablePointer<Float>) {
        if rows < height { dest.initialize(repeating: 0, count: kc * height) }
        if transposed {
            // op(A)[i, p] = A[p, i]: the values for one p are adjacent in A.
            for p in 0..<kc {
                let source = a + (p0 + p) * lda + row0
                let target = dest + p * height
                for i in 0..<rows { target[i] = source[i] }
            }
        } else {
            // op(A)[i, p] = A[i, p]: read each row forwards, write it with stride `height`.
            for i in 0..<rows {
                let source = a + (row0 + i) * lda + p0
                var target = dest + i
                for p in 0..<kc {
                    target.pointee = source[p]
                    target += height
                }
            }
        }
    }

    /// Packs columns `col0 ..< col0 + cols` (cols <= width) and rows `p0 ..< p0 + kc` of op(B)
    /// into `kc` groups of `width` floats: `dest[p * width + j] = op(B)[p0 + p, col0 + j]`.
    static func packB(width: Int, transposed: Bool, b: UnsafePointer<Float>, ldb: Int,
                      col0: Int, cols: Int, p0: Int, kc: Int, into dest: UnsafeMutablePointer<Float>) {
        if cols < width { dest.initialize(repeating: 0, count: kc * width) }
        if transposed {
            // op(B)[p, j] = B[j, p]: each column of op(B) is a row of B.
            for j in 0..<cols {
                let source = b + (col0 + j) * ldb + p0
                var target = dest + j
                for p in 0..<kc {
                    target.pointee = source[p]
                    target += width
                }
            }
        } else {
            // One row of the panel is `cols` contiguous floats of B.
            for p in 0..<kc {
                (dest + p * width).update(from: b + (p0 + p) * ldb + col0, count: cols)
            }
        }
    }
}
