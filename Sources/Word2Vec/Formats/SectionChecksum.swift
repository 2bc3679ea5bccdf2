import Dispatch
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

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
    ///
    /// Large sections are summed in parallel slices and combined: a slice of `n` blocks that starts
    /// from sums `(a1, b1)` ends at `(a1 + a2, b1 + n * a1 + b2)`, where `(a2, b2)` are its sums from
    /// zero, so the result does not depend on the number of slices.
    static func compute(_ bytes: UnsafeRawPointer, count: Int, floats: Bool = false) -> (checksum: UInt64, finite: Bool) {
        let blocks = count / 32
        let slices = count >= 32 << 20 ? max(1, min(ProcessInfo.processInfo.activeProcessorCount, 16)) : 1
        var a = SIMD8<UInt32>(repeating: 0)
        var b = SIMD8<UInt32>(repeating: 0)
        var finite = true
        if slices > 1 {
            let sums = UnsafeMutableBufferPointer<(SIMD8<UInt32>, SIMD8<UInt32>, Bool)>.allocate(capacity: slices)
            defer { sums.deallocate() }
            nonisolated(unsafe) let output = sums
            nonisolated(unsafe) let bytes = bytes
            DispatchQueue.concurrentPerform(iterations: slices) { slice in
                let first = blocks * slice / slices
                let last = blocks * (slice + 1) / slices
                let end = slice == slices - 1 ? count : last * 32
                (output.baseAddress! + slice).initialize(to: sum(bytes + first * 32, count: end - first * 32, floats: floats))
            }
            for slice in 0..<slices {
                let first = blocks * slice / slices
                let last = blocks * (slice + 1) / slices
                let end = slice == slices - 1 ? count : last * 32
                let n = UInt32(truncatingIfNeeded: (end - first * 32 + 31) / 32)
                let (a2, b2, sliceFinite) = sums[slice]
                b &+= a &* SIMD8(repeating: n) &+ b2
                a &+= a2
                finite = finite && sliceFinite
            }
        } else {
            (a, b, finite) = sum(bytes, count: count, floats: floats)
        }
        var result = UInt64(truncatingIfNeeded: count) &* 0x9E37_79B9_7F4A_7C15
        for lane in 0..<8 {
            result = (result ^ UInt64(a[lane])) &* 0x0000_0100_0000_01B3
            result = (result ^ UInt64(b[lane])) &* 0x0000_0100_0000_01B3
        }
        return (result, finite)
    }

    /// The lane sums of `count` bytes from zero (the last partial block padded with zeros).
    private static func sum(_ bytes: UnsafeRawPointer, count: Int, floats: Bool) -> (SIMD8<UInt32>, SIMD8<UInt32>, Bool) {
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
        return (a, b, !any(nonFinite))
    }
}
