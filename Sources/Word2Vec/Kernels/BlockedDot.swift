/// Dot products of many rows with a block of 16 query vectors: the inner loop of every similarity
/// search.
///
/// The queries are stored transposed, `queries[d]` holding component `d` of all 16, so that each row
/// value is broadcast once and multiplied into 16 independent sums: no horizontal reductions, four
/// rows in flight to hide the latency of the multiply-adds, and the query block (64 bytes per
/// dimension) stays in L1 while the rows stream past. With `-Xcc -march=native` on AVX-512 hardware
/// one step is one broadcast multiply and one add on a 512-bit register.
enum BlockedDot {
    /// Lanes per query block.
    static let width = 16

    /// `scores[r][l] = sum over d of rows[r * dimension + d] * queries[d][l]` for `r` in
    /// `0..<rowCount`. O(rowCount * dimension) vector operations, no allocation.
    @inline(__always)
    static func multiply(
        rows: UnsafePointer<Float>, rowCount: Int, dimension: Int,
        queries: UnsafePointer<SIMD16<Float>>, into scores: UnsafeMutablePointer<SIMD16<Float>>
    ) {
        var r = 0
        while r + 4 <= rowCount {
            let p0 = rows + r * dimension
            let p1 = p0 + dimension
            let p2 = p1 + dimension
            let p3 = p2 + dimension
            var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>(), a3 = SIMD16<Float>()
            for d in 0..<dimension {
                let q = queries[d]
                a0 = multiplyAdd(p0[d], q, a0)
                a1 = multiplyAdd(p1[d], q, a1)
                a2 = multiplyAdd(p2[d], q, a2)
                a3 = multiplyAdd(p3[d], q, a3)
            }
            scores[r] = a0
            scores[r + 1] = a1
            scores[r + 2] = a2
            scores[r + 3] = a3
            r += 4
        }
        while r < rowCount {
            let p = rows + r * dimension
            var a = SIMD16<Float>()
            for d in 0..<dimension { a = multiplyAdd(p[d], queries[d], a) }
            scores[r] = a
            r += 1
        }
    }

    /// `acc + x * q` lane by lane, as a multiply and an add: `SIMD.addingProduct` has strict fused
    /// semantics that become 16 library calls on CPUs without FMA.
    @inline(__always)
    static func multiplyAdd(_ x: Float, _ q: SIMD16<Float>, _ acc: SIMD16<Float>) -> SIMD16<Float> {
        acc + SIMD16(repeating: x) * q
    }
}
