/// The checksum of a model-file section, and whether its floats are all finite, in one pass.
///
/// A Fletcher-style sum over 32-bit words in eight independent lanes: `a += word`, `b += a` per lane,
/// modulo 2^32, then the lanes, both sums and the byte length are folded into 64 bits. Any single
/// changed bit changes `a`; swapped or shifted words change `b`. It is not a cryptographic hash: it
/// catches torn writes, truncation and bit rot, not tampering. Eight lanes of adds vectorise on any
/// x86-64 or ARM target, so checking runs at memory speed (the whole point: a mapped model is
/// verified on every open without costing more than the page faults it takes anyway).
enum SectionChecksum {
    /// Checksum of `count` bytes at `bytes`. With `floats` (the section holds float32 values, so
    /// `count` is a multiple of 4) it also reports whether every value is finite.
    static func compute(_ bytes: UnsafeRawPointer, count: Int, floats: Bool = false) -> (checksum: UInt64, finite: Bool) {
        var a = SIMD8<UInt32>(repeating: 0)
        var b = SIMD8<UInt32>(repeating: 0)
        let exponent = SIMD8<UInt32>(repeating: 0x7F80_0000)
        var nonFinite = SIMDMask<SIMD8<Int32>>(repeating: false)
        let blocks = count / 32
        for i in 0..<blocks {
            let words = bytes.loadUnaligned(fromByteOffset: i * 32, as: SIMD8<UInt32>.self)
            a &+= words
            b &+= a
            if floats { nonFinite .|= (words & exponent) .== exponent }
        }
        var tail = SIMD8<UInt32>(repeating: 0)
        let rest = count - blocks * 32
        if rest > 0 {
            withUnsafeMutableBytes(of: &tail) { tail in
                tail.copyMemory(from: UnsafeRawBufferPointer(start: bytes + blocks * 32, count: rest))
            }
            a &+= tail
            b &+= a
            if floats {
                // Only the words actually present: zero padding is finite anyway.
                nonFinite .|= (tail & exponent) .== exponent
            }
        }
        var result = UInt64(truncatingIfNeeded: count) &* 0x9E37_79B9_7F4A_7C15
        for lane in 0..<8 {
            result = (result ^ UInt64(a[lane])) &* 0x0000_0100_0000_01B3
            result = (result ^ UInt64(b[lane])) &* 0x0000_0100_0000_01B3
        }
        return (result, !any(nonFinite))
    }
}
